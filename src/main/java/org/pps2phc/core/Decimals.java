package org.pps2phc.core;

import java.util.Locale;

/**
 * Fixed-point text of a number, as {@code String.format("%+W.Nf")} writes it (Locale.ROOT), for the lines written at
 * every pulse and every second (the pulse log line, the systemd status, the status file, the time of day's summary):
 * a Formatter parses its pattern and allocates at every call. Halves round away from zero; values that are not finite or whose
 * digits a double does not hold exactly are left to String.format.
 */
public final class Decimals {
    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final double LARGEST = 1e15;

    private Decimals() {
    }

    /** {@code v} with {@code decimals} digits after the point (0 to 6). */
    public static String of(double v, int decimals) {
        return append(new StringBuilder(24), v, decimals, false, 0).toString();
    }

    /**
     * Appends {@code v} with {@code decimals} digits after the point, a sign also when positive if {@code plus},
     * right-aligned in {@code width} characters (0: as long as it is).
     */
    public static StringBuilder append(StringBuilder sb, double v, int decimals, boolean plus, int width) {
        if (!Double.isFinite(v) || Math.abs(v) * POWERS[decimals] >= LARGEST) {
            String pattern = "%" + (plus ? "+" : "") + (width > 0 ? width : "") + "." + decimals + "f";
            return sb.append(String.format(Locale.ROOT, pattern, v));
        }
        long scale = POWERS[decimals];
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        long scaled = (long) Math.floor(Math.abs(v) * scale + 0.5);
        long whole = scaled / scale;
        long fraction = scaled % scale;
        int length = (negative || plus ? 1 : 0) + digits(whole) + (decimals > 0 ? decimals + 1 : 0);
        for (int i = length; i < width; i++) {
            sb.append(' ');
        }
        if (negative) {
            sb.append('-');
        } else if (plus) {
            sb.append('+');
        }
        sb.append(whole);
        if (decimals > 0) {
            sb.append('.');
            for (int d = digits(fraction); d < decimals; d++) {
                sb.append('0');
            }
            sb.append(fraction);
        }
        return sb;
    }

    private static int digits(long n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }
}
