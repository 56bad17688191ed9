package org.pps2phc.os;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** JNA binding of the BSD socket calls used for AF_UNIX datagrams (libc). */
interface SocketCalls extends Library {
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    int SOCK_NONBLOCK = 0x800;
    short POLLIN = 0x1;
    int MSG_DONTWAIT = 0x40;

    SocketCalls LIBC = Native.load("c", SocketCalls.class);

    int socket(int domain, int type, int protocol);

    int bind(int fd, byte[] addr, int addrlen);

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

    long recvfrom(int fd, byte[] buf, long len, int flags, Pointer srcAddr, Pointer addrlen);

    int poll(PollFd[] fds, int nfds, int timeoutMs);

    int close(int fd);

    int unlink(String path);

    String strerror(int errnum);

    /** struct pollfd. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }
}
