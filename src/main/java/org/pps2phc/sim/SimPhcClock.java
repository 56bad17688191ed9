package org.pps2phc.sim;

import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PhcClock;

/** The simulated PHC as the engine's controller sees it; inside a nic.removed window every call fails (ENODEV). */
public final class SimPhcClock implements PhcClock {
    private final SimWorld world;

    public SimPhcClock(SimWorld world) {
        this.world = world;
    }

    @Override
    public String name() {
        return SimWorld.DEVICE;
    }

    @Override
    public long maxAdjPpb() {
        return world.parameters().phcMaxAdjPpb();
    }

    @Override
    public double frequencyPpb() throws ClockException {
        return world.dialledPpb();
    }

    @Override
    public void setFrequencyPpb(double ppb) throws ClockException {
        world.setFrequencyPpb(ppb);
    }

    @Override
    public void step(long deltaNs) throws ClockException {
        world.step(deltaNs);
    }
}
