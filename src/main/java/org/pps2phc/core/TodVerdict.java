package org.pps2phc.core;

import java.util.List;

/**
 * What the time-of-day source says about the system clock right now: may it name a second?
 *
 * @param trusted      true when the system clock may label pulses and justify a step
 * @param errorBoundNs the source's bound on the system clock's error, ns (infinite when unknown)
 * @param reasons      why it is not trusted (empty when trusted), one short phrase each
 * @param leap         TAI-UTC and the pending leap second, which hold whether or not the clock is trusted
 * @param reference    what the source is synchronised to, for logs and status ("PPS0", "192.0.2.1", "sim")
 */
public record TodVerdict(boolean trusted, double errorBoundNs, List<String> reasons, LeapState leap, String reference) {
    public TodVerdict {
        reasons = List.copyOf(reasons);
        if (trusted && !reasons.isEmpty()) {
            throw new IllegalArgumentException("a trusted verdict has no reasons against it");
        }
        if (!trusted && reasons.isEmpty()) {
            throw new IllegalArgumentException("an untrusted verdict needs a reason");
        }
    }

    public static TodVerdict trusted(double errorBoundNs, LeapState leap, String reference) {
        return new TodVerdict(true, errorBoundNs, List.of(), leap, reference);
    }

    public static TodVerdict untrusted(String reason, LeapState leap, String reference) {
        return new TodVerdict(false, Double.POSITIVE_INFINITY, List.of(reason), leap, reference);
    }

    /** The verdict before any time-of-day source has answered. */
    public static TodVerdict unknown(LeapState leap) {
        return untrusted("no answer from the time-of-day source yet", leap, "none");
    }

    public String summary() {
        return trusted ? String.format("trusted (%s, bound %.3f ms)", reference, errorBoundNs / 1e6)
                : "untrusted (" + String.join("; ", reasons) + ")";
    }
}
