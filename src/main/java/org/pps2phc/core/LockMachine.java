package org.pps2phc.core;

/**
 * The lock state machine. Its phases map onto the public {@link State}; RELOCKING (pulses back after a holdover
 * that stayed within its budget, the servo converging again) is announced as HOLDOVER, since the PHC is still
 * known within the holdover bound. Every phase has its exits (docs/design.md, "The state machine"); the engine
 * calls the transition that an event justifies, and this records why.
 */
final class LockMachine {
    enum Phase {
        FREE_RUNNING(State.FREE_RUNNING),
        ACQUIRING(State.ACQUIRING),
        LOCKED(State.LOCKED),
        HOLDOVER(State.HOLDOVER),
        RELOCKING(State.HOLDOVER);

        final State state;

        Phase(State state) {
            this.state = state;
        }
    }

    private final DisciplineConfig config;
    private Phase phase = Phase.FREE_RUNNING;
    private int lockRun;
    private long holdoverStartMonoNs;

    LockMachine(DisciplineConfig config) {
        this.config = config;
    }

    Phase phase() {
        return phase;
    }

    State state() {
        return phase.state;
    }

    /** Locked or in holdover (relocking included): the phases in which the PHC is announced as in sync. */
    boolean announcing() {
        return phase == Phase.LOCKED || phase == Phase.HOLDOVER || phase == Phase.RELOCKING;
    }

    long holdoverStartMonoNs() {
        return holdoverStartMonoNs;
    }

    /**
     * A labelled leading edge is about to be fed to the servo: pulses are back.
     *
     * @param anchored whether the PHC's seconds are established (a holdover returns to relocking only then)
     * @param labelling how the pulse was labelled, for the record
     */
    void pulse(Output out, boolean anchored, String labelling, long monoNs) {
        if (phase == Phase.FREE_RUNNING) {
            to(out, Phase.ACQUIRING, "pulses labelled (" + labelling + ")", monoNs);
        } else if (phase == Phase.HOLDOVER) {
            if (anchored) {
                to(out, Phase.RELOCKING, "pulses are back within the phase gate: relocking", monoNs);
            } else {
                to(out, Phase.ACQUIRING, "pulses are back (" + labelling + ")", monoNs);
            }
        }
    }

    /**
     * The servo took a labelled leading edge with {@code offsetNs}: counts the evidence for lock.
     *
     * @param anchored whether the PHC's seconds are established (lock needs them)
     */
    void accepted(Output out, double offsetNs, boolean anchored, long monoNs) {
        lockRun = Math.abs(offsetNs) < config.lockThresholdNs() ? lockRun + 1 : 0;
        if (phase == Phase.LOCKED && lockRun == 0) {
            // the outlier gate passed it, so the PHC itself is that far off: the lock's claim no longer holds
            to(out, Phase.ACQUIRING, String.format("offset %.0f ns, over lock_threshold", offsetNs), monoNs);
            return;
        }
        if ((phase == Phase.ACQUIRING || phase == Phase.RELOCKING) && anchored && lockRun >= config.lockCount()) {
            to(out, Phase.LOCKED, lockRun + " pulses within " + (long) config.lockThresholdNs() + " ns", monoNs);
        }
    }

    /** No accepted pulse for {@code silentNs}: locked goes to holdover, acquiring to free-running. */
    void silent(Output out, long silentNs, long monoNs) {
        if (silentNs <= config.pulseTimeoutNs()) {
            return;
        }
        String reason = "no pulse for " + silentNs / 1_000_000 + " ms";
        switch (phase) {
            case LOCKED -> {
                holdoverStartMonoNs = monoNs;
                to(out, Phase.HOLDOVER, reason, monoNs);
            }
            case RELOCKING -> to(out, Phase.HOLDOVER, reason + " while relocking", monoNs);
            case ACQUIRING -> to(out, Phase.FREE_RUNNING, reason, monoNs);
            default -> {
            }
        }
        lockRun = 0;
    }

    /** Holdover (relocking included) ends when its budget is used up. */
    void budget(Output out, long monoNs) {
        if ((phase == Phase.HOLDOVER || phase == Phase.RELOCKING) && inHoldoverNs(monoNs) > config.holdoverBudgetNs()) {
            String reason = "holdover budget of " + config.holdoverBudgetNs() / DisciplineConfig.SECOND_NS
                    + " s used up";
            to(out, phase == Phase.HOLDOVER ? Phase.FREE_RUNNING : Phase.ACQUIRING,
                    phase == Phase.HOLDOVER ? reason : reason + " before relocking", monoNs);
        }
    }

    long inHoldoverNs(long monoNs) {
        return Math.max(0, monoNs - holdoverStartMonoNs);
    }

    /** The evidence for lock (or the holdover bound) no longer holds: acquire again, announcing nothing. */
    void unlock(Output out, String reason, long monoNs) {
        lockRun = 0;
        if (announcing()) {
            to(out, Phase.ACQUIRING, reason, monoNs);
        }
    }

    /** The device is gone: nothing to discipline. */
    void deviceLost(Output out, String reason, long monoNs) {
        lockRun = 0;
        to(out, Phase.FREE_RUNNING, reason, monoNs);
    }

    /** Forget the pulses counted towards lock (a step, a reset servo). */
    void restartCount() {
        lockRun = 0;
    }

    private void to(Output out, Phase next, String reason, long monoNs) {
        if (next == phase) {
            return;
        }
        out.observe(new Observation.StateChange(phase.state, next.state, reason, monoNs));
        phase = next;
    }
}
