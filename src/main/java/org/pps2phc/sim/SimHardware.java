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

    private SimHardware(SimWorld world) {
        this.world = world;
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
        return new SimHardware(world);
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
        return new SimHardware(world);
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
