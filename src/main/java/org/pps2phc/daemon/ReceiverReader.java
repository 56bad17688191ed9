package org.pps2phc.daemon;

import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.receiver.PairedTimeOfDay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver (or gpsd) as the daemon's time of day, with the thread that reads it (the daemon is where threads
 * start). Closing it closes the port or connection and stops the thread.
 */
final class ReceiverReader implements TimeOfDaySource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");
    private static final long JOIN_MS = 2000;
    private final PairedTimeOfDay receiver;
    private final Thread thread;
    private String note = "";

    ReceiverReader(PairedTimeOfDay receiver) {
        this.receiver = receiver;
        this.thread = new Thread(this::read, "pps2phc-receiver");
        thread.setDaemon(true);
        thread.start();
    }

    PairedTimeOfDay receiver() {
        return receiver;
    }

    private void read() {
        try {
            receiver.readLoop();
        } catch (InterruptedException e) {
            // closing
        }
    }

    /** The verdict; a remark on the stream that does not stop it (a burst longer than a second) is logged once. */
    @Override
    public TodVerdict query() {
        TodVerdict v = receiver.query();
        String n = receiver.note();
        if (!n.equals(note)) {
            note = n;
            if (!n.isEmpty()) {
                LOG.warn("time of day: {}", n);
            }
        }
        return v;
    }

    @Override
    public void close() throws InterruptedException {
        receiver.close();
        thread.interrupt();
        thread.join(JOIN_MS);
    }
}
