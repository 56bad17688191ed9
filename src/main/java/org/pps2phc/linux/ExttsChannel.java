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
    /** Longest single poll, so an interrupt is noticed within this time. */
    private static final int POLL_SLICE_MS = 100;

    private final PhcDevice device;
    private final LinuxKernel kernel;
    private final int fd;
    private final int channel;
    private final EdgeRequest request;
    private final PtpIoctls.ExttsEvent event = new PtpIoctls.ExttsEvent();
    private final FileCalls.PollFd[] pollFd = (FileCalls.PollFd[]) new FileCalls.PollFd().toArray(1);
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
            long n = kernel.files().read(fd, event.getPointer(), PtpIoctls.SIZEOF_EXTTS_EVENT);
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
            event.read();
            if (event.index != channel) {
                otherChannelEvents++;
                continue;
            }
            CrossTimestamp xts = device.crossTimestamp();
            return Optional.of(new ExttsEvent(event.t.toNanos(), channel, xts, monoNs));
        }
    }

    private boolean readable(int timeoutMs) throws PhcException {
        pollFd[0].fd = fd;
        pollFd[0].events = (short) (FileCalls.POLLIN | FileCalls.POLLPRI);
        pollFd[0].revents = 0;
        int ready = kernel.files().poll(pollFd, 1, timeoutMs);
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
        short revents = pollFd[0].revents;
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
}
