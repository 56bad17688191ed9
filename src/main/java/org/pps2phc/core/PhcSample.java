package org.pps2phc.core;

/**
 * A PHC reading for the NTP outputs (SHM, SOCK): the disciplined PHC, in TAI, at the system time {@code sysNs}.
 *
 * @param phcTaiNs  PHC time (TAI), ns
 * @param sysNs     CLOCK_REALTIME at the same instant, ns
 * @param bracketNs the uncertainty of the pairing (cross-timestamp bracket)
 * @param leap      TAI-UTC and any pending leap, to convert to UTC and fill leap fields
 * @param state     the discipline state when the sample was taken (LOCKED or HOLDOVER)
 */
public record PhcSample(long phcTaiNs, long sysNs, long bracketNs, LeapState leap, State state) {
    /** PHC time converted to UTC (POSIX) ns. */
    public long phcUtcNs() {
        return leap.taiToUtc(phcTaiNs);
    }

    /** The leap second to announce to NTP consumers: only on the day it happens. */
    public Leap leapToday() {
        if (leap.pending() == Leap.NONE) {
            return Leap.NONE;
        }
        long utcS = Math.floorDiv(phcUtcNs(), 1_000_000_000L);
        return utcS < leap.leapAtUtcS() && leap.leapAtUtcS() - utcS <= 86_400 ? leap.pending() : Leap.NONE;
    }
}
