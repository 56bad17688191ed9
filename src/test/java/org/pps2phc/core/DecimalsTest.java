package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecimalsTest {
    @Test
    void writesWhatFormatWrites() {
        double[] values = {0, -0.0, 0.4, -0.4, 0.5, -0.5, 1.5, 12, -12, 23712, -23712.25, 99.9996, 1e14 + 0.25,
            37_000_000_123.456, Double.NaN, Double.POSITIVE_INFINITY, -1e300};
        for (double v : values) {
            same(v);
        }
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            same((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12)));
        }
    }

    private static void same(double v) {
        assertEquals(String.format(Locale.ROOT, "%.3f", v), Decimals.of(v, 3), "%.3f of " + v);
        assertEquals(String.format(Locale.ROOT, "%.0f", v), Decimals.of(v, 0), "%.0f of " + v);
        assertEquals(String.format(Locale.ROOT, "%8.0f", v), Decimals.append(new StringBuilder(), v, 0, false, 8)
                .toString(), "%8.0f of " + v);
        assertEquals(String.format(Locale.ROOT, "%+8.0f", v), Decimals.append(new StringBuilder(), v, 0, true, 8)
                .toString(), "%+8.0f of " + v);
    }
}
