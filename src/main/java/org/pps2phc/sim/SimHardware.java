package org.pps2phc.sim;

import java.util.Map;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.port.MonotonicClock;

/**
 * The simulated hardware as the daemon wires it for {@code pps2phc run --simulate}: one world, paced to the wall
 * clock, and its ports. Every port is safe to use from the daemon's threads.
 */
public final class SimHardware {
    private final SimWorld world;
    private final SimPhcClock phc;
    private final SimPulseSource pulses;
    private final SimTimeOfDay timeOfDay;

    private final long seed;

    private SimHardware(SimWorld world, long seed) {
        this.world = world;
        this.seed = seed;
        this.phc = new SimPhcClock(world);
        this.pulses = new SimPulseSource(world);
        this.timeOfDay = new SimTimeOfDay(world);
    }

    /**
     * A world that runs in real time ({@code speed} 1) or faster, keeping no ground truth (it may run forever).
     *
     * @throws ScenarioException for an unknown scenario or key, or a bad value
     */
    public static SimHardware paced(String scenario, Map<String, String> overrides, long seed,
                                    double speed) {
        SimWorld world = new SimWorld(Scenarios.resolve(scenario, overrides), seed, 0);
        world.pace(speed);
        return new SimHardware(world, seed);
    }

    /**
     * A world in real time whose start ({@code sim.start}, virtual time 0) is the {@code System.nanoTime()} reading
     * {@code startNanoTime}, already past: its clocks then agree with the machine's as closely as that reading
     * does, however long building the world took.
     *
     * @throws ScenarioException for an unknown scenario or key, or a bad value
     */
    public static SimHardware startedAt(String scenario, Map<String, String> overrides, long seed,
                                        long startNanoTime) {
        SimWorld world = new SimWorld(Scenarios.resolve(scenario, overrides), seed, 0);
        world.pace(1.0, startNanoTime);
        return new SimHardware(world, seed);
    }

    /**
     * The receiver's serial line ({@code tod.source=gnss}): its bytes in step with this world's wall-clock pace, its
     * random draws from the world's seed. Call once: each call is a receiver of its own.
     */
    public GnssLine gnssLine() {
        return new GnssLine(world, new GnssStream(world.parameters(), seed));
    }

    /** A reading of the simulated CLOCK_REALTIME (the system clock of the cross-timestamps). */
    public long systemTimeNs() {
        return world.systemTimeNs();
    }

    public SimWorld world() {
        return world;
    }

    public SimPhcClock phc() {
        return phc;
    }

    public SimPulseSource pulses() {
        return pulses;
    }

    public SimTimeOfDay timeOfDay() {
        return timeOfDay;
    }

    /** The simulated CLOCK_MONOTONIC: virtual ns since the start of the run. */
    public MonotonicClock monotonic() {
        return world::nowNs;
    }

    /** A fresh PHC/system cross-timestamp (for ticks). */
    public CrossTimestamp crossTimestamp() {
        return world.crossTimestamp();
    }

    /** The simulated UTC (POSIX ns) now, for what the daemon would otherwise read from the wall clock. */
    public long utcNowNs() {
        return world.utcNowNs();
    }

    /** TAI-UTC of the simulated world (37 s) and its leap second, if sim.leap sets one. */
    public LeapState leap() {
        return world.leap();
    }
}
