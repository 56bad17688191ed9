package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import java.util.Optional;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.PulseSource;

/**
 * An armed external-timestamp channel: waits for events with poll() so a missing pulse is a timeout and shutdown
 * is prompt, reads one 32-byte struct ptp_extts_event at a time, skips events of other channels, and takes a
 * cross-timestamp right after each event.
 */
public final class ExttsChannel implements PulseSource {
    /**
     * Longest single poll, so an interrupt is noticed within this time (the daemon waits 500 ms for its reader at
     * stop); each slice that ends without an event is a wakeup.
     */
    private static final int POLL_SLICE_MS = 250;

    private final PhcDevice device;
    private final LinuxKernel kernel;
    private final int fd;
    private final int channel;
    private final EdgeRequest request;
    /** The reader thread's own: one struct ptp_extts_event and one struct pollfd, reused for every event. */
    private final NativeStruct event = new NativeStruct(PtpIoctls.SIZEOF_EXTTS_EVENT);
    private final NativeStruct pollFd = NativeStruct.of(new FileCalls.PollFd());
    private long otherChannelEvents;
    private volatile boolean closed;

    ExttsChannel(PhcDevice device, LinuxKernel kernel, int fd, int channel, EdgeRequest request) {
        this.device = device;
        this.kernel = kernel;
        this.fd = fd;
        this.channel = channel;
        this.request = request;
    }

    public int channel() {
        return channel;
    }

    /** The request the driver accepted. */
    public EdgeRequest edgeRequest() {
        return request;
    }

    @Override
    public EdgeMode edgeMode() {
        return request.edgeMode();
    }

    /** Events of other channels read and skipped so far (another reader armed them, on kernels before 6.7). */
    public long otherChannelEvents() {
        return otherChannelEvents;
    }

    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws PhcException, InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNs);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for an event on " + device.name());
            }
            if (closed) {
                throw new PhcException(PhcException.UNAVAILABLE, device.name() + ": channel " + channel + " is closed");
            }
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0) {
                return Optional.empty();
            }
            int sliceMs = (int) Math.min(POLL_SLICE_MS, (remainingNs + 999_999) / 1_000_000);
            if (!readable(sliceMs)) {
                continue;
            }
            long n = kernel.files().read(fd, event.pointer(), PtpIoctls.SIZEOF_EXTTS_EVENT);
            long monoNs = System.nanoTime();
            if (n < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR || errno == Errno.EAGAIN) {
                    continue;
                }
                throw PhcErrors.operation(device.name(), "read of external-timestamp event", errno);
            }
            if (n != PtpIoctls.SIZEOF_EXTTS_EVENT) {
                throw new PhcException(PhcException.UNAVAILABLE, device.name() + ": read returned " + n
                        + " bytes, not one 32-byte struct ptp_extts_event");
            }
            if (event.getInt(EventLayout.INDEX) != channel) {
                otherChannelEvents++;
                continue;
            }
            CrossTimestamp xts = device.crossTimestamp();
            return Optional.of(new ExttsEvent(event.clockTimeNanos(EventLayout.T), channel, xts, monoNs));
        }
    }

    private boolean readable(int timeoutMs) throws PhcException {
        int ready = PollLayout.poll(kernel.files(), pollFd, fd, timeoutMs);
        if (closed) {
            return false; // closed by another thread while waiting: the caller reports it
        }
        if (ready < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return false;
            }
            throw PhcErrors.operation(device.name(), "poll", errno);
        }
        if (ready == 0) {
            return false;
        }
        short revents = pollFd.getShort(PollLayout.REVENTS);
        if ((revents & (FileCalls.POLLERR | FileCalls.POLLHUP | FileCalls.POLLNVAL)) != 0) {
            throw new PhcException(PhcException.UNAVAILABLE, Errno.EIO, device.name() + ": poll reported an error "
                    + "(revents 0x" + Integer.toHexString(revents & 0xffff) + "); the device went away or was reset");
        }
        return (revents & (FileCalls.POLLIN | FileCalls.POLLPRI)) != 0;
    }

    /** Disarms the channel (flags = 0). Idempotent; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!device.isClosed()) {
            device.disarm(channel);
        }
        device.forget(this);
    }

    /** Offsets within struct ptp_extts_event. */
    static final class EventLayout {
        static final int T;
        static final int INDEX;

        static {
            PtpIoctls.ExttsEvent e = new PtpIoctls.ExttsEvent();
            T = e.offsetOf("t");
            INDEX = e.offsetOf("index");
        }

        private EventLayout() {
        }
    }

    /** Offsets within struct pollfd, and one poll for input on one file. */
    static final class PollLayout {
        static final int FD;
        static final int EVENTS;
        static final int REVENTS;

        static {
            FileCalls.PollFd p = new FileCalls.PollFd();
            FD = p.offsetOf("fd");
            EVENTS = p.offsetOf("events");
            REVENTS = p.offsetOf("revents");
        }

        private PollLayout() {
        }

        /** poll() for POLLIN|POLLPRI on {@code fd} through {@code pollFd}; revents is left in it. */
        static int poll(FileCalls files, NativeStruct pollFd, int fd, int timeoutMs) {
            pollFd.setInt(FD, fd);
            pollFd.setShort(EVENTS, (short) (FileCalls.POLLIN | FileCalls.POLLPRI));
            pollFd.setShort(REVENTS, (short) 0);
            return files.poll(pollFd.pointer(), 1, timeoutMs);
        }
    }
}
