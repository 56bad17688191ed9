package org.pps2phc.sim;

import java.util.Optional;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PulseSource;

/**
 * The simulated extts channel. Waiting is what moves virtual time: in fast mode {@link #next} jumps straight to
 * the next delivery (or the timeout); once the world is paced it sleeps until that moment on the wall clock.
 * {@link #edgeMode()} is what the arming path reports ({@code nic.reports_edges}), which need not be what the NIC
 * does ({@code nic.both_edges}).
 */
public final class SimPulseSource implements PulseSource {
    private final SimWorld world;
    private volatile boolean closed;

    public SimPulseSource(SimWorld world) {
        this.world = world;
    }

    @Override
    public EdgeMode edgeMode() {
        return switch (world.parameters().faults().reportedEdges()) {
            case AUTO -> world.parameters().nicBothEdges() ? EdgeMode.BOTH : EdgeMode.SINGLE;
            case SINGLE -> EdgeMode.SINGLE;
            case BOTH -> EdgeMode.BOTH;
        };
    }

    /** @throws ClockException inside a nic.removed window, as a read of a removed device fails with ENODEV */
    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws ClockException, InterruptedException {
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
