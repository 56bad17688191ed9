package org.pps2phc.daemon;

import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.receiver.PairedTimeOfDay;

/**
 * The receiver (or gpsd) as the daemon's time of day, with the thread that reads it (the daemon is where threads
 * start). Closing it closes the port or connection and stops the thread.
 */
final class ReceiverReader implements TimeOfDaySource, AutoCloseable {
    private static final long JOIN_MS = 2000;
    private final PairedTimeOfDay receiver;
    private final Thread thread;

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

    @Override
    public TodVerdict query() {
        return receiver.query();
    }

    @Override
    public void close() throws InterruptedException {
        receiver.close();
        thread.interrupt();
        thread.join(JOIN_MS);
    }
}
