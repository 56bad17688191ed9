package org.pps2phc.os;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.util.Map;

/**
 * A serial port read raw (no line discipline, no echo, no flow control), 8N1 at a standard speed, opened exclusive
 * (flock, so that a second reader such as gpsd is refused rather than sharing the bytes), and written to only when
 * opened for it.
 */
public final class SerialLine implements AutoCloseable {
    /** The standard speeds up to 921600 and their termios codes (octal, as in the kernel's termbits.h). */
    private static final Map<Integer, Integer> SPEEDS = Map.ofEntries(Map.entry(300, 07), Map.entry(600, 010),
            Map.entry(1200, 011), Map.entry(1800, 012), Map.entry(2400, 013), Map.entry(4800, 014),
            Map.entry(9600, 015), Map.entry(19200, 016), Map.entry(38400, 017), Map.entry(57600, 010001),
            Map.entry(115200, 010002), Map.entry(230400, 010003), Map.entry(460800, 010004),
            Map.entry(500000, 010005), Map.entry(576000, 010006), Map.entry(921600, 010007));

    private final String path;
    private int fd;

    private SerialLine(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Whether {@code baud} is a standard speed a port can be set to. */
    public static boolean standardSpeed(int baud) {
        return SPEEDS.containsKey(baud);
    }

    /**
     * Opens {@code path} at {@code baud}, raw 8N1, and discards what was waiting in its input buffer.
     *
     * @throws IOException naming the path and the errno, when it cannot be opened, is not a terminal, or is in use
     */
    public static SerialLine open(String path, int baud) throws IOException {
        return open(path, baud, false);
    }

    /** {@link #open(String, int)}, read-write when {@code writable}. */
    public static SerialLine open(String path, int baud, boolean writable) throws IOException {
        Integer speed = SPEEDS.get(baud);
        if (speed == null) {
            throw new IOException(path + ": " + baud + " is not a standard speed");
        }
        TermiosCalls c = TermiosCalls.LIBC;
        int fd = c.open(path, (writable ? TermiosCalls.O_RDWR : TermiosCalls.O_RDONLY) | TermiosCalls.O_NOCTTY | TermiosCalls.O_NONBLOCK
                | TermiosCalls.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException(path + ": cannot open: " + Errno.describe(Native.getLastError()));
        }
        SerialLine line = new SerialLine(path, fd);
        try {
            if (c.isatty(fd) != 1) {
                throw new IOException(path + ": not a serial port (isatty fails)");
            }
            if (c.flock(fd, TermiosCalls.LOCK_EX | TermiosCalls.LOCK_NB) != 0) {
                int errno = Native.getLastError();
                throw new IOException(path + (errno == TermiosCalls.EWOULDBLOCK
                        ? ": in use by another program (gpsd?)" : ": cannot lock: " + Errno.describe(errno)));
            }
            Memory t = new Memory(64);
            t.clear();
            if (c.tcgetattr(fd, t) != 0) {
                throw new IOException(path + ": tcgetattr: " + Errno.describe(Native.getLastError()));
            }
            c.cfmakeraw(t);
            int cflag = t.getInt(TermiosCalls.C_CFLAG);
            cflag |= TermiosCalls.CLOCAL | TermiosCalls.CREAD;
            cflag &= ~(TermiosCalls.CSTOPB | TermiosCalls.PARENB | TermiosCalls.CRTSCTS);
            t.setInt(TermiosCalls.C_CFLAG, cflag);
            t.setByte(TermiosCalls.C_CC + TermiosCalls.VMIN, (byte) 1);
            t.setByte(TermiosCalls.C_CC + TermiosCalls.VTIME, (byte) 0);
            if (c.cfsetspeed(t, speed) != 0 || c.tcsetattr(fd, TermiosCalls.TCSANOW, t) != 0) {
                throw new IOException(path + ": cannot set " + baud + " baud raw 8N1: "
                        + Errno.describe(Native.getLastError()));
            }
            c.tcflush(fd, TermiosCalls.TCIFLUSH);
            return line;
        } catch (IOException | RuntimeException e) {
            line.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMs} for bytes and reads what is there.
     *
     * @return the number of bytes read, 0 when none came in time
     * @throws IOException when the port hung up (a USB adapter unplugged) or failed
     */
    public int read(byte[] buf, int timeoutMs) throws IOException {
        return read(fd, path, buf, timeoutMs);
    }

    static int read(int fd, String path, byte[] buf, int timeoutMs) throws IOException {
        TermiosCalls c = TermiosCalls.LIBC;
        TermiosCalls.PollFd[] fds = (TermiosCalls.PollFd[]) new TermiosCalls.PollFd().toArray(1);
        fds[0].fd = fd;
        fds[0].events = TermiosCalls.POLLIN;
        int r = c.poll(fds, 1, timeoutMs);
        if (r < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return 0;
            }
            throw new IOException(path + ": poll: " + Errno.describe(errno));
        }
        if (r == 0) {
            return 0;
        }
        long n = c.read(fd, buf, buf.length);
        if (n > 0) {
            return (int) n;
        }
        int errno = Native.getLastError();
        if (n < 0 && (errno == Errno.EAGAIN || errno == Errno.EINTR)) {
            return 0;
        }
        if ((fds[0].revents & (TermiosCalls.POLLHUP | TermiosCalls.POLLERR | TermiosCalls.POLLNVAL)) != 0 || n == 0) {
            throw new IOException(path + ": hung up");
        }
        throw new IOException(path + ": read: " + Errno.describe(errno));
    }

    /** Writes all of {@code bytes} (the port is non-blocking: waits for room up to 1 s per chunk). */
    public void write(byte[] bytes) throws IOException {
        int off = 0;
        while (off < bytes.length) {
            byte[] rest = off == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, off, bytes.length);
            long n = TermiosCalls.LIBC.write(fd, rest, rest.length);
            if (n > 0) {
                off += (int) n;
                continue;
            }
            int errno = Native.getLastError();
            if (n < 0 && errno != Errno.EAGAIN && errno != Errno.EINTR) {
                throw new IOException(path + ": write: " + Errno.describe(errno));
            }
            TermiosCalls.PollFd[] fds = (TermiosCalls.PollFd[]) new TermiosCalls.PollFd().toArray(1);
            fds[0].fd = fd;
            fds[0].events = TermiosCalls.POLLOUT;
            if (TermiosCalls.LIBC.poll(fds, 1, 1000) <= 0) {
                throw new IOException(path + ": write: no room for 1 s");
            }
        }
    }

    public String path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            TermiosCalls.LIBC.close(fd);
            fd = -1;
        }
    }
}
