package org.pps2phc.core;

import java.util.Arrays;

/** The recent locked offsets, for a robust (median and MAD) outlier test. */
final class OffsetWindow {
    private static final int SIZE = 31;
    private static final int MIN_FOR_JUDGEMENT = 10;

    private final double[] values = new double[SIZE];
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
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double median = median(sorted);
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(sorted);
        double mad = median(sorted);
        return Math.abs(offsetNs - median) > Math.max(floorNs, factor * mad);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
