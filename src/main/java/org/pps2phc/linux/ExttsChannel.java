package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import java.util.Optional;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.PulseSource;

/**
 * An armed external-timestamp channel: waits for events with poll() so a missing pulse is a timeout, reads one
 * 32-byte struct ptp_extts_event at a time, skips events of other channels, and takes a cross-timestamp right after
 * each event. The poll blocks for the whole timeout the caller gives: another thread ends it at once with
 * {@link #wakeUp} (an eventfd in the same poll set), which is how a stop reaches a reader blocked in the kernel
 * (an interrupt alone does not end a system call; it is seen when the poll returns).
 */
public final class ExttsChannel implements PulseSource {
    private static final int DEVICE = 0;
    private static final int WAKEUP = 1;

    private final PhcDevice device;
    private final LinuxKernel kernel;
    private final int fd;
    private final int channel;
    private final EdgeRequest request;
    private final WakeupFd wakeup;
    /** The reader thread's own: one struct ptp_extts_event and two struct pollfd, reused for every event. */
    private final NativeStruct event = new NativeStruct(PtpIoctls.SIZEOF_EXTTS_EVENT);
    private final NativeStruct pollFds = new NativeStruct(2L * PollLayout.SIZE);
    private long otherChannelEvents;
    private volatile boolean closed;

    ExttsChannel(PhcDevice device, LinuxKernel kernel, int fd, int channel, EdgeRequest request, WakeupFd wakeup) {
        this.device = device;
        this.kernel = kernel;
        this.fd = fd;
        this.channel = channel;
        this.request = request;
        this.wakeup = wakeup;
        PollLayout.set(pollFds, DEVICE, fd);
        PollLayout.set(pollFds, WAKEUP, wakeup.fd());
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

    /**
     * Waits up to {@code timeoutNs} for an event of this channel. Returns empty early when {@link #wakeUp} was
     * called (since the last return), unless an event is there to read.
     *
     * @throws InterruptedException when the thread was interrupted (seen on entry and after a wake-up)
     */
    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws PhcException, InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNs);
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException("waiting for an event on " + device.name());
            }
            if (closed) {
                throw closedException();
            }
            long remainingNs = deadline - System.nanoTime();
            if (remainingNs <= 0) {
                return Optional.empty();
            }
            int timeoutMs = (int) Math.min(Integer.MAX_VALUE, (remainingNs + 999_999) / 1_000_000);
            int ready = PollLayout.pollSet(kernel.files(), pollFds, 2, timeoutMs);
            if (closed) {
                throw closedException(); // closed by another thread while waiting
            }
            if (ready < 0) {
                int errno = Native.getLastError();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw PhcErrors.operation(device.name(), "poll", errno);
            }
            boolean woken = woken();
            if (!deviceReadable()) {
                if (woken) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("waiting for an event on " + device.name());
                    }
                    return Optional.empty();
                }
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

    /** Ends a {@link #next} another thread is blocked in, or makes the next one return at once. */
    @Override
    public void wakeUp() {
        wakeup.wake();
    }

    private PhcException closedException() {
        return new PhcException(PhcException.UNAVAILABLE, device.name() + ": channel " + channel + " is closed");
    }

    /** Whether the last poll saw a wake-up; drains it so that it is seen once. */
    private boolean woken() throws PhcException {
        short revents = PollLayout.revents(pollFds, WAKEUP);
        if ((revents & FileCalls.POLLNVAL) != 0) {
            throw new PhcException(PhcException.UNAVAILABLE, device.name() + ": the wake-up eventfd of channel "
                    + channel + " is not open (revents 0x" + Integer.toHexString(revents & 0xffff) + ")");
        }
        if ((revents & FileCalls.POLLIN) == 0) {
            return false;
        }
        wakeup.drain();
        return true;
    }

    /** Whether the last poll saw an event to read on the device; its errors are the device's going away. */
    private boolean deviceReadable() throws PhcException {
        short revents = PollLayout.revents(pollFds, DEVICE);
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
        wakeup.wake(); // a reader still in next() sees the close now
        if (!device.isClosed()) {
            device.disarm(channel);
        }
        device.forget(this);
        wakeup.close();
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

    /** Offsets within struct pollfd, and polls for input through sets of them. */
    static final class PollLayout {
        static final int SIZE;
        static final int FD;
        static final int EVENTS;
        static final int REVENTS;

        static {
            FileCalls.PollFd p = new FileCalls.PollFd();
            SIZE = p.size();
            FD = p.offsetOf("fd");
            EVENTS = p.offsetOf("events");
            REVENTS = p.offsetOf("revents");
        }

        private PollLayout() {
        }

        /** Entry {@code index} of the set in {@code pollFds} waits for POLLIN|POLLPRI on {@code fd}. */
        static void set(NativeStruct pollFds, int index, int fd) {
            pollFds.setInt((long) index * SIZE + FD, fd);
            pollFds.setShort((long) index * SIZE + EVENTS, (short) (FileCalls.POLLIN | FileCalls.POLLPRI));
        }

        static short revents(NativeStruct pollFds, int index) {
            return pollFds.getShort((long) index * SIZE + REVENTS);
        }

        /** poll() on the first {@code count} entries of the set, their revents cleared first and left in it. */
        static int pollSet(FileCalls files, NativeStruct pollFds, int count, int timeoutMs) {
            for (int i = 0; i < count; i++) {
                pollFds.setShort((long) i * SIZE + REVENTS, (short) 0);
            }
            return files.poll(pollFds.pointer(), count, timeoutMs);
        }

        /** poll() for POLLIN|POLLPRI on {@code fd} alone through {@code pollFd}; revents is left in it. */
        static int poll(FileCalls files, NativeStruct pollFd, int fd, int timeoutMs) {
            set(pollFd, 0, fd);
            return pollSet(files, pollFd, 1, timeoutMs);
        }
    }
}
