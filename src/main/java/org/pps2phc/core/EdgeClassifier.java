package org.pps2phc.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells leading edges from trailing edges and glitches.
 *
 * <p>Before the PHC's seconds are known, it groups events into phase clusters: events whose spacing is a whole
 * number of seconds (within the drift a free-running PHC can have) belong to the same edge of the pulse train.
 * Two established clusters are the two edges of a NIC that stamps both; which one leads comes from the configured
 * pulse width when the spacing tells (width far from half a second); for a clearly uneven train with no width
 * configured, from the convention that GNSS pulses are the short side, unless a trusted time of day contradicts it
 * (then nothing is decided: the width must be configured); near 50 % duty cycle, from the edge a trusted time of day
 * puts at the top of the second. Events that join no cluster are glitches.
 *
 * <p>Once the PHC's seconds are known (anchored), the PHC itself says where the edges are: the leading edge at the
 * top of the second, the trailing one a pulse width later; anything else is a glitch, and a train of them with
 * nothing left in the gate means the PHC's phase is lost (DRIFTED).
 *
 * <p>What the arming path says the NIC stamps is a hint: two live established clusters on a NIC said to stamp one
 * edge mean it stamps both, and from then on it is treated so.
 */
final class EdgeClassifier {
    /** DRIFTED: a pulse train has settled outside the anchored PHC's phase gate, with nothing left inside it. */
    enum Kind { LEADING, TRAILING, GLITCH, UNCLASSIFIED, DRIFTED }

    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** Events further apart than this are not compared (the drift tolerance would grow too wide). */
    private static final long CLUSTER_EXPIRY_NS = 6 * SECOND;
    /** Phase tolerance for "a whole number of seconds apart": fixed part plus a 200 ppm drift allowance. */
    private static final long BASE_TOLERANCE_NS = 500_000;
    private static final double DRIFT_TOLERANCE = 200e-6;
    /** An anchored PHC's edges must fall within this of where they belong. */
    private static final long ANCHORED_GATE_NS = 2_000_000;
    private static final int MAX_CLUSTERS = 8;
    /** Without a configured width or a time of day, a train whose short side is under this leads with it. */
    private static final long SHORT_PULSE_LIMIT_NS = 400_000_000;
    /** Added to the time of day's error bound for the jitter of one reading of the system clock. */
    private static final double TOD_SLACK_NS = 2e6;
    /** A cluster last seen this recently is a live edge of the pulse train. */
    private static final long LIVE_NS = 1_500_000_000L;

    /** What the arming path said: a hint; two live clusters mean both edges whatever it said. */
    private final EdgeMode mode;
    private boolean bothSeen;
    private boolean newlyLearned;
    private final long configuredWidthNs;
    private long learnedWidthNs = -1;
    private final List<Cluster> clusters = new ArrayList<>();
    private Cluster leading;
    private boolean leadingFromTimeOfDay;

    EdgeClassifier(EdgeMode mode, long configuredWidthNs) {
        this.mode = mode;
        this.configuredWidthNs = configuredWidthNs;
    }

    /** The edges the NIC stamps, as the pulse train shows them (the arming path's claim until it shows more). */
    EdgeMode edgeMode() {
        return bothSeen ? EdgeMode.BOTH : mode;
    }

    /** True once, right after the pulse train has shown both edges to a NIC said to stamp one. */
    boolean takeNewlyLearned() {
        boolean learned = newlyLearned;
        newlyLearned = false;
        return learned;
    }

    /** The pulse width in use: configured, or learned from the pulse train, or -1 when not yet known. */
    long widthNs() {
        return configuredWidthNs > 0 ? configuredWidthNs : learnedWidthNs;
    }

    /** True when the time of day, not the spacing, told which edge leads: it must then stay precise enough. */
    boolean leadingFromTimeOfDay() {
        return leadingFromTimeOfDay;
    }

    /** Forget every phase: the PHC was stepped, so old timestamps are on another timeline. */
    void clear() {
        clusters.clear();
        leading = null;
    }

    /**
     * The anchored phase is lost (at PHC time {@code phcNs}): which edge leads is decided afresh among the edges
     * still live, and the clusters of the old phase are dropped.
     */
    void phaseLost(long phcNs) {
        clusters.removeIf(c -> phcNs - c.lastNs > LIVE_NS);
        leading = null;
        leadingFromTimeOfDay = false;
    }

    /**
     * @param phcNs   the event's PHC timestamp
     * @param todFrac where a trusted time of day puts the event relative to the nearest TAI second, ns in
     *                [-0.5 s, 0.5 s), or NaN when no trusted time of day can say
     * @param todBoundNs that time of day's error bound
     * @param anchored whether the PHC's own seconds are known
     */
    Kind classify(long phcNs, double todFrac, double todBoundNs, boolean anchored) {
        Cluster joined = join(phcNs, todFrac, todBoundNs);
        learnEdges(phcNs);
        if (anchored && (edgeMode() == EdgeMode.SINGLE || widthNs() > 0)) {
            Kind kind = byPhcPhase(phcNs);
            if (kind == Kind.GLITCH && joined.count >= 2 && !liveInLeadingGate(phcNs)) {
                return Kind.DRIFTED;
            }
            return kind;
        }
        if (joined.count < 2) {
            return Kind.UNCLASSIFIED;
        }
        if (edgeMode() == EdgeMode.SINGLE) {
            return Kind.LEADING;
        }
        decideLeading();
        if (leading == null) {
            return Kind.UNCLASSIFIED;
        }
        return joined == leading ? Kind.LEADING : Kind.TRAILING;
    }

    /** Two live established clusters on a NIC said to stamp one edge: it stamps both. */
    private void learnEdges(long phcNs) {
        if (bothSeen || mode == EdgeMode.BOTH) {
            return;
        }
        int live = 0;
        for (Cluster c : clusters) {
            if (c.count >= 2 && phcNs - c.lastNs <= LIVE_NS) {
                live++;
            }
        }
        if (live >= 2) {
            bothSeen = true;
            newlyLearned = true;
            leading = null;
            leadingFromTimeOfDay = false;
        }
    }

    /** Whether an edge was seen in the anchored PHC's leading gate within the last {@link #LIVE_NS}. */
    private boolean liveInLeadingGate(long phcNs) {
        for (Cluster c : clusters) {
            if (phcNs - c.lastNs <= LIVE_NS && phcNs != c.lastNs
                    && Math.abs(centred(Math.floorMod(c.lastNs, SECOND))) < ANCHORED_GATE_NS) {
                return true;
            }
        }
        return false;
    }

    /** Where the PHC puts {@code phcNs} relative to its nearest second, ns. */
    static long phaseNs(long phcNs) {
        return centred(Math.floorMod(phcNs, SECOND));
    }

    private Kind byPhcPhase(long phcNs) {
        long frac = centred(Math.floorMod(phcNs, SECOND));
        if (Math.abs(frac) < ANCHORED_GATE_NS) {
            return Kind.LEADING;
        }
        if (edgeMode() == EdgeMode.BOTH) {
            long trailing = centred(widthNs());
            if (Math.abs(frac - trailing) < ANCHORED_GATE_NS) {
                return Kind.TRAILING;
            }
        }
        return Kind.GLITCH;
    }

    private Cluster join(long phcNs, double todFrac, double todBoundNs) {
        clusters.removeIf(c -> phcNs - c.lastNs > CLUSTER_EXPIRY_NS || phcNs < c.lastNs);
        if (leading != null && !clusters.contains(leading)) {
            leading = null;
            leadingFromTimeOfDay = false;
        }
        for (Cluster c : clusters) {
            long gap = phcNs - c.lastNs;
            long tolerance = BASE_TOLERANCE_NS + (long) (DRIFT_TOLERANCE * gap);
            long off = centred(Math.floorMod(gap, SECOND));
            if (gap >= SECOND - tolerance && Math.abs(off) <= tolerance) {
                c.lastNs = phcNs;
                c.count++;
                c.timeOfDay(todFrac, todBoundNs);
                return c;
            }
        }
        if (clusters.size() >= MAX_CLUSTERS) {
            clusters.remove(0);
        }
        Cluster c = new Cluster(phcNs, todFrac, todBoundNs);
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
            // Width not configured, train clearly not 50 %: GNSS receivers' pulses are the short side (u-blox
            // 100 ms, most others 1-200 ms). A time of day that puts that edge off the top of the second by more
            // than its bound contradicts it (a long pulse, or a time of day that is wrong): then only the configured
            // width can settle which edge leads, and guessing could lock a whole pulse width off.
            Cluster shortPulse = forward == shortSide ? a : b;
            if (!Double.isNaN(shortPulse.todFrac)
                    && Math.abs(shortPulse.todFrac) > shortPulse.todBoundNs + TOD_SLACK_NS) {
                return;
            }
            leading = shortPulse;
        } else {
            // Near 50 % (or the configured width does not fit the spacing): only the time of day can tell, best
            // within its own bound, else by whichever edge it puts nearer the top of the second.
            Cluster byTimeOfDay = atTheTopOfTheSecond(a, b, true);
            if (byTimeOfDay == null) {
                byTimeOfDay = atTheTopOfTheSecond(a, b, false);
            }
            if (byTimeOfDay == null) {
                return;
            }
            leading = byTimeOfDay;
            leadingFromTimeOfDay = true;
        }
        Cluster trailing = leading == a ? b : a;
        learnedWidthNs = Math.floorMod(trailing.lastNs - leading.lastNs, SECOND);
    }

    /**
     * The one of the two edges that a trusted time of day puts at the top of the second while the other is not:
     * within its own error bound ({@code withinBound}) or just nearer than half the spacing of the edges. Null when
     * the time of day cannot tell (none, both or neither within).
     */
    private static Cluster atTheTopOfTheSecond(Cluster a, Cluster b, boolean withinBound) {
        if (Double.isNaN(a.todFrac) || Double.isNaN(b.todFrac)) {
            return null;
        }
        long spacing = Math.floorMod(b.lastNs - a.lastNs, SECOND);
        double within = Math.min(spacing, SECOND - spacing) / 2.0;
        if (withinBound) {
            double claimed = Math.max(a.todBoundNs, b.todBoundNs) + TOD_SLACK_NS;
            if (claimed > within) {
                return null; // by its own account the time of day is too loose to tell edges this close apart
            }
            within = claimed;
        }
        boolean aOnTop = Math.abs(a.todFrac) < within;
        boolean bOnTop = Math.abs(b.todFrac) < within;
        if (aOnTop == bOnTop) {
            return null;
        }
        return aOnTop ? a : b;
    }

    /** A NIC said to stamp both edges that shows only one: accept it when the time of day puts it on the second. */
    private void decideSingleEstablished(Cluster only) {
        if (only.count >= 4 && !Double.isNaN(only.todFrac)
                && Math.abs(only.todFrac) < Math.min(only.todBoundNs + TOD_SLACK_NS, SECOND / 4.0)) {
            leading = only;
        }
    }

    private static long centred(long phase) {
        return phase >= SECOND / 2 ? phase - SECOND : phase;
    }

    private static final class Cluster {
        long lastNs;
        int count = 1;
        /** Mean of where the time of day put this edge relative to the second (NaN until one could say). */
        double todFrac;
        /** The largest error bound among those readings. */
        double todBoundNs;
        private int todReadings;

        Cluster(long phcNs, double todFrac, double todBoundNs) {
            this.lastNs = phcNs;
            this.todFrac = Double.NaN;
            timeOfDay(todFrac, todBoundNs);
        }

        /** Averages the readings, so that the system clock's jitter cannot tip a decision one pulse at a time. */
        void timeOfDay(double frac, double boundNs) {
            if (Double.isNaN(frac)) {
                return;
            }
            todReadings++;
            todFrac = todReadings == 1 ? frac : todFrac + (frac - todFrac) / todReadings;
            todBoundNs = todReadings == 1 ? boundNs : Math.max(todBoundNs, boundNs);
        }
    }
}
