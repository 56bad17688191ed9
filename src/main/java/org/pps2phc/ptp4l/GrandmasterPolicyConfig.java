package org.pps2phc.ptp4l;

/**
 * What pps2phc promises when it tells ptp4l about its clock.
 *
 * @param lockedClockClass        announced while locked (6: synchronized to a primary reference, GNSS)
 * @param holdoverClockClass      announced in holdover within its budget (7: holdover within specification)
 * @param freeRunningClockClass   announced while acquiring, free-running, or in holdover past its budget (248 is
 *                                ptp4l's own default; 52 or 187 are the "degraded" classes)
 * @param clockAccuracyNs         accuracy of the PHC against GNSS time while locked, in ns; mapped to the PTP
 *                                clockAccuracy enumeration (100 ns: 0x21). NaN: announce "unknown" (0xFE)
 * @param offsetScaledLogVariance announced while locked or in holdover; 0xFFFF means "not computed"
 * @param timeSource              announced while locked or in holdover (0x20 GNSS); otherwise 0xA0, the internal
 *                                oscillator
 */
public record GrandmasterPolicyConfig(int lockedClockClass, int holdoverClockClass, int freeRunningClockClass,
                                      double clockAccuracyNs, int offsetScaledLogVariance, int timeSource) {
    public static final int DEFAULT_LOCKED_CLOCK_CLASS = 6;
    public static final int DEFAULT_HOLDOVER_CLOCK_CLASS = 7;
    public static final int DEFAULT_FREE_RUNNING_CLOCK_CLASS = 248;
    public static final double DEFAULT_CLOCK_ACCURACY_NS = 100;
    public static final int DEFAULT_OFFSET_SCALED_LOG_VARIANCE = 0xFFFF;

    public GrandmasterPolicyConfig {
        checkClass("locked clock class", lockedClockClass);
        checkClass("holdover clock class", holdoverClockClass);
        checkClass("free-running clock class", freeRunningClockClass);
        if (freeRunningClockClass == lockedClockClass || holdoverClockClass == lockedClockClass) {
            throw new IllegalArgumentException("the holdover and free-running clock classes must differ from the"
                    + " locked class " + lockedClockClass);
        }
        if (clockAccuracyNs < 0 || Double.isInfinite(clockAccuracyNs)) {
            throw new IllegalArgumentException("clock accuracy " + clockAccuracyNs + " ns must be 0 or more");
        }
        if (offsetScaledLogVariance < 0 || offsetScaledLogVariance > 0xFFFF) {
            throw new IllegalArgumentException("offsetScaledLogVariance " + offsetScaledLogVariance
                    + " is outside 0..0xFFFF");
        }
        if (timeSource < 0 || timeSource > 0xFF) {
            throw new IllegalArgumentException("timeSource " + timeSource + " is outside 0..0xFF");
        }
    }

    public static GrandmasterPolicyConfig defaults() {
        return new GrandmasterPolicyConfig(DEFAULT_LOCKED_CLOCK_CLASS, DEFAULT_HOLDOVER_CLOCK_CLASS,
                DEFAULT_FREE_RUNNING_CLOCK_CLASS, DEFAULT_CLOCK_ACCURACY_NS, DEFAULT_OFFSET_SCALED_LOG_VARIANCE,
                TimeSource.GNSS);
    }

    public GrandmasterPolicyConfig withClassesLockedHoldoverFreeRunning(int locked, int holdover, int freeRunning) {
        return new GrandmasterPolicyConfig(locked, holdover, freeRunning, clockAccuracyNs, offsetScaledLogVariance,
                timeSource);
    }

    public GrandmasterPolicyConfig withHoldoverClockClass(int c) {
        return withClassesLockedHoldoverFreeRunning(lockedClockClass, c, freeRunningClockClass);
    }

    public GrandmasterPolicyConfig withFreeRunningClockClass(int c) {
        return withClassesLockedHoldoverFreeRunning(lockedClockClass, holdoverClockClass, c);
    }

    public GrandmasterPolicyConfig withClockAccuracyNs(double ns) {
        return new GrandmasterPolicyConfig(lockedClockClass, holdoverClockClass, freeRunningClockClass, ns,
                offsetScaledLogVariance, timeSource);
    }

    public GrandmasterPolicyConfig withOffsetScaledLogVariance(int v) {
        return new GrandmasterPolicyConfig(lockedClockClass, holdoverClockClass, freeRunningClockClass,
                clockAccuracyNs, v, timeSource);
    }

    public GrandmasterPolicyConfig withTimeSource(int source) {
        return new GrandmasterPolicyConfig(lockedClockClass, holdoverClockClass, freeRunningClockClass,
                clockAccuracyNs, offsetScaledLogVariance, source);
    }

    private static void checkClass(String name, int value) {
        // 255 is slave-only, which a grandmaster must never announce; 0 is reserved
        if (value < 1 || value > 254) {
            throw new IllegalArgumentException(name + " " + value + " is outside 1..254");
        }
    }
}
