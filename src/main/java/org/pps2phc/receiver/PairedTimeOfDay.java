package org.pps2phc.receiver;

import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * A time of day paired with the pulses: the daemon taps its pulse source with {@link #pulse} and runs
 * {@link #readLoop} on a thread of its own until {@link #close}.
 */
public interface PairedTimeOfDay extends TimeOfDaySource, AutoCloseable {
    /** An edge of the pulse train; returns it as the engine should see it (corrected or unchanged). */
    ExttsEvent pulse(ExttsEvent event);

    /** A remark that does not stop it naming seconds ("bursts longer than a second"), or "". */
    default String note() {
        return "";
    }

    /** The receiver's side of the verdict, for the status file and {@code pps2phc tod}. */
    default java.util.Optional<ReceiverStatus> status() {
        return java.util.Optional.empty();
    }

    /** Reads the source until closed, reconnecting or reopening after failures. */
    void readLoop() throws InterruptedException;

    @Override
    void close();
}
