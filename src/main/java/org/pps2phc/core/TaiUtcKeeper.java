package org.pps2phc.core;

/**
 * The TAI-UTC the engine labels and publishes with. It changes only at a leap second announced beforehand (a
 * pending leap and its midnight), when the labelled pulses pass that midnight; before the PHC's seconds are
 * established it takes whatever the time of day says, since there is nothing to protect yet. Any other change
 * the time-of-day side reports is kept out and reported once per claim. Once a value has named the PHC's seconds
 * it is kept even when they are forgotten (another device, edges re-learned: TAI-UTC is no property of the PHC), and
 * only the same other claim for {@code tod_overrule} replaces it, as for the seconds themselves: a value wrong when
 * the PHC was anchored (a kernel's offset not yet set) has that exit.
 */
final class TaiUtcKeeper {
    private static final long SECOND = DisciplineConfig.SECOND_NS;

    private LeapState held;
    /** The midnight of the last leap announced, kept after it passed so that its neighbourhood stays known. */
    private long lastLeapAtUtcS;
    private Leap lastLeap = Leap.NONE;
    private LeapState reportedClaim;
    /** The midnight of the last leap the pulses passed (MIN_VALUE: none). */
    private long passedLeapAtUtcS = Long.MIN_VALUE;
    private final long overruleNs;
    /** The held value has named the PHC's seconds: from then on only an overrule replaces it. */
    private boolean established;
    /** Since when (monotonic) the time of day has claimed {@link #reportedClaim}'s offset. */
    private long claimSinceMonoNs;
    private boolean overruled;

    TaiUtcKeeper(LeapState initial, long overruleNs) {
        this.held = initial;
        this.overruleNs = overruleNs;
        remember(initial);
    }

    /** The held value named the PHC's seconds (an anchor). */
    void establish() {
        established = true;
    }

    LeapState held() {
        return held;
    }

    /**
     * What the time of day says now, at {@code monoNs}, and whether it is trusted (only a trusted one overrules).
     * Returns the disagreement to report, or null; {@link #overruled()} says whether the claim just replaced an
     * established value.
     */
    Observation.TaiUtcDisagreement offer(LeapState claimed, String reference, boolean trusted, long monoNs) {
        overruled = false;
        if (claimed.pending() != Leap.NONE && claimed.leapAtUtcS() <= passedLeapAtUtcS) {
            // a leap the pulses have passed, still announced (a query inside 23:59:60 pairs the kernel's new
            // offset with the old announcement): the offset alone counts, or the leap would be counted twice
            claimed = LeapState.fixed(claimed.taiMinusUtcS(), claimed.source());
        }
        if (claimed.taiMinusUtcS() == held.taiMinusUtcS()) {
            held = claimed; // the same offset: take its announcement (or its withdrawal) of the next leap
            remember(claimed);
            reportedClaim = null;
            return null;
        }
        if (held.pending() != Leap.NONE && claimed.taiMinusUtcS() == after(held)) {
            return null; // the announced leap, already counted on the time-of-day side: it is passed by the pulses
        }
        if (!established) {
            held = claimed;
            remember(claimed);
            reportedClaim = null;
            return null;
        }
        if (reportedClaim != null && claimed.taiMinusUtcS() == reportedClaim.taiMinusUtcS()) {
            if (trusted && monoNs - claimSinceMonoNs >= overruleNs) {
                held = claimed;
                remember(claimed);
                reportedClaim = null;
                overruled = true;
            }
            return null;
        }
        reportedClaim = claimed;
        claimSinceMonoNs = monoNs;
        return new Observation.TaiUtcDisagreement(held.taiMinusUtcS(), held.source(), claimed.taiMinusUtcS(),
                claimed.source(), reference);
    }

    /** Whether the last {@link #offer} replaced the established value, the same other claim having lasted. */
    boolean overruled() {
        return overruled;
    }

    /** A pulse labelled with TAI second {@code taiS} was accepted: an announced leap it has passed takes effect. */
    void passed(long taiS) {
        if (held.pending() != Leap.NONE && Math.floorDiv(held.taiToUtc(taiS * SECOND), SECOND) >= held.leapAtUtcS()) {
            passedLeapAtUtcS = held.leapAtUtcS();
            held = LeapState.fixed(after(held), held.source());
        }
    }

    /**
     * True from two seconds before a leap's midnight to one second after it, where the system clock repeats (or
     * skips) a second: it cannot name a TAI second there, and NTP samples from there are withheld.
     */
    boolean nearLeap(long utcNs) {
        if (lastLeap == Leap.NONE) {
            return false;
        }
        long utcS = Math.floorDiv(utcNs, SECOND);
        return utcS >= lastLeapAtUtcS - 2 && utcS <= lastLeapAtUtcS + 1;
    }

    private void remember(LeapState leap) {
        if (leap.pending() != Leap.NONE) {
            lastLeap = leap.pending();
            lastLeapAtUtcS = leap.leapAtUtcS();
        }
    }

    private static int after(LeapState leap) {
        return leap.taiMinusUtcS() + (leap.pending() == Leap.INSERT ? 1 : -1);
    }
}
