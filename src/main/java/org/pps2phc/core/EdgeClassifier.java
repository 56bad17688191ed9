package org.pps2phc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells leading edges from trailing edges and glitches.
 *
 * <p>Before the PHC's seconds are known, it groups events into phase clusters: events whose spacing is a whole
 * number of seconds (within the drift a free-running PHC can have) belong to the same edge of the pulse train.
 * Two established clusters are the two edges of a NIC that stamps both; which one leads comes from the configured
 * pulse width when the spacing tells (width far from half a second); without a configured width, from the
 * convention that GNSS pulses are short when the spacing is clearly uneven; otherwise (near 50 % duty cycle) from a
 * trusted time of day (the leading edge is the one at the top of the second). Events that join no cluster are
 * glitches.
 *
 * <p>Once the PHC's seconds are known (anchored), the PHC itself says where the edges are: the leading edge at the
 * top of the second, the trailing one a pulse width later; anything else is a glitch.
 */
final class EdgeClassifier {
    enum Kind { LEADING, TRAILING, GLITCH, UNCLASSIFIED }

    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** Events further apart than this are not compared (the drift tolerance would grow too wide). */
    private static final long CLUSTER_EXPIRY_NS = 6 * SECOND;
    /** Phase tolerance for "a whole number of seconds apart": fixed part plus a 200 ppm drift allowance. */
    private static final long BASE_TOLERANCE_NS = 500_000;
    private static final double DRIFT_TOLERANCE = 200e-6;
    /** An anchored PHC's edges must fall within this of where they belong. */
    private static final long ANCHORED_GATE_NS = 2_000_000;
    private static final int MAX_CLUSTERS = 8;
    /** Without a configured width, a pulse train whose short side is under this is taken to lead with it. */
    private static final long SHORT_PULSE_LIMIT_NS = 400_000_000;

    private final EdgeMode mode;
    private final long configuredWidthNs;
    private long learnedWidthNs = -1;
    private final List<Cluster> clusters = new ArrayList<>();
    private Cluster leading;

    EdgeClassifier(EdgeMode mode, long configuredWidthNs) {
        this.mode = mode;
        this.configuredWidthNs = configuredWidthNs;
    }

    /** The pulse width in use: configured, or learned from the pulse train, or -1 when not yet known. */
    long widthNs() {
        return configuredWidthNs > 0 ? configuredWidthNs : learnedWidthNs;
    }

    /** Forget every phase: the PHC was stepped, so old timestamps are on another timeline. */
    void clear() {
        clusters.clear();
        leading = null;
    }

    /**
     * @param phcNs   the event's PHC timestamp
     * @param todFrac where a trusted time of day puts the event relative to the nearest TAI second, ns in
     *                [-0.5 s, 0.5 s), or NaN when no trusted time of day can say
     * @param anchored whether the PHC's own seconds are known
     */
    Kind classify(long phcNs, double todFrac, boolean anchored) {
        Cluster joined = join(phcNs, todFrac);
        if (anchored && (mode == EdgeMode.SINGLE || widthNs() > 0)) {
            return byPhcPhase(phcNs);
        }
        if (joined == null || joined.count < 2) {
            return Kind.UNCLASSIFIED;
        }
        if (mode == EdgeMode.SINGLE) {
            return Kind.LEADING;
        }
        decideLeading();
        if (leading == null) {
            return Kind.UNCLASSIFIED;
        }
        return joined == leading ? Kind.LEADING : Kind.TRAILING;
    }

    private Kind byPhcPhase(long phcNs) {
        long frac = centred(Math.floorMod(phcNs, SECOND));
        if (Math.abs(frac) < ANCHORED_GATE_NS) {
            return Kind.LEADING;
        }
        if (mode == EdgeMode.BOTH) {
            long trailing = centred(widthNs());
            if (Math.abs(frac - trailing) < ANCHORED_GATE_NS) {
                return Kind.TRAILING;
            }
        }
        return Kind.GLITCH;
    }

    private Cluster join(long phcNs, double todFrac) {
        clusters.removeIf(c -> phcNs - c.lastNs > CLUSTER_EXPIRY_NS || phcNs < c.lastNs);
        if (leading != null && !clusters.contains(leading)) {
            leading = null;
        }
        for (Cluster c : clusters) {
            long gap = phcNs - c.lastNs;
            long tolerance = BASE_TOLERANCE_NS + (long) (DRIFT_TOLERANCE * gap);
            long off = centred(Math.floorMod(gap, SECOND));
            if (gap >= SECOND - tolerance && Math.abs(off) <= tolerance) {
                c.lastNs = phcNs;
                c.count++;
                c.todFrac = todFrac;
                return c;
            }
        }
        if (clusters.size() >= MAX_CLUSTERS) {
            clusters.remove(0);
        }
        Cluster c = new Cluster(phcNs, todFrac);
        clusters.add(c);
        return c;
    }

    /** Among the established clusters, picks the leading edge if the evidence allows. */
    private void decideLeading() {
        List<Cluster> established = new ArrayList<>();
        for (Cluster c : clusters) {
            if (c.count >= 2) {
                established.add(c);
            }
        }
        if (established.size() != 2) {
            if (established.size() == 1 && leading == null) {
                decideSingleEstablished(established.get(0));
            }
            return;
        }
        Cluster a = established.get(0);
        Cluster b = established.get(1);
        long forward = Math.floorMod(b.lastNs - a.lastNs, SECOND); // phase of b after a
        long tolerance = 4 * BASE_TOLERANCE_NS;
        if (configuredWidthNs > 0 && Math.abs(configuredWidthNs - SECOND / 2) > 2 * tolerance) {
            if (Math.abs(forward - configuredWidthNs) < tolerance) {
                leading = a;
                return;
            }
            if (Math.abs(forward - (SECOND - configuredWidthNs)) < tolerance) {
                leading = b;
                return;
            }
            // The spacing matches neither way round: the configured width is wrong; let the time of day decide.
        }
        long shortSide = Math.min(forward, SECOND - forward);
        if (configuredWidthNs <= 0 && shortSide < SHORT_PULSE_LIMIT_NS) {
            // Width not configured and clearly not 50 %: GNSS receivers' pulses are the short side (u-blox 100 ms,
            // most others 1-200 ms), which holds however wrong the time of day is. A long pulse must be configured.
            leading = forward == shortSide ? a : b;
            learnedWidthNs = shortSide;
            return;
        }
        if (Double.isNaN(a.todFrac) || Double.isNaN(b.todFrac)) {
            return;
        }
        double margin = shortSide / 2.0;
        if (Math.abs(a.todFrac) < margin && Math.abs(b.todFrac) >= margin) {
            leading = a;
        } else if (Math.abs(b.todFrac) < margin && Math.abs(a.todFrac) >= margin) {
            leading = b;
        } else {
            return;
        }
        Cluster trailing = leading == a ? b : a;
        learnedWidthNs = Math.floorMod(trailing.lastNs - leading.lastNs, SECOND);
    }

    /** A NIC said to stamp both edges that shows only one: accept it when the time of day puts it on the second. */
    private void decideSingleEstablished(Cluster only) {
        if (only.count >= 4 && !Double.isNaN(only.todFrac) && Math.abs(only.todFrac) < SECOND / 4.0) {
            leading = only;
        }
    }

    private static long centred(long phase) {
        return phase >= SECOND / 2 ? phase - SECOND : phase;
    }

    private static final class Cluster {
        long lastNs;
        int count = 1;
        double todFrac;

        Cluster(long phcNs, double todFrac) {
            this.lastNs = phcNs;
            this.todFrac = todFrac;
        }
    }
}
