package org.pps2phc.daemon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.pps2phc.cli.ExitCodes;
import org.pps2phc.cli.UserError;
import org.pps2phc.config.Settings;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.PhcClock;
import org.pps2phc.core.port.PulseSource;

/**
 * A minimal real-time stand-in for simulated hardware, so that {@code run --simulate} and the daemon's subprocess
 * tests work before the simulator (package sim) is wired in: a PHC with a constant frequency error, a 1 PPS on the
 * true TAI second with white jitter, and a system clock that is always right. The full simulator replaces it (see
 * {@link Assemblies#simulated}).
 */
public final class StandInSimulation implements DaemonAssembly {
    public static final String SCENARIO = "basic";
    private static final long SECOND = 1_000_000_000L;
    private static final int TAI_MINUS_UTC = 37;
    private static final Map<String, String> KEYS = new TreeMap<>(Map.of(
            "drift_ppb", "PHC frequency error, ppb (default 20000)",
            "jitter_ns", "PPS jitter, ns RMS (default 20)",
            "offset_ms", "PHC error at start, ms (default 300)",
            "seed", "random seed (default 1)"));

    private final double driftPpb;
    private final double jitterNs;
    private final double startOffsetMs;
    private final long seed;

    private StandInSimulation(double driftPpb, double jitterNs, double startOffsetMs, long seed) {
        this.driftPpb = driftPpb;
        this.jitterNs = jitterNs;
        this.startOffsetMs = startOffsetMs;
        this.seed = seed;
    }

    /**
     * @param scenario null or "basic"
     * @param sets     KEY=VALUE overrides
     * @throws UserError 64 for an unknown scenario or key, or a bad value
     */
    public static StandInSimulation of(String scenario, List<String> sets) {
        if (scenario != null && !scenario.equals(SCENARIO)) {
            throw new UserError(ExitCodes.USAGE, "unknown scenario '" + scenario + "' (known: " + SCENARIO + ")");
        }
        Map<String, Double> v = new TreeMap<>(Map.of("drift_ppb", 20000.0, "jitter_ns", 20.0, "offset_ms", 300.0,
                "seed", 1.0));
        for (String set : sets) {
            int eq = set.indexOf('=');
            String key = eq < 0 ? set : set.substring(0, eq);
            if (eq < 0 || !KEYS.containsKey(key)) {
                throw new UserError(ExitCodes.USAGE, "--set " + set + ": expected KEY=VALUE with KEY one of "
                        + String.join(", ", KEYS.keySet()));
            }
            try {
                v.put(key, Double.parseDouble(set.substring(eq + 1)));
            } catch (NumberFormatException e) {
                throw new UserError(ExitCodes.USAGE, "--set " + set + ": " + KEYS.get(key) + " must be a number");
            }
        }
        return new StandInSimulation(v.get("drift_ppb"), v.get("jitter_ns"), v.get("offset_ms"),
                v.get("seed").longValue());
    }

    @Override
    public Ports open(Settings settings) {
        Hardware hw = new Hardware();
        TodVerdict trusted = TodVerdict.trusted(1e6, LeapState.fixed(TAI_MINUS_UTC, "sim"), "sim");
        return new Ports(hw, hw, () -> trusted, List.of(), Optional.empty(), System::nanoTime,
                Optional.of(hw::crossTimestamp),
                String.format("simulated PHC (stand-in: drift %+.0f ppb, jitter %.0f ns)", driftPpb, jitterNs));
    }

    /** The PHC and its extts channel, in real time: true time is the system clock, in TAI. */
    private final class Hardware implements PhcClock, PulseSource {
        private final Random random = new Random(seed);
        private final long monoStart = System.nanoTime();
        private final long taiAtStart = System.currentTimeMillis() * 1_000_000L + TAI_MINUS_UTC * SECOND;
        private long phcBase = taiAtStart + Math.round(startOffsetMs * 1e6);
        private long monoBase = monoStart;
        private double adjPpb;
        private volatile boolean closed;

        private long trueTai(long mono) {
            return taiAtStart + (mono - monoStart);
        }

        private synchronized long phcAt(long mono) {
            return phcBase + Math.round((mono - monoBase) * (1 + (driftPpb + adjPpb) * 1e-9));
        }

        @Override
        public String name() {
            return "sim";
        }

        @Override
        public long maxAdjPpb() {
            return 62_499_999;
        }

        @Override
        public synchronized double frequencyPpb() {
            return adjPpb;
        }

        @Override
        public synchronized void setFrequencyPpb(double ppb) {
            long now = System.nanoTime();
            phcBase = phcAt(now);
            monoBase = now;
            adjPpb = ppb;
        }

        @Override
        public synchronized void step(long deltaNs) {
            phcBase += deltaNs;
        }

        CrossTimestamp crossTimestamp() {
            long now = System.nanoTime();
            return new CrossTimestamp(phcAt(now), trueTai(now) - TAI_MINUS_UTC * SECOND, 1000, "sim");
        }

        @Override
        public EdgeMode edgeMode() {
            return EdgeMode.SINGLE;
        }

        @Override
        public Optional<ExttsEvent> next(long timeoutNs) throws InterruptedException {
            long now = System.nanoTime();
            long edgeTai = Math.floorDiv(trueTai(now), SECOND) * SECOND + SECOND;
            long edgeMono = monoStart + (edgeTai - taiAtStart);
            if (closed || edgeMono - now > timeoutNs) {
                sleepNanos(timeoutNs);
                return Optional.empty();
            }
            sleepNanos(edgeMono - now + 1_000_000); // delivered 1 ms after the edge
            long read = System.nanoTime();
            long stamp = phcAt(edgeMono) + Math.round(random.nextGaussian() * jitterNs);
            CrossTimestamp xts = new CrossTimestamp(phcAt(read), trueTai(read) - TAI_MINUS_UTC * SECOND, 1000, "sim");
            return Optional.of(new ExttsEvent(stamp, 0, xts, read));
        }

        private void sleepNanos(long ns) throws InterruptedException {
            if (ns > 0) {
                Thread.sleep(ns / 1_000_000, (int) (ns % 1_000_000));
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
