package org.pps2phc.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * An eventfd that a waiting thread polls beside its device, so that another thread can end the wait at once:
 * {@link #wake} adds one to its counter (the poll sees it readable), {@link #drain} sets it back to zero. A wake
 * that comes before the poll is not lost: the counter keeps it. Wake, drain and close may come from different
 * threads; after close the others do nothing (the fd number may already belong to another file).
 */
final class WakeupFd implements AutoCloseable {
    private static final int COUNTER_SIZE = 8;

    private final FileCalls files;
    private final int fd;
    private final Memory one = new Memory(COUNTER_SIZE);
    private final Memory counter = new Memory(COUNTER_SIZE);
    private boolean closed;

    private WakeupFd(FileCalls files, int fd) {
        this.files = files;
        this.fd = fd;
        one.setLong(0, 1);
    }

    static WakeupFd open(LinuxKernel kernel, String device) throws PhcException {
        int fd = kernel.events().eventfd(0, EventFdCalls.EFD_CLOEXEC | EventFdCalls.EFD_NONBLOCK);
        if (fd < 0) {
            throw PhcErrors.operation(device, "eventfd (to wake its pulse reader)", Native.getLastError());
        }
        return new WakeupFd(kernel.files(), fd);
    }

    int fd() {
        return fd;
    }

    /** Makes the poll that includes {@link #fd} return now, or the next one at once. Never blocks, never throws. */
    synchronized void wake() {
        if (!closed) {
            files.write(fd, one, COUNTER_SIZE); // EAGAIN only when the counter is full: woken already
        }
    }

    /** Reads the counter back to zero (non-blocking: nothing to read is EAGAIN, ignored). */
    synchronized void drain() {
        if (!closed) {
            files.read(fd, counter, COUNTER_SIZE);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            files.close(fd);
        }
    }
}
