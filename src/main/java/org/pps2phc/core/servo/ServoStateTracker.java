package org.pps2phc.core.servo;

/**
 * linuxptp's common servo layer (servo.c), shared by every servo: the first-update flag that gates
 * first_step_threshold, and LOCKED_STABLE after a run of small offsets.
 */
final class ServoStateTracker {
    private final OffsetHistory stable;
    private boolean firstUpdate = true;

    ServoStateTracker(ServoConfig config) {
        this.stable = new OffsetHistory(config.offsetThresholdNs(), config.numOffsetValues());
    }

    /** True until the servo has first jumped or locked: first_step_threshold applies only then. */
    boolean firstUpdate() {
        return firstUpdate;
    }

    /** Applies the common layer to what the servo's own algorithm decided. */
    ServoOutput finish(ServoOutput raw, double offsetNs) {
        ServoState state = raw.state();
        if (state == ServoState.LOCKED && stable.add(offsetNs)) {
            state = ServoState.LOCKED_STABLE;
        } else if (state == ServoState.UNLOCKED || state == ServoState.JUMP) {
            stable.clear();
        }
        if (state == ServoState.JUMP || state == ServoState.LOCKED) {
            firstUpdate = false;
        }
        return state == raw.state() ? raw : new ServoOutput(raw.adjustPpb(), state);
    }

    void reset() {
        stable.clear();
    }
}
