package org.pps2phc.ptp4l;

/**
 * What pps2phc promises when it tells ptp4l about its clock.
 *
 * @param clockAccuracyNs         accuracy of the PHC against GNSS time while locked, in ns; mapped to the PTP
 *                                clockAccuracy enumeration (250 ns: 0x22). NaN: announce "unknown" (0xFE)
 * @param offsetScaledLogVariance announced while locked or in holdover; 0xFFFF means "not computed"
 * @param holdoverClockClass      announced in holdover within its budget (7: holdover within specification)
 * @param freeRunningClockClass   announced while acquiring, free-running, or in holdover past its budget (248 is
 *                                ptp4l's own default; 52 or 187 are the "degraded" classes)
 */
public record GrandmasterPolicyConfig(double clockAccuracyNs, int offsetScaledLogVariance, int holdoverClockClass,
                                      int freeRunningClockClass) {
    public static final double DEFAULT_CLOCK_ACCURACY_NS = 250;
    public static final int DEFAULT_OFFSET_SCALED_LOG_VARIANCE = 0xFFFF;
    public static final int DEFAULT_HOLDOVER_CLOCK_CLASS = 7;
    public static final int DEFAULT_FREE_RUNNING_CLOCK_CLASS = 248;

    public GrandmasterPolicyConfig {
        if (clockAccuracyNs < 0 || Double.isInfinite(clockAccuracyNs)) {
            throw new IllegalArgumentException("clock accuracy " + clockAccuracyNs + " ns must be 0 or more");
        }
        if (offsetScaledLogVariance < 0 || offsetScaledLogVariance > 0xFFFF) {
            throw new IllegalArgumentException("offsetScaledLogVariance " + offsetScaledLogVariance
                    + " is outside 0..0xFFFF");
        }
        checkClass("holdover clock class", holdoverClockClass);
        checkClass("free-running clock class", freeRunningClockClass);
    }

    public static GrandmasterPolicyConfig defaults() {
        return new GrandmasterPolicyConfig(DEFAULT_CLOCK_ACCURACY_NS, DEFAULT_OFFSET_SCALED_LOG_VARIANCE,
                DEFAULT_HOLDOVER_CLOCK_CLASS, DEFAULT_FREE_RUNNING_CLOCK_CLASS);
    }

    public GrandmasterPolicyConfig withClockAccuracyNs(double ns) {
        return new GrandmasterPolicyConfig(ns, offsetScaledLogVariance, holdoverClockClass, freeRunningClockClass);
    }

    public GrandmasterPolicyConfig withOffsetScaledLogVariance(int v) {
        return new GrandmasterPolicyConfig(clockAccuracyNs, v, holdoverClockClass, freeRunningClockClass);
    }

    public GrandmasterPolicyConfig withHoldoverClockClass(int c) {
        return new GrandmasterPolicyConfig(clockAccuracyNs, offsetScaledLogVariance, c, freeRunningClockClass);
    }

    public GrandmasterPolicyConfig withFreeRunningClockClass(int c) {
        return new GrandmasterPolicyConfig(clockAccuracyNs, offsetScaledLogVariance, holdoverClockClass, c);
    }

    private static void checkClass(String name, int value) {
        // 6 is the locked class; 255 is slave-only, which a grandmaster must never announce
        if (value < 1 || value > 254 || value == GrandmasterPolicy.LOCKED_CLOCK_CLASS) {
            throw new IllegalArgumentException(name + " " + value + " must be 1..254 and not 6 (the locked class)");
        }
    }
}
