package org.pps2phc.core.port;

import java.util.Optional;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;

/** The armed external-timestamp channel: edges, each with the cross-timestamp taken right after it. */
public interface PulseSource extends AutoCloseable {
    /** How many edges per pulse the hardware stamps (learned while arming). */
    EdgeMode edgeMode();

    /**
     * Waits up to {@code timeoutNs} for the next event.
     *
     * @return the event, or empty on timeout (a missing pulse is a timeout, not an error)
     */
    Optional<ExttsEvent> next(long timeoutNs) throws ClockException, InterruptedException;

    /**
     * Ends a {@link #next} that another thread is blocked in, or makes the next call return at once if none is:
     * it returns what it has read, else empty, or throws InterruptedException when its thread was interrupted.
     * For a stop, interrupt the reader, then call this. Safe from any thread, never blocks. The default does
     * nothing, for a source whose {@link #next} an interrupt ends by itself (it sleeps in Java).
     */
    default void wakeUp() {
    }

    /** Disarms the channel. Idempotent. */
    @Override
    void close();
}
