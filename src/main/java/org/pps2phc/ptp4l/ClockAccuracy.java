package org.pps2phc.ptp4l;

/**
 * The clockAccuracy enumeration of IEEE 1588-2008 (table 6): each code promises "within" a bound, so an accuracy is
 * rounded up to the first bound that covers it.
 */
public final class ClockAccuracy {
    /** Unknown accuracy. */
    public static final int UNKNOWN = 0xFE;
    /** The code for "worse than 10 s". */
    public static final int WORSE_THAN_10_S = 0x31;

    private static final int FIRST_CODE = 0x20;
    private static final double[] BOUNDS_NS = {
        25, 100, 250, 1e3, 2.5e3, 10e3, 25e3, 100e3, 250e3, 1e6, 2.5e6, 10e6, 25e6, 100e6, 250e6, 1e9, 10e9};

    private ClockAccuracy() {
    }

    /**
     * The code for an accuracy of {@code ns} nanoseconds: 25 ns or better gives 0x20, 26..100 ns 0x21, 101..250 ns
     * 0x22, up to 1 µs 0x23, and so on; NaN or a negative value gives {@link #UNKNOWN}.
     */
    public static int forNanoseconds(double ns) {
        if (Double.isNaN(ns) || ns < 0) {
            return UNKNOWN;
        }
        for (int i = 0; i < BOUNDS_NS.length; i++) {
            if (ns <= BOUNDS_NS[i]) {
                return FIRST_CODE + i;
            }
        }
        return WORSE_THAN_10_S;
    }

    /**
     * The bound a code promises, in ns (0x21: 100), so that a configured code can be turned back into an accuracy;
     * NaN for 0xFE (unknown) and codes outside the table.
     */
    public static double boundNs(int code) {
        int i = code - FIRST_CODE;
        return i >= 0 && i < BOUNDS_NS.length ? BOUNDS_NS[i] : Double.NaN;
    }

    /** "0x22 (250 ns)", for messages and docs. */
    public static String describe(int code) {
        if (code == UNKNOWN) {
            return "0xfe (unknown)";
        }
        int i = code - FIRST_CODE;
        if (i >= 0 && i < BOUNDS_NS.length) {
            return String.format("0x%02x (%s)", code, formatNs(BOUNDS_NS[i]));
        }
        if (code == WORSE_THAN_10_S) {
            return "0x31 (> 10 s)";
        }
        return String.format("0x%02x", code);
    }

    private static String formatNs(double ns) {
        if (ns < 1e3) {
            return trim(ns) + " ns";
        } else if (ns < 1e6) {
            return trim(ns / 1e3) + " us";
        } else if (ns < 1e9) {
            return trim(ns / 1e6) + " ms";
        }
        return trim(ns / 1e9) + " s";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
