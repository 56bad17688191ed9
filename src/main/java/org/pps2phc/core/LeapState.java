package org.pps2phc.core;

/**
 * TAI-UTC and the next leap second, as one consistent picture.
 *
 * @param taiMinusUtcS TAI-UTC in seconds before {@code leapAtUtcS}
 * @param pending      the leap second announced, if any
 * @param leapAtUtcS   POSIX seconds (UTC) of the midnight at which {@code pending} takes effect; ignored when NONE
 * @param source       where TAI-UTC came from ("kernel", "leapfile /path", "config", "sim")
 */
public record LeapState(int taiMinusUtcS, Leap pending, long leapAtUtcS, String source) {
    private static final long NS = 1_000_000_000L;

    public LeapState {
        if (pending == null || source == null) {
            throw new IllegalArgumentException("pending and source are required");
        }
    }

    public static LeapState fixed(int taiMinusUtcS, String source) {
        return new LeapState(taiMinusUtcS, Leap.NONE, 0, source);
    }

    /** TAI-UTC in effect at the UTC (POSIX) instant {@code utcNs}. */
    public int taiMinusUtcAtUtc(long utcNs) {
        if (pending == Leap.NONE || Math.floorDiv(utcNs, NS) < leapAtUtcS) {
            return taiMinusUtcS;
        }
        return taiMinusUtcS + (pending == Leap.INSERT ? 1 : -1);
    }

    /** TAI-UTC in effect at the TAI instant {@code taiNs}. */
    public int taiMinusUtcAtTai(long taiNs) {
        if (pending == Leap.NONE || Math.floorDiv(taiNs, NS) < leapAtUtcS + taiMinusUtcS + (pending == Leap.INSERT ? 1 : 0)) {
            return taiMinusUtcS;
        }
        return taiMinusUtcS + (pending == Leap.INSERT ? 1 : -1);
    }

    public long utcToTai(long utcNs) {
        return utcNs + taiMinusUtcAtUtc(utcNs) * NS;
    }

    public long taiToUtc(long taiNs) {
        return taiNs - taiMinusUtcAtTai(taiNs) * NS;
    }
}
