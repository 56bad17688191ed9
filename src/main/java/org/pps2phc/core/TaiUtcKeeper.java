package org.pps2phc.core;

/**
 * The TAI-UTC the engine labels and publishes with. It changes only at a leap second announced beforehand (a
 * pending leap and its midnight), when the labelled pulses pass that midnight; before the PHC's seconds are
 * established it takes whatever the time of day says, since there is nothing to protect yet. Any other change
 * the time-of-day side reports is kept out and reported once per claim: it never relabels, let alone steps, a PHC.
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

    TaiUtcKeeper(LeapState initial) {
        this.held = initial;
        remember(initial);
    }

    LeapState held() {
        return held;
    }

    /**
     * What the time of day says now. Returns the disagreement to report, or null.
     *
     * @param secondsEstablished whether the PHC's seconds are established (then only an announced leap changes them)
     */
    Observation.TaiUtcDisagreement offer(LeapState claimed, String reference, boolean secondsEstablished) {
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
        if (!secondsEstablished) {
            held = claimed;
            remember(claimed);
            reportedClaim = null;
            return null;
        }
        if (claimed.equals(reportedClaim)) {
            return null;
        }
        reportedClaim = claimed;
        return new Observation.TaiUtcDisagreement(held.taiMinusUtcS(), held.source(), claimed.taiMinusUtcS(),
                claimed.source(), reference);
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
