package org.pps2phc.os;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A pseudo-terminal pair from openpty: the far end ({@link #write}) stands for a receiver, the near end's path is
 * what a serial reader opens. A pty ignores the baud rate: whoever writes paces the bytes.
 */
public final class PseudoTerminal implements AutoCloseable {
    private int master;
    private int slave;
    private final String path;

    private PseudoTerminal(int master, int slave, String path) {
        this.master = master;
        this.slave = slave;
        this.path = path;
    }

    public static PseudoTerminal open() throws IOException {
        int[] m = new int[1];
        int[] s = new int[1];
        byte[] name = new byte[256];
        if (TermiosCalls.LIBC.openpty(m, s, name, null, null) != 0) {
            throw new IOException("openpty: " + Errno.describe(Native.getLastError()));
        }
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new PseudoTerminal(m[0], s[0], new String(name, 0, len, StandardCharsets.US_ASCII));
    }

    /** The near end, as a serial port path ("/dev/pts/7"). */
    public String path() {
        return path;
    }

    /** Writes all of {@code bytes} to the far end. */
    public void write(byte[] bytes) throws IOException {
        int off = 0;
        while (off < bytes.length) {
            byte[] rest = off == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, off, bytes.length);
            long n = TermiosCalls.LIBC.write(master, rest, rest.length);
            if (n <= 0) {
                throw new IOException(path + ": write: " + Errno.describe(Native.getLastError()));
            }
            off += (int) n;
        }
    }

    /** Reads from the far end what a program wrote to the near end (up to {@code timeoutMs}). */
    public int readFromFarEnd(byte[] buf, int timeoutMs) throws IOException {
        return SerialLine.read(master, path, buf, timeoutMs);
    }

    @Override
    public void close() {
        if (slave >= 0) {
            TermiosCalls.LIBC.close(slave);
            slave = -1;
        }
        if (master >= 0) {
            TermiosCalls.LIBC.close(master);
            master = -1;
        }
    }
}
