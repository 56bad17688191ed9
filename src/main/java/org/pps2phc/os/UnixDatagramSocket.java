package org.pps2phc.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An AF_UNIX datagram socket, which the JDK lacks: chrony's SOCK refclock, ptp4l's management socket and
 * systemd's NOTIFY_SOCKET all speak it. A name starting with '@' is an abstract address.
 */
public final class UnixDatagramSocket implements AutoCloseable {
    /** sizeof(struct sockaddr_un): 2-byte family + 108-byte path. */
    private static final int SOCKADDR_UN_SIZE = 110;
    private static final int MAX_PATH = 108;

    private final int fd;
    private final String localName;
    private boolean closed;
    /** The last peer sent to and its address, built once: a notifier or a refclock sends to one peer every second. */
    private String lastPeer;
    private byte[] lastPeerAddress;
    private int lastPeerAddressLength;

    private UnixDatagramSocket(int fd, String localName) {
        this.fd = fd;
        this.localName = localName;
    }

    /** An unbound socket, for sending only (the peer sees an unnamed sender). */
    public static UnixDatagramSocket unbound() throws IOException {
        return new UnixDatagramSocket(open(), null);
    }

    /**
     * A socket bound to {@code localName} so that the peer can reply: a path (an existing file there is replaced)
     * or '@name' for an abstract address, which vanishes with the socket.
     */
    public static UnixDatagramSocket bound(String localName) throws IOException {
        int fd = open();
        byte[] addr = sockaddr(localName);
        if (!localName.startsWith("@")) {
            SocketCalls.LIBC.unlink(localName);
        }
        try {
            if (SocketCalls.LIBC.bind(fd, addr, addrLength(localName)) != 0) {
                int errno = Native.getLastError();
                SocketCalls.LIBC.close(fd);
                throw new IOException("cannot bind AF_UNIX socket " + localName + ": " + Errno.describe(errno));
            }
        } catch (LastErrorException e) {
            SocketCalls.LIBC.close(fd);
            throw new IOException("cannot bind AF_UNIX socket " + localName + ": " + Errno.describe(e.getErrorCode()), e);
        }
        return new UnixDatagramSocket(fd, localName);
    }

    private static int open() throws IOException {
        int fd = SocketCalls.LIBC.socket(SocketCalls.AF_UNIX, SocketCalls.SOCK_DGRAM | SocketCalls.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("cannot create AF_UNIX datagram socket: " + Errno.describe(Native.getLastError()));
        }
        return fd;
    }

    /**
     * Sends one datagram to {@code peer} (path or '@abstract').
     *
     * @throws IOException with the errno text (ENOENT: no such socket; ECONNREFUSED: nobody bound to it;
     *                     EACCES: no write permission on the socket file)
     */
    public void send(String peer, byte[] datagram) throws IOException {
        ensureOpen();
        if (!peer.equals(lastPeer)) {
            lastPeerAddress = sockaddr(peer);
            lastPeerAddressLength = addrLength(peer);
            lastPeer = peer;
        }
        long n = SocketCalls.LIBC.sendto(fd, datagram, datagram.length, SocketCalls.MSG_DONTWAIT, lastPeerAddress,
                lastPeerAddressLength);
        if (n < 0) {
            int errno = Native.getLastError();
            throw new UnixSocketException(errno, "cannot send to " + peer + ": " + Errno.describe(errno));
        }
    }

    /** Waits up to {@code timeoutMs} for a datagram of at most {@code maxSize} bytes. */
    public Optional<byte[]> receive(int maxSize, int timeoutMs) throws IOException {
        ensureOpen();
        SocketCalls.PollFd[] pfd = (SocketCalls.PollFd[]) new SocketCalls.PollFd().toArray(1);
        pfd[0].fd = fd;
        pfd[0].events = SocketCalls.POLLIN;
        int ready = SocketCalls.LIBC.poll(pfd, 1, timeoutMs);
        if (ready < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EINTR) {
                return Optional.empty();
            }
            throw new IOException("poll on AF_UNIX socket failed: " + Errno.describe(errno));
        }
        if (ready == 0) {
            return Optional.empty();
        }
        byte[] buf = new byte[maxSize];
        long n = SocketCalls.LIBC.recvfrom(fd, buf, buf.length, SocketCalls.MSG_DONTWAIT, null, null);
        if (n < 0) {
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return Optional.empty();
            }
            throw new IOException("recv on AF_UNIX socket failed: " + Errno.describe(errno));
        }
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, 0, out, 0, out.length);
        return Optional.of(out);
    }

    /** Discards any datagrams already queued (stale replies). */
    public void drain() throws IOException {
        while (receive(65536, 0).isPresent()) {
            // discard
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("socket closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            SocketCalls.LIBC.close(fd);
            if (localName != null && !localName.startsWith("@")) {
                SocketCalls.LIBC.unlink(localName);
            }
        }
    }

    static byte[] sockaddr(String name) throws IOException {
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = name.startsWith("@");
        if (path.length >= MAX_PATH) {
            throw new IOException("AF_UNIX address too long (" + path.length + " bytes, max 107): " + name);
        }
        if (path.length == 0) {
            throw new IOException("empty AF_UNIX address");
        }
        byte[] addr = new byte[SOCKADDR_UN_SIZE];
        addr[0] = (byte) SocketCalls.AF_UNIX; // sa_family_t, little-endian on every Linux JNA runs on here
        addr[1] = 0;
        System.arraycopy(path, 0, addr, 2, path.length);
        if (abstractName) {
            addr[2] = 0;
        }
        return addr;
    }

    static int addrLength(String name) {
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        // abstract names are exactly as long as given (no terminator); paths include the NUL
        return 2 + (name.startsWith("@") ? len : len + 1);
    }

    /** A send failure that keeps its errno, so callers can tell "peer not there" from real faults. */
    public static final class UnixSocketException extends IOException {
        private final int errno;

        UnixSocketException(int errno, String message) {
            super(message);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }

        /** The peer is not there (no socket file, or nobody bound to it). */
        public boolean peerAbsent() {
            return errno == Errno.ENOENT || errno == Errno.ECONNREFUSED;
        }
    }
}
