package org.pps2phc.core;

/** What the engine reports; the daemon logs these and the simulator scores them. No side effects. */
public sealed interface Observation
        permits Observation.Pulse, Observation.StateChange, Observation.Sample, Observation.TodChange,
        Observation.Disagreement, Observation.ActionFailed, Observation.LabellingChange,
        Observation.TaiUtcDisagreement, Observation.EdgesLearned {

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

    /**
     * The trusted time of day and the PHC's own seconds disagree: reported when it starts, when the disputed
     * seconds change, and when the PHC is relabelled.
     *
     * @param reacquiring    the PHC is relabelled on the time of day now
     * @param overruleAfterS a dispute starts: the time of day wins if it still says the same after this long (-1:
     *                       no dispute, the PHC has not locked on its anchor yet; 0 with reacquiring)
     */
    record Disagreement(long phcSecond, long todSecond, int consecutive, boolean reacquiring, long overruleAfterS)
            implements Observation {
    }

    /** An action the PHC refused; the engine has already reset itself. */
    record ActionFailed(Action action, String error) implements Observation {
    }

    /**
     * The seconds labelling changed state ("unlabelled", "anchored", "disputed",
     * "phase-lost"): see docs/design.md, "The
     * state machine".
     */
    record LabellingChange(String from, String to, String reason, long monoNs) implements Observation {
    }

    /**
     * The time of day reports a TAI-UTC that is not the one in use and not an announced leap: kept out (never
     * relabels or steps), reported once per claim.
     *
     * @param heldS         TAI-UTC in use
     * @param heldSource    where it came from
     * @param claimedS      what the time-of-day side says now
     * @param claimedSource where that came from
     * @param reference     the time-of-day source's reference
     */
    record TaiUtcDisagreement(int heldS, String heldSource, int claimedS, String claimedSource, String reference)
            implements Observation {
    }

    /**
     * The pulse train shows both edges of each pulse although the arming path reported one (its edge mode is only
     * a hint): the engine now tells them apart, and starts labelling afresh.
     */
    record EdgesLearned(EdgeMode reported, EdgeMode seen, long widthNs) implements Observation {
    }
}
