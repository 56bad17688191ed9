package org.pps2phc.sim;

import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;

/** The simulated chrony: trusted with {@code sys.bound_ms}, except in {@code sys.untrusted} windows; TAI-UTC 37 and the leap second of sim.leap, if any. */
public final class SimTimeOfDay implements TimeOfDaySource {
    private final SimWorld world;

    public SimTimeOfDay(SimWorld world) {
        this.world = world;
    }

    @Override
    public TodVerdict query() {
        return world.timeOfDay();
    }
}
