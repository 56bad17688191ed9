package org.pps2phc.daemon;

import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PhcClock;

/**
 * The one {@link PhcClock} the engine steers, whichever opening of the device is current: calls go to the open
 * device, and fail with a {@link ClockException} while it is absent. Written by the event loop, read by the pulse
 * reader.
 */
final class SwitchedPhc implements PhcClock {
    private final String name;
    private volatile OpenDevice current;
    private volatile long maxAdjPpb;

    SwitchedPhc(String name, long initialMaxAdjPpb) {
        this.name = name;
        this.maxAdjPpb = initialMaxAdjPpb;
    }

    /** The open device, or null while it is absent. */
    OpenDevice current() {
        return current;
    }

    synchronized void install(OpenDevice device) {
        current = device;
        maxAdjPpb = device.phc().maxAdjPpb();
        notifyAll();
    }

    /** Forgets {@code device} if it is still the current one; returns whether it was. */
    synchronized boolean drop(OpenDevice device) {
        if (current != device || device == null) {
            return false;
        }
        current = null;
        return true;
    }

    /** Waits up to {@code timeoutMs} for a device to be installed; returns it, or null. */
    synchronized OpenDevice await(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (current == null) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return null;
            }
            wait(leftMs);
        }
        return current;
    }

    private PhcClock open() throws ClockException {
        OpenDevice d = current;
        if (d == null) {
            throw new ClockException(name + " is absent (waiting for it to come back)");
        }
        return d.phc();
    }

    @Override
    public String name() {
        OpenDevice d = current;
        return d == null ? name : d.phc().name();
    }

    @Override
    public long maxAdjPpb() {
        return maxAdjPpb;
    }

    @Override
    public double frequencyPpb() throws ClockException {
        return open().frequencyPpb();
    }

    @Override
    public void setFrequencyPpb(double ppb) throws ClockException {
        open().setFrequencyPpb(ppb);
    }

    @Override
    public void step(long deltaNs) throws ClockException {
        open().step(deltaNs);
    }
}
