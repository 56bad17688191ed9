package org.pps2phc.linux;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** JNA binding of the file calls a character device and an eventfd need: open, close, read, write, poll (libc). */
public interface FileCalls extends Library {
    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_CLOEXEC = 0x80000;
    short POLLIN = 0x1;
    short POLLPRI = 0x2;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, Pointer buf, long count);

    long write(int fd, Pointer buf, long count);

    /** {@code fds} points to {@code nfds} struct pollfd. */
    int poll(Pointer fds, int nfds, int timeoutMs);

    /** struct pollfd. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    class PollFd extends PtpIoctls.Layout {
        public int fd;
        public short events;
        public short revents;
    }
}
