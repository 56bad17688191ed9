package org.pps2phc.core;

import java.util.Arrays;

/** The recent locked offsets, for a robust (median and MAD) outlier test. */
final class OffsetWindow {
    private static final int SIZE = 31;
    private static final int MIN_FOR_JUDGEMENT = 10;

    private final double[] values = new double[SIZE];
    /** Where the test sorts a copy of the window (kept: the test runs at every locked pulse). */
    private final double[] scratch = new double[SIZE];
    private int count;
    private int next;

    void add(double offsetNs) {
        values[next] = offsetNs;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    void clear() {
        count = 0;
        next = 0;
    }

    /**
     * True when {@code offsetNs} lies further from the median than {@code factor} MADs and {@code floorNs}.
     * Never true before the window has enough samples to judge.
     */
    boolean isOutlier(double offsetNs, double factor, double floorNs) {
        if (count < MIN_FOR_JUDGEMENT) {
            return false;
        }
        System.arraycopy(values, 0, scratch, 0, count);
        Arrays.sort(scratch, 0, count);
        double median = median(scratch, count);
        for (int i = 0; i < count; i++) {
            scratch[i] = Math.abs(scratch[i] - median);
        }
        Arrays.sort(scratch, 0, count);
        double mad = median(scratch, count);
        return Math.abs(offsetNs - median) > Math.max(floorNs, factor * mad);
    }

    private static double median(double[] sorted, int n) {
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
