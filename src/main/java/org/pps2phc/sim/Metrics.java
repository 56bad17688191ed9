package org.pps2phc.sim;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The ground-truth metrics of one run (docs/simulator.md, "Metrics"). Boxed fields are null when undefined (never
 * locked, no steady-state window, no outage); {@code recoveryS} is {@link #NEVER} when an interruption was never
 * recovered from before the run ended.
 */
public record Metrics(Long lockTimeS, Double rmsNs, Double p99AbsNs, Double maxAbsNs, long wrongSecondCount,
                      long wrongEdgeCount, Double holdoverMaxAbsNs, long steps, long falseLockS, Long recoveryS,
                      long boundViolationS) {

    static final double LOCK_NS = 100;
    static final int LOCK_RUN_S = 300;
    static final int AFTER_OUTAGE_S = 600;
    static final double WRONG_SECOND_NS = 0.5e9;
    static final double WRONG_EDGE_NS = 1e6;
    /** {@code recoveryS} of a run in which TE never settled after an outage or removal. */
    public static final long NEVER = -1;

    /** The metric names, in docs/simulator.md's order (also the JSON field names). */
    public static final String[] NAMES = {"lockTimeS", "rmsNs", "p99AbsNs", "maxAbsNs", "wrongSecondCount",
        "wrongEdgeCount", "holdoverMaxAbsNs", "steps", "falseLockS", "recoveryS", "boundViolationS"};

    /**
     * The metrics of a recorded ground truth alone, with no engine beside it: nothing was claimed, so
     * {@code falseLockS} and {@code boundViolationS} are 0; outages are the only interruptions.
     */
    public static Metrics of(GroundTruth truth) {
        double[] te = truth.teNs();
        Scorecard card = new Scorecard(te.length, truth.outages(), List.of(), truth.widthNs());
        for (int k = 0; k < te.length; k++) {
            card.second(k, te[k], null, Double.NaN, truth.emittedPulses().get(k));
        }
        return card.metrics(truth.stepTimesNs());
    }

    /** The first k with |TE_j| < 100 ns for every j in [k, k + 300). */
    static Long lockTime(double[] te) {
        return of(new GroundTruth(te, List.of(), new BitSet(), List.of(), 0)).lockTimeS();
    }

    /** One JSON object: the metric names plus the servo and scenario. */
    public String toJson(String scenario, String servo) {
        return "{\"scenario\":" + quote(scenario) + ",\"servo\":" + quote(servo)
                + ",\"lockTimeS\":" + num(lockTimeS) + ",\"rmsNs\":" + num(rmsNs) + ",\"p99AbsNs\":" + num(p99AbsNs)
                + ",\"maxAbsNs\":" + num(maxAbsNs) + ",\"wrongSecondCount\":" + wrongSecondCount
                + ",\"wrongEdgeCount\":" + wrongEdgeCount + ",\"holdoverMaxAbsNs\":" + num(holdoverMaxAbsNs)
                + ",\"steps\":" + steps + ",\"falseLockS\":" + falseLockS + ",\"recoveryS\":" + num(recoveryS)
                + ",\"boundViolationS\":" + boundViolationS + "}";
    }

    /** The metric's value by name, as a double (NaN when undefined; a {@code recoveryS} of NEVER is infinite). */
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
            case "falseLockS" -> falseLockS;
            case "recoveryS" -> recoveryS != null && recoveryS == NEVER ? (Number) Double.POSITIVE_INFINITY
                    : (Number) recoveryS;
            case "boundViolationS" -> boundViolationS;
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
