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

    /**
     * TAI-UTC in effect at the TAI instant {@code taiNs}. An inserted second (23:59:60) already counts with the new
     * offset, so it maps to a repeated 23:59:59 as the kernel's CLOCK_REALTIME shows it; after a deleted second the
     * TAI second that would have been 23:59:59 is already 00:00:00.
     */
    public int taiMinusUtcAtTai(long taiNs) {
        int after = taiMinusUtcS + (pending == Leap.INSERT ? 1 : -1);
        // the first TAI second counted with the new offset: insert: 23:59:60 = leap + old; delete: 00:00:00 = leap + new
        long firstTaiSecondAfter = leapAtUtcS + (pending == Leap.INSERT ? taiMinusUtcS : after);
        if (pending == Leap.NONE || Math.floorDiv(taiNs, NS) < firstTaiSecondAfter) {
            return taiMinusUtcS;
        }
        return after;
    }

    public long utcToTai(long utcNs) {
        return utcNs + taiMinusUtcAtUtc(utcNs) * NS;
    }

    public long taiToUtc(long taiNs) {
        return taiNs - taiMinusUtcAtTai(taiNs) * NS;
    }
}
