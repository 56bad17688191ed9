package org.pps2phc.core;

/**
 * The one place the dialled frequency lives: what the engine last asked the PHC to run at, clamped to the servo's
 * limit. The servo and the holdover predictor propose frequencies; only this dials them.
 */
final class FrequencyDial {
    private final double maxPpb;
    private double dialledPpb;

    FrequencyDial(double maxPpb, double initialPpb) {
        this.maxPpb = maxPpb;
        this.dialledPpb = initialPpb;
    }

    double ppb() {
        return dialledPpb;
    }

    void dial(Output out, double ppb) {
        dialledPpb = Math.max(-maxPpb, Math.min(maxPpb, ppb));
        out.act(new Action.SetFrequency(dialledPpb));
    }

    /** Dials the same frequency again: undoes a frequency another process may have set meanwhile. */
    void reassert(Output out) {
        out.act(new Action.SetFrequency(dialledPpb));
    }

    /** A reopened device runs at {@code ppb} (read from it): nothing is dialled. */
    void deviceRunsAt(double ppb) {
        dialledPpb = ppb;
    }
}
