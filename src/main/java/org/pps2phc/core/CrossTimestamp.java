package org.pps2phc.core;

/**
 * One PHC reading paired with the system clock (CLOCK_REALTIME) at the same instant.
 *
 * @param phcNs     PHC time, ns since the PHC's epoch (TAI once disciplined)
 * @param sysNs     CLOCK_REALTIME at the same instant, ns since 1970 UTC (POSIX)
 * @param bracketNs width of the system-time bracket around the PHC read: the uncertainty of {@code sysNs}
 * @param method    how it was taken ("precise", "extended", "basic", "gettime", "sim")
 */
public record CrossTimestamp(long phcNs, long sysNs, long bracketNs, String method) {
    public CrossTimestamp {
        if (bracketNs < 0) {
            throw new IllegalArgumentException("negative bracket " + bracketNs);
        }
    }

    /** System time at the instant the PHC showed {@code phcAt}, extrapolated at rate 1 (good to ppm over a second). */
    public long sysAt(long phcAt) {
        return sysNs - (phcNs - phcAt);
    }
}
