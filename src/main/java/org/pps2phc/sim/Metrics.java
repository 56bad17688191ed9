package org.pps2phc.sim;

import java.util.Arrays;
import java.util.Locale;

/**
 * The spec's ground-truth metrics of one run. Boxed fields are null when undefined (never locked, no steady-state
 * window, no outage).
 */
public record Metrics(Long lockTimeS, Double rmsNs, Double p99AbsNs, Double maxAbsNs, long wrongSecondCount,
                      long wrongEdgeCount, Double holdoverMaxAbsNs, long steps) {

    static final double LOCK_NS = 100;
    static final int LOCK_RUN_S = 300;
    static final int AFTER_OUTAGE_S = 600;
    static final double WRONG_SECOND_NS = 0.5e9;
    static final double WRONG_EDGE_NS = 1e6;

    /** The metric names, in the spec's order (also the JSON field names). */
    public static final String[] NAMES = {"lockTimeS", "rmsNs", "p99AbsNs", "maxAbsNs", "wrongSecondCount",
        "wrongEdgeCount", "holdoverMaxAbsNs", "steps"};

    public static Metrics of(GroundTruth truth) {
        double[] te = truth.teNs();
        int n = te.length;
        Long lock = lockTime(te);
        Double rms = null;
        Double p99 = null;
        Double max = null;
        long wrongSecond = 0;
        long wrongEdge = 0;
        long steps = 0;
        if (lock != null) {
            double[] steady = steadyState(te, lock, truth);
            if (steady.length > 0) {
                double sumSq = 0;
                for (double v : steady) {
                    sumSq += v * v;
                }
                rms = Math.sqrt(sumSq / steady.length);
                Arrays.sort(steady);
                p99 = steady[(int) Math.ceil(0.99 * steady.length) - 1];
                max = steady[steady.length - 1];
            }
            for (int k = lock.intValue(); k < n; k++) {
                if (Math.abs(te[k]) > WRONG_SECOND_NS) {
                    wrongSecond++;
                }
                if (Math.abs(te[k] + truth.widthNs()) < WRONG_EDGE_NS) {
                    wrongEdge++;
                }
            }
            long lockNs = lock * SimWorld.S;
            steps = truth.stepTimesNs().stream().filter(t -> t > lockNs).count();
        }
        return new Metrics(lock, rms, p99, max, wrongSecond, wrongEdge, holdover(te, truth), steps);
    }

    /** The first k with |TE_j| < 100 ns for every j in [k, k + 300). */
    static Long lockTime(double[] te) {
        int run = 0;
        for (int j = 0; j < te.length; j++) {
            run = Math.abs(te[j]) < LOCK_NS ? run + 1 : 0;
            if (run == LOCK_RUN_S) {
                return (long) (j - LOCK_RUN_S + 1);
            }
        }
        return null;
    }

    /** |TE| from lockTimeS + 300 to the end, without any outage and the 600 s after it. */
    private static double[] steadyState(double[] te, long lock, GroundTruth truth) {
        double[] out = new double[te.length];
        int m = 0;
        for (int k = (int) Math.min(te.length, lock + LOCK_RUN_S); k < te.length; k++) {
            boolean excluded = false;
            for (Window w : truth.outages()) {
                if (k >= w.startS() && k < w.endS() + AFTER_OUTAGE_S) {
                    excluded = true;
                    break;
                }
            }
            if (!excluded) {
                out[m++] = Math.abs(te[k]);
            }
        }
        return Arrays.copyOf(out, m);
    }

    /** For each outage, max |TE| from its start up to and including the first pulse after it; the worst. */
    private static Double holdover(double[] te, GroundTruth truth) {
        Double worst = null;
        for (Window w : truth.outages()) {
            if (w.startS() >= te.length) {
                continue;
            }
            int first = truth.emittedPulses().nextSetBit((int) w.endS());
            int last = first < 0 || first >= te.length ? te.length - 1 : first;
            double max = 0;
            for (int k = (int) w.startS(); k <= last; k++) {
                max = Math.max(max, Math.abs(te[k]));
            }
            worst = worst == null ? max : Math.max(worst, max);
        }
        return worst;
    }

    /** One JSON object: the metric names plus the servo and scenario. */
    public String toJson(String scenario, String servo) {
        return "{\"scenario\":" + quote(scenario) + ",\"servo\":" + quote(servo)
                + ",\"lockTimeS\":" + num(lockTimeS) + ",\"rmsNs\":" + num(rmsNs) + ",\"p99AbsNs\":" + num(p99AbsNs)
                + ",\"maxAbsNs\":" + num(maxAbsNs) + ",\"wrongSecondCount\":" + wrongSecondCount
                + ",\"wrongEdgeCount\":" + wrongEdgeCount + ",\"holdoverMaxAbsNs\":" + num(holdoverMaxAbsNs)
                + ",\"steps\":" + steps + "}";
    }

    /** The metric's value by name, as a double (NaN when undefined). */
    public double value(String name) {
        Number v = switch (name) {
            case "lockTimeS" -> lockTimeS;
            case "rmsNs" -> rmsNs;
            case "p99AbsNs" -> p99AbsNs;
            case "maxAbsNs" -> maxAbsNs;
            case "wrongSecondCount" -> wrongSecondCount;
            case "wrongEdgeCount" -> wrongEdgeCount;
            case "holdoverMaxAbsNs" -> holdoverMaxAbsNs;
            case "steps" -> steps;
            default -> throw new IllegalArgumentException("no metric " + name);
        };
        return v == null ? Double.NaN : v.doubleValue();
    }

    private static String num(Number n) {
        if (n == null) {
            return "null";
        }
        if (n instanceof Long) {
            return n.toString();
        }
        return String.format(Locale.ROOT, "%.3f", n.doubleValue());
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
