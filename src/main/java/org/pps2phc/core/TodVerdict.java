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
 * @param systemMinusUtcNs how far the system clock is ahead of UTC, as the source measured it, ns: 0 for a source
 *                     that judges the system clock itself (chrony); a GNSS receiver measures it on each pulse, so
 *                     that a grandmaster whose system clock is wrong (fresh boot, no network) still names the right
 *                     second. The error bound covers this corrected time, not the system clock.
 */
public record TodVerdict(boolean trusted, double errorBoundNs, List<String> reasons, LeapState leap, String reference,
                         long systemMinusUtcNs) {
    public TodVerdict {
        reasons = List.copyOf(reasons);
        if (trusted && !reasons.isEmpty()) {
            throw new IllegalArgumentException("a trusted verdict has no reasons against it");
        }
        if (!trusted && reasons.isEmpty()) {
            throw new IllegalArgumentException("an untrusted verdict needs a reason");
        }
    }

    /** A verdict on the system clock itself (no measured offset). */
    public TodVerdict(boolean trusted, double errorBoundNs, List<String> reasons, LeapState leap, String reference) {
        this(trusted, errorBoundNs, reasons, leap, reference, 0);
    }

    public static TodVerdict trusted(double errorBoundNs, LeapState leap, String reference) {
        return new TodVerdict(true, errorBoundNs, List.of(), leap, reference);
    }

    /** Trusted, with UTC = system clock - {@code systemMinusUtcNs}. */
    public static TodVerdict trusted(double errorBoundNs, LeapState leap, String reference, long systemMinusUtcNs) {
        return new TodVerdict(true, errorBoundNs, List.of(), leap, reference, systemMinusUtcNs);
    }

    /** UTC at the instant the system clock read {@code systemNs}. */
    public long utcAt(long systemNs) {
        return systemNs - systemMinusUtcNs;
    }

    /** The same verdict with another TAI-UTC. */
    public TodVerdict withLeap(LeapState other) {
        return new TodVerdict(trusted, errorBoundNs, reasons, other, reference, systemMinusUtcNs);
    }

    public static TodVerdict untrusted(String reason, LeapState leap, String reference) {
        return new TodVerdict(false, Double.POSITIVE_INFINITY, List.of(reason), leap, reference);
    }

    /** The verdict before any time-of-day source has answered. */
    public static TodVerdict unknown(LeapState leap) {
        return untrusted("no answer from the time-of-day source yet", leap, "none");
    }

    public String summary() {
        if (!trusted) {
            return "untrusted (" + String.join("; ", reasons) + ")";
        }
        StringBuilder sb = new StringBuilder(96).append("trusted (").append(reference).append(", bound ");
        Decimals.append(sb, errorBoundNs / 1e6, 3, false, 0).append(" ms");
        if (systemMinusUtcNs != 0) {
            Decimals.append(sb.append(", system clock "), systemMinusUtcNs / 1e9, 3, true, 0).append(" s off UTC");
        }
        return sb.append(')').toString();
    }
}
