package org.pps2phc.ptp4l;

import java.util.OptionalDouble;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.State;

/**
 * Turns the discipline state and the leap state into the grandmaster settings ptp4l should announce. Pure: the
 * caller supplies the time.
 *
 * <p>Leap flags follow how linuxptp's own receivers read them (leap_second_status): a flag seen after 06:00 UTC
 * announces a leap at the coming midnight, a flag seen earlier in the day is taken as the leap that has just
 * passed. So leap61/leap59 are set only in the last {@link #LEAP_WARNING_S} seconds (12 h) before the leap, which is
 * also the longest warning IEEE 1588 receivers expect, and from the leap on the new offset is sent with no flag.
 */
public final class GrandmasterPolicy {
    /** Leap flags are announced this long before the leap (from 12:00 UTC on the leap day). */
    public static final long LEAP_WARNING_S = 12 * 3600;
    private static final long NS = 1_000_000_000L;

    private final GrandmasterPolicyConfig config;

    public GrandmasterPolicy(GrandmasterPolicyConfig config) {
        this.config = config;
    }

    public GrandmasterPolicyConfig config() {
        return config;
    }

    /** {@link #settingsFor(State, boolean, LeapState, long, OptionalDouble)} with the configured accuracy. */
    public GrandmasterSettings settingsFor(State state, boolean holdoverWithinBudget, LeapState leap, long utcNowNs) {
        return settingsFor(state, holdoverWithinBudget, leap, utcNowNs, OptionalDouble.empty());
    }

    /**
     * @param state                the discipline state
     * @param holdoverWithinBudget whether a HOLDOVER is still within its budget (ignored in other states)
     * @param leap                 TAI-UTC and the pending leap second
     * @param utcNowNs             the current UTC (POSIX) time, for the leap flags and the offset
     * @param measuredAccuracyNs   a measured accuracy bound, if the caller has one: announced instead of the
     *                             configured one when it is worse (never promise better than measured)
     */
    public GrandmasterSettings settingsFor(State state, boolean holdoverWithinBudget, LeapState leap, long utcNowNs,
                                           OptionalDouble measuredAccuracyNs) {
        int utcOffset = leap.taiMinusUtcAtUtc(utcNowNs);
        boolean leapWarning = leapWarning(leap, utcNowNs);
        boolean leap61 = leapWarning && leap.pending() == Leap.INSERT;
        boolean leap59 = leapWarning && leap.pending() == Leap.DELETE;
        boolean inSync = state == State.LOCKED || (state == State.HOLDOVER && holdoverWithinBudget);
        if (!inSync) {
            return new GrandmasterSettings(config.freeRunningClockClass(), ClockAccuracy.UNKNOWN, 0xFFFF, utcOffset,
                    new TimeFlags(leap61, leap59, true, true, false, false), TimeSource.INTERNAL_OSCILLATOR);
        }
        int clockClass = state == State.LOCKED ? config.lockedClockClass() : config.holdoverClockClass();
        return new GrandmasterSettings(clockClass, accuracy(measuredAccuracyNs), config.offsetScaledLogVariance(),
                utcOffset, new TimeFlags(leap61, leap59, true, true, true, true), config.timeSource());
    }

    /** The settings for "not in sync", which pps2phc leaves behind when it stops. */
    public GrandmasterSettings notInSync(LeapState leap, long utcNowNs) {
        return settingsFor(State.FREE_RUNNING, false, leap, utcNowNs);
    }

    private int accuracy(OptionalDouble measuredNs) {
        double ns = config.clockAccuracyNs();
        if (measuredNs.isPresent() && Double.isFinite(measuredNs.getAsDouble())) {
            ns = Double.isNaN(ns) ? measuredNs.getAsDouble() : Math.max(ns, measuredNs.getAsDouble());
        }
        return ClockAccuracy.forNanoseconds(ns);
    }

    private static boolean leapWarning(LeapState leap, long utcNowNs) {
        if (leap.pending() == Leap.NONE) {
            return false;
        }
        long nowS = Math.floorDiv(utcNowNs, NS);
        return nowS < leap.leapAtUtcS() && nowS >= leap.leapAtUtcS() - LEAP_WARNING_S;
    }
}
