package org.pps2phc.core;

/**
 * Names the second of each leading edge, and owns the labelling state:
 *
 * <ul>
 *   <li>UNLABELLED: the PHC's seconds are not known in this era. A leading edge takes its second from the trusted
 *       time of day at the edge instant (computed from the cross-timestamp, so late delivery does not matter), or
 *       stays unlabelled.</li>
 *   <li>ANCHORED: the PHC names its own seconds (edges within the phase gate of its second); the trusted time of day
 *       is a cross-check.</li>
 *   <li>DISPUTED: a trusted time of day disagrees by whole seconds with a PHC that locked on its anchor, and the PHC
 *       was not seen to jump. One of the two is wrong and nothing here can tell which: the PHC still names the
 *       pulses' seconds (and is disciplined on them), but lock is not claimed. Agreement ends it without a step;
 *       the same disagreement for {@code tod_overrule} relabels the PHC on the time of day.</li>
 *   <li>PHASE_LOST: the pulse train left the gate (the free-running PHC drifted in an outage, or was stepped from
 *       outside), or the PHC jumped by whole seconds against the monotonic clock while no trusted time of day could
 *       tell which of its seconds is right: labelled from the trusted time of day again, as UNLABELLED, but the
 *       TAI-UTC in use is kept.</li>
 * </ul>
 */
final class SecondLabeller {
    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** How close the PHC's jump against the monotonic clock must come to the disputed seconds to explain them. */
    private static final long JUMP_TOLERANCE_NS = SECOND / 4;
    /**
     * Pulses at most this far apart (monotonic) are compared for a jump of the PHC on their own: CLOCK_MONOTONIC
     * follows the system clock's slew (chronyd's maxslewrate is 83333 ppm by default), so over 4 s the PHC and it
     * part by at most a third of a second without a step.
     */
    private static final long JUMP_WINDOW_NS = 4 * SECOND;

    enum Labelling {
        UNLABELLED("unlabelled"), ANCHORED("anchored"), DISPUTED("disputed"), PHASE_LOST("phase-lost");

        private final String label;

        Labelling(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    /** Where a label came from. */
    enum Source {
        /** The anchored PHC's own second. */
        PHC,
        /** The trusted time of day, while the PHC's seconds are not established. */
        TIME_OF_DAY,
        /**
         * The trusted time of day against an anchored PHC: it disagreed for too long, or the PHC was seen to jump.
         * A re-anchor.
         */
        RELABEL,
        /** Nothing can name it. */
        NONE
    }

    record Label(long second, Source source) {
    }

    private final DisciplineConfig config;
    private final TaiUtcKeeper taiUtc;
    private Labelling state = Labelling.UNLABELLED;
    private TodVerdict tod;
    /** {@link #verdict()} as last made, and the told verdict and held TAI-UTC it was made from. */
    private TodVerdict verdict;
    private TodVerdict verdictTold;
    private LeapState verdictLeap;
    private int disagreements;
    /** PHC minus CLOCK_MONOTONIC at the last pulse on which the PHC and the time of day agreed (MIN_VALUE: none). */
    private long agreedPhcMinusMonoNs = Long.MIN_VALUE;
    /** PHC minus CLOCK_MONOTONIC, and CLOCK_MONOTONIC, at the last pulse the PHC named (MIN_VALUE: none). */
    private long namedPhcMinusMonoNs = Long.MIN_VALUE;
    private long namedMonoNs;
    /** The PHC has been LOCKED on the current anchor: a disagreement then disputes, instead of relabelling soon. */
    private boolean lockedOnAnchor;
    /** DISPUTED: the PHC's second minus the time of day's, and since when (monotonic) it has been that. */
    private long disputedS;
    private long disputedSinceMonoNs;

    SecondLabeller(DisciplineConfig config, LeapState initialLeap) {
        this.config = config;
        this.taiUtc = new TaiUtcKeeper(initialLeap, config.todOverruleNs());
        this.tod = TodVerdict.unknown(initialLeap);
    }

    Labelling state() {
        return state;
    }

    /** The seconds are established and undisputed: lock may be claimed, a bound announced. */
    boolean anchored() {
        return state == Labelling.ANCHORED;
    }

    /** The PHC names the pulses' seconds (anchored, or disputed): its phase classifies the edges. */
    boolean phcNamesSeconds() {
        return state == Labelling.ANCHORED || state == Labelling.DISPUTED;
    }

    /** The lock was reached on the current anchor. */
    void locked() {
        if (state == Labelling.ANCHORED) {
            lockedOnAnchor = true;
        }
    }

    /** The time of day as last told, with the TAI-UTC the engine holds (which outputs must use). */
    TodVerdict verdict() {
        LeapState held = taiUtc.held();
        if (verdictTold != tod || verdictLeap != held) {
            verdictTold = tod;
            verdictLeap = held;
            verdict = tod.withLeap(held);
        }
        return verdict;
    }

    LeapState leap() {
        return taiUtc.held();
    }

    boolean nearLeap(long utcNs) {
        return taiUtc.nearLeap(utcNs);
    }

    void onTimeOfDay(Output out, TodVerdict verdict, long monoNs) {
        boolean changed = verdict.trusted() != tod.trusted() || !verdict.reference().equals(tod.reference())
                || Math.abs(verdict.systemMinusUtcNs() - tod.systemMinusUtcNs()) >= SECOND / 2
                || !verdict.reasons().equals(tod.reasons()) || !verdict.leap().equals(tod.leap());
        tod = verdict;
        LeapState before = taiUtc.held();
        Observation.TaiUtcDisagreement disagreement = taiUtc.offer(verdict.leap(), verdict.reference(),
                verdict.trusted(), monoNs);
        if (changed) {
            out.observe(new Observation.TodChange(verdict));
        }
        if (disagreement != null) {
            out.observe(disagreement);
        }
        if (taiUtc.overruled() && state != Labelling.UNLABELLED) {
            forget(out, String.format("the trusted time of day has said TAI-UTC %d (%s), not the %d in use, for "
                    + "%d s: taking it; the PHC's seconds are to be named again", taiUtc.held().taiMinusUtcS(),
                    taiUtc.held().source(), before.taiMinusUtcS(), config.todOverruleNs() / SECOND), monoNs);
        }
    }

    /** The TAI second the trusted time of day gives the edge at PHC time {@code phc}, or MIN_VALUE. */
    long todLabel(ExttsEvent event, long phc, double limitNs) {
        if (!tod.trusted() || tod.errorBoundNs() > limitNs) {
            return Long.MIN_VALUE;
        }
        long utc = tod.utcAt(event.xts().sysAt(phc));
        if (taiUtc.nearLeap(utc)) {
            return Long.MIN_VALUE;
        }
        return Math.floorDiv(taiUtc.held().utcToTai(utc) + SECOND / 2, SECOND);
    }

    /** Where the time of day puts the edge relative to the nearest TAI second, ns, or NaN when it cannot say. */
    double todFraction(ExttsEvent event, long phc, long todLabel) {
        if (todLabel == Long.MIN_VALUE) {
            return Double.NaN;
        }
        long frac = Math.floorMod(taiUtc.held().utcToTai(tod.utcAt(event.xts().sysAt(phc))), SECOND);
        return frac >= SECOND / 2 ? frac - SECOND : frac;
    }

    /**
     * The second of a leading edge at PHC time {@code phc}; reports disagreements.
     *
     * <p>Who moved decides a disagreement between the PHC's seconds and the trusted time of day, when it can: the
     * PHC against the monotonic clock ({@code phcMinusMonoNs}, from the event's cross-timestamp and read time). A
     * PHC that jumped by the disputed seconds since the last pulse they agreed on was stepped from outside:
     * relabelled at once. One that did not jump kept its seconds with the pulses; then either the time of day moved
     * (a stepped system clock, a receiver's firmware that lost its leap seconds) or the anchor was taken from a
     * time of day that was wrong then and is right now. Before the PHC locked on its anchor, {@code
     * tod_mismatch_limit} disagreements in a row relabel, since the first label may have been the wrong one. After,
     * the seconds are disputed: the PHC keeps its seconds, nothing is announced, and only the same disagreement
     * for {@code tod_overrule} relabels.
     *
     * <p>With no trusted time of day, a PHC that jumped by whole seconds against the monotonic clock since the
     * pulse before (at most {@link #JUMP_WINDOW_NS} earlier) no longer names its seconds: the phase is lost until a
     * trusted time of day names them. Nothing else would ever see such a jump, as the pulses' phase does not move.
     *
     * @param phcMinusMonoNs the PHC minus CLOCK_MONOTONIC at the event's reading
     */
    Label label(Output out, long phc, long todLabel, long phcMinusMonoNs, long monoNs) {
        if (!phcNamesSeconds()) {
            namedPhcMinusMonoNs = Long.MIN_VALUE;
            return todLabel == Long.MIN_VALUE ? new Label(0, Source.NONE) : new Label(todLabel, Source.TIME_OF_DAY);
        }
        long phcLabel = Math.floorDiv(phc + SECOND / 2, SECOND);
        long jumpedS = jumpedSeconds(phcMinusMonoNs, monoNs);
        namedPhcMinusMonoNs = phcMinusMonoNs;
        namedMonoNs = monoNs;
        if (todLabel == Long.MIN_VALUE && jumpedS != 0) {
            losePhase(out, String.format("the PHC jumped %+d s against the monotonic clock (stepped from outside), "
                    + "and no trusted time of day tells its second: waiting for one to name it", jumpedS), monoNs);
            return new Label(0, Source.NONE);
        }
        if (todLabel == Long.MIN_VALUE) {
            if (state == Labelling.ANCHORED) {
                disagreements = 0;
                agreedPhcMinusMonoNs = phcMinusMonoNs;
            }
            return new Label(phcLabel, Source.PHC); // an untrusted time of day neither disputes nor settles
        }
        if (todLabel == phcLabel) {
            if (state == Labelling.DISPUTED) {
                to(out, Labelling.ANCHORED, String.format("the trusted time of day agrees with the PHC again after "
                        + "%d s: the PHC kept its seconds", (monoNs - disputedSinceMonoNs) / SECOND), monoNs);
                lockedOnAnchor = true;
            }
            disagreements = 0;
            agreedPhcMinusMonoNs = phcMinusMonoNs;
            return new Label(phcLabel, Source.PHC);
        }
        return disagree(out, phcLabel, todLabel, phcMinusMonoNs, monoNs);
    }

    private Label disagree(Output out, long phcLabel, long todLabel, long phcMinusMonoNs, long monoNs) {
        disagreements++;
        long apartS = phcLabel - todLabel;
        // only from an agreement just before: across a long dispute the PHC's drift against the monotonic clock
        // could add up to whole seconds
        boolean phcJumped = state == Labelling.ANCHORED && agreedPhcMinusMonoNs != Long.MIN_VALUE
                && Math.abs(phcMinusMonoNs - agreedPhcMinusMonoNs - apartS * SECOND) < JUMP_TOLERANCE_NS;
        if (phcJumped || (state == Labelling.ANCHORED && !lockedOnAnchor
                && disagreements >= config.todMismatchLimit())) {
            out.observe(new Observation.Disagreement(phcLabel, todLabel, disagreements, true, 0));
            return new Label(todLabel, Source.RELABEL);
        }
        if (state == Labelling.ANCHORED && !lockedOnAnchor) {
            if (disagreements == 1) {
                out.observe(new Observation.Disagreement(phcLabel, todLabel, disagreements, false, -1));
            }
            return new Label(phcLabel, Source.PHC);
        }
        if (state == Labelling.ANCHORED || apartS != disputedS) {
            String reason = String.format("the trusted time of day (%s) says second %d, the PHC %d (%+d s), and the "
                    + "PHC was not stepped: which is right is disputed, nothing is announced", tod.reference(),
                    todLabel, phcLabel, apartS);
            to(out, Labelling.DISPUTED, reason, monoNs);
            disputedS = apartS;
            disputedSinceMonoNs = monoNs;
            out.observe(new Observation.Disagreement(phcLabel, todLabel, 1, false, config.todOverruleNs() / SECOND));
            return new Label(phcLabel, Source.PHC);
        }
        if (monoNs - disputedSinceMonoNs >= config.todOverruleNs()) {
            out.observe(new Observation.Disagreement(phcLabel, todLabel, disagreements, true, 0));
            return new Label(todLabel, Source.RELABEL);
        }
        return new Label(phcLabel, Source.PHC);
    }

    /** Whole seconds the PHC jumped against the monotonic clock since the pulse it last named; 0 if none or unknown. */
    private long jumpedSeconds(long phcMinusMonoNs, long monoNs) {
        if (namedPhcMinusMonoNs == Long.MIN_VALUE || monoNs - namedMonoNs > JUMP_WINDOW_NS) {
            return 0;
        }
        return Math.floorDiv(phcMinusMonoNs - namedPhcMinusMonoNs + SECOND / 2, SECOND);
    }

    /** The engine stepped the PHC by {@code deltaNs} on its own seconds: a jump it made is not one from outside. */
    void stepped(long deltaNs) {
        if (agreedPhcMinusMonoNs != Long.MIN_VALUE) {
            agreedPhcMinusMonoNs += deltaNs;
        }
        if (namedPhcMinusMonoNs != Long.MIN_VALUE) {
            namedPhcMinusMonoNs += deltaNs;
        }
    }

    /** An accepted pulse labelled {@code taiS}: an announced leap it passes takes effect. */
    void accepted(long taiS) {
        taiUtc.passed(taiS);
    }

    /** The PHC's seconds are established (by a step to a label, or a label it already matched). */
    void anchor(Output out, String reason, long monoNs) {
        taiUtc.establish();
        to(out, Labelling.ANCHORED, reason, monoNs);
    }

    /** The pulse train is out of the phase gate: label from the time of day again. */
    void losePhase(Output out, String reason, long monoNs) {
        to(out, Labelling.PHASE_LOST, reason, monoNs);
    }

    /** Nothing is known of the PHC's seconds any more (a refused step, another device, another edge). */
    void forget(Output out, String reason, long monoNs) {
        to(out, Labelling.UNLABELLED, reason, monoNs);
    }

    private void to(Output out, Labelling next, String reason, long monoNs) {
        disagreements = 0;
        lockedOnAnchor = false;
        agreedPhcMinusMonoNs = Long.MIN_VALUE;
        namedPhcMinusMonoNs = Long.MIN_VALUE;
        if (next != state) {
            out.observe(new Observation.LabellingChange(state.label(), next.label(), reason, monoNs));
            state = next;
        }
    }
}
