package org.pps2phc.ntpshm;

import org.pps2phc.core.Leap;
import org.pps2phc.core.PhcSample;

/**
 * The values of one NTP SHM sample (ntpd's {@code struct shmTime}, as chrony and ntpd read it), and the field
 * offsets of that struct on LP64 Linux (x86_64, aarch64): 96 bytes, native byte order, 8-byte time_t.
 *
 * @param clockSec     reference (true) time, whole seconds
 * @param clockNsec    reference time, nanoseconds within the second
 * @param receiveSec   CLOCK_REALTIME when the reference was read, whole seconds
 * @param receiveNsec  CLOCK_REALTIME, nanoseconds within the second
 * @param leap         0 none, 1 insert, 2 delete (3, "unsynchronised", is never written)
 * @param precision    log2 of the sample's uncertainty in seconds (ntpd uses it; chrony ignores it)
 */
record ShmTime(long clockSec, int clockNsec, long receiveSec, int receiveNsec, int leap, int precision) {
    static final int SIZE = 96;
    static final int MODE = 0;
    static final int COUNT = 4;
    static final int CLOCK_SEC = 8;
    static final int CLOCK_USEC = 16;
    static final int RECEIVE_SEC = 24;
    static final int RECEIVE_USEC = 32;
    static final int LEAP = 36;
    static final int PRECISION = 40;
    static final int NSAMPLES = 44;
    static final int VALID = 48;
    static final int CLOCK_NSEC = 52;
    static final int RECEIVE_NSEC = 56;

    static final int MIN_PRECISION = -30;
    static final int MAX_PRECISION = -10;
    private static final long NS = 1_000_000_000L;

    static ShmTime of(PhcSample sample, Timescale timescale) {
        long clockNs = timescale.referenceNs(sample);
        return new ShmTime(Math.floorDiv(clockNs, NS), (int) Math.floorMod(clockNs, NS),
                Math.floorDiv(sample.sysNs(), NS), (int) Math.floorMod(sample.sysNs(), NS),
                leapField(sample.leapToday()), precision(sample.bracketNs()));
    }

    /**
     * Microseconds are the nanoseconds truncated, never rounded: both readers use the nanosecond fields only when
     * {@code nsec / 1000 == usec}, and fall back to microseconds otherwise.
     */
    int clockUsec() {
        return clockNsec / 1000;
    }

    int receiveUsec() {
        return receiveNsec / 1000;
    }

    static int leapField(Leap leap) {
        return switch (leap) {
            case NONE -> 0;
            case INSERT -> 1;
            case DELETE -> 2;
        };
    }

    /** ceil(log2(bracket in s)), clamped to [-30, -10]: a 500 ns bracket gives -20 (2^-20 s is about 954 ns). */
    static int precision(long bracketNs) {
        if (bracketNs <= 0) {
            return MIN_PRECISION;
        }
        if (bracketNs >= 1_000_000) {
            return MAX_PRECISION;
        }
        int p = MIN_PRECISION;
        // smallest p with 2^p s >= bracket, by exact comparison: 2^p s = 1e9 / 2^-p ns
        while (p < MAX_PRECISION && bracketNs * (1L << -p) > NS) {
            p++;
        }
        return p;
    }
}
