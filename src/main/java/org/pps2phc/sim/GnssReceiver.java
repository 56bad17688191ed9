package org.pps2phc.sim;

import java.util.function.LongSupplier;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * The daemon's receiver path (decoder, bursts, pairing with the pulses, qErr) as {@link SimRunner} drives it with
 * {@code tod.source=gnss}: no thread, every call at the world's present virtual time. The simulator does not know
 * how the receiver is read; the composition root implements this with the receiver adapter.
 */
public interface GnssReceiver extends TimeOfDaySource {
    /** An edge as delivered; returns it as the engine should see it (corrected by qErr, or unchanged). */
    ExttsEvent pulse(ExttsEvent event);

    /** A read of the serial port returned {@code data} now (dated by its first byte, one byte time each). */
    void bytes(byte[] data);

    /**
     * What the receiver path reads the world with.
     *
     * @param realtimeNs  the simulated CLOCK_REALTIME (the system clock of the cross-timestamps)
     * @param monotonicNs the simulated CLOCK_MONOTONIC (virtual time)
     * @param leap        TAI-UTC when the receiver does not say it (the simulated kernel's)
     * @param byteNs      one byte's time on the line
     * @param startUtcS   UTC second at which the run starts (dates before it are implausible to the pairing)
     */
    record Clocks(LongSupplier realtimeNs, LongSupplier monotonicNs, LeapState leap, long byteNs, long startUtcS) {
    }

    /** Builds the receiver path of one run. */
    @FunctionalInterface
    interface Factory {
        GnssReceiver create(Clocks clocks);
    }
}
