package org.pps2phc.sim;

import java.util.Optional;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.PulseSource;

/**
 * The simulated extts channel. Waiting is what moves virtual time: in fast mode {@link #next} jumps straight to
 * the next delivery (or the timeout); once the world is paced it sleeps until that moment on the wall clock.
 */
public final class SimPulseSource implements PulseSource {
    private final SimWorld world;
    private volatile boolean closed;

    public SimPulseSource(SimWorld world) {
        this.world = world;
    }

    @Override
    public EdgeMode edgeMode() {
        return world.parameters().nicBothEdges() ? EdgeMode.BOTH : EdgeMode.SINGLE;
    }

    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws InterruptedException {
        long deadline = world.nowNs() + Math.max(0, timeoutNs);
        while (true) {
            long wakeAt;
            WallPacer pacer;
            synchronized (world) {
                world.catchUp();
                ExttsEvent event = closed ? null : world.takeDelivered();
                if (event != null) {
                    return Optional.of(event);
                }
                if (world.nowNs() >= deadline) {
                    return Optional.empty();
                }
                wakeAt = closed ? deadline : Math.min(deadline, world.nextDueNs());
                pacer = world.pacer();
                if (pacer == null) {
                    world.advanceTo(wakeAt);
                    continue;
                }
            }
            pacer.sleepUntil(wakeAt);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
