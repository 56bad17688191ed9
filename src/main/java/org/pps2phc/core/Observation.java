package org.pps2phc.core;

/** What the engine reports; the daemon logs these and the simulator scores them. No side effects. */
public sealed interface Observation
        permits Observation.Pulse, Observation.StateChange, Observation.Sample, Observation.TodChange,
        Observation.Disagreement, Observation.ActionFailed {

    /**
     * One extts event and what was made of it.
     *
     * @param offsetNs  PHC minus the labelled second (NaN when not labelled)
     * @param freqPpb   the frequency dialled after this pulse
     * @param labelTaiS the TAI second it was labelled with (0 when not labelled)
     */
    record Pulse(long era, long phcNs, long monoNs, PulseVerdict verdict, long labelTaiS, double offsetNs,
                 double freqPpb, State state, String servoState) implements Observation {
    }

    record StateChange(State from, State to, String reason, long monoNs) implements Observation {
    }

    /** A sample for the NTP outputs. {@code sample == null} means "withdraw: nothing valid to publish". */
    record Sample(PhcSample sample) implements Observation {
    }

    record TodChange(TodVerdict verdict) implements Observation {
    }

    /** The trusted time of day and the PHC's own seconds disagree. */
    record Disagreement(long phcSecond, long todSecond, int consecutive, boolean reacquiring) implements Observation {
    }

    /** An action the PHC refused; the engine has already reset itself. */
    record ActionFailed(Action action, String error) implements Observation {
    }
}
