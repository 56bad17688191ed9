package org.pps2phc.core;

/**
 * Names the second of each leading edge, and owns the labelling state:
 *
 * <ul>
 *   <li>UNLABELLED: the PHC's seconds are not known in this era. A leading edge takes its second from the trusted
 *       time of day at the edge instant (computed from the cross-timestamp, so late delivery does not matter), or
 *       stays unlabelled.</li>
 *   <li>ANCHORED: the PHC names its own seconds (edges within the phase gate of its second); the trusted time of day
 *       is a cross-check, whose persistent disagreement relabels.</li>
 *   <li>PHASE_LOST: the pulse train left the gate (the free-running PHC drifted in an outage, or was stepped from
 *       outside): labelled from the trusted time of day again, as UNLABELLED, but the TAI-UTC in use is kept.</li>
 * </ul>
 */
final class SecondLabeller {
    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** How close the PHC's jump against the monotonic clock must come to the disputed seconds to explain them. */
    private static final long JUMP_TOLERANCE_NS = SECOND / 4;
    /** A disagreement that goes on is reported again every this many pulses. */
    private static final int REPORT_EVERY = 60;

    enum Labelling {
        UNLABELLED, ANCHORED, PHASE_LOST;

        String label() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Where a label came from. */
    enum Source {
        /** The anchored PHC's own second. */
        PHC,
        /** The trusted time of day, while the PHC's seconds are not established. */
        TIME_OF_DAY,
        /** The trusted time of day against an anchored PHC that has disagreed for too long: a re-anchor. */
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
    private int disagreements;
    /** PHC minus CLOCK_MONOTONIC at the last pulse on which the PHC and the time of day agreed (MIN_VALUE: none). */
    private long agreedPhcMinusMonoNs = Long.MIN_VALUE;

    SecondLabeller(DisciplineConfig config, LeapState initialLeap) {
        this.config = config;
        this.taiUtc = new TaiUtcKeeper(initialLeap);
        this.tod = TodVerdict.unknown(initialLeap);
    }

    Labelling state() {
        return state;
    }

    boolean anchored() {
        return state == Labelling.ANCHORED;
    }

    /** The time of day as last told, with the TAI-UTC the engine holds (which outputs must use). */
    TodVerdict verdict() {
        return tod.withLeap(taiUtc.held());
    }

    LeapState leap() {
        return taiUtc.held();
    }

    boolean nearLeap(long utcNs) {
        return taiUtc.nearLeap(utcNs);
    }

    void onTimeOfDay(Output out, TodVerdict verdict) {
        boolean changed = verdict.trusted() != tod.trusted() || !verdict.reference().equals(tod.reference())
                || Math.abs(verdict.systemMinusUtcNs() - tod.systemMinusUtcNs()) >= SECOND / 2
                || !verdict.reasons().equals(tod.reasons()) || !verdict.leap().equals(tod.leap());
        tod = verdict;
        Observation.TaiUtcDisagreement disagreement = taiUtc.offer(verdict.leap(), verdict.reference(),
                state != Labelling.UNLABELLED);
        if (changed) {
            out.observe(new Observation.TodChange(verdict));
        }
        if (disagreement != null) {
            out.observe(disagreement);
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
     * <p>Who moved decides a disagreement between an anchored PHC and the trusted time of day: the PHC against the
     * monotonic clock ({@code phcMinusMonoNs}, from the event's cross-timestamp and read time). A PHC that jumped by
     * the disputed seconds since the last pulse they agreed on was stepped from outside: relabelled at once. One that
     * did not jump kept its seconds with the pulses, so the system clock moved: while the PHC is announced (locked,
     * holdover) that never renames its seconds; before (acquiring), {@code tod_mismatch_limit} disagreements in a
     * row relabel, since the first label may have been the wrong one.
     *
     * @param phcMinusMonoNs the PHC minus CLOCK_MONOTONIC at the event's reading
     * @param announcing     whether the PHC is announced as in sync
     */
    Label label(Output out, long phc, long todLabel, long phcMinusMonoNs, boolean announcing) {
        if (state != Labelling.ANCHORED) {
            return todLabel == Long.MIN_VALUE ? new Label(0, Source.NONE) : new Label(todLabel, Source.TIME_OF_DAY);
        }
        long phcLabel = Math.floorDiv(phc + SECOND / 2, SECOND);
        if (todLabel == Long.MIN_VALUE || todLabel == phcLabel) {
            disagreements = 0;
            agreedPhcMinusMonoNs = phcMinusMonoNs;
            return new Label(phcLabel, Source.PHC);
        }
        disagreements++;
        long disputedNs = (phcLabel - todLabel) * SECOND;
        boolean phcJumped = agreedPhcMinusMonoNs != Long.MIN_VALUE
                && Math.abs(phcMinusMonoNs - agreedPhcMinusMonoNs - disputedNs) < JUMP_TOLERANCE_NS;
        boolean relabel = phcJumped || (!announcing && disagreements >= config.todMismatchLimit());
        if (relabel || disagreements == 1 || disagreements % REPORT_EVERY == 0) {
            out.observe(new Observation.Disagreement(phcLabel, todLabel, disagreements, relabel));
        }
        if (relabel) {
            disagreements = 0;
            return new Label(todLabel, Source.RELABEL);
        }
        return new Label(phcLabel, Source.PHC);
    }

    /** An accepted pulse labelled {@code taiS}: an announced leap it passes takes effect. */
    void accepted(long taiS) {
        taiUtc.passed(taiS);
    }

    /** The PHC's seconds are established (by a step to a label, or a label it already matched). */
    void anchor(Output out, String reason, long monoNs) {
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
        agreedPhcMinusMonoNs = Long.MIN_VALUE;
        if (next != state) {
            out.observe(new Observation.LabellingChange(state.label(), next.label(), reason, monoNs));
            state = next;
        }
    }
}
