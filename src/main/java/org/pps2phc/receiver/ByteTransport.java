package org.pps2phc.receiver;

import java.io.IOException;

/** Where the receiver's bytes come from: a serial port or a TCP connection. */
public interface ByteTransport extends AutoCloseable {
    /**
     * Waits up to {@code timeoutMs} and reads what came.
     *
     * @return bytes read, 0 when none came in time
     * @throws IOException when the port or connection failed or closed (the caller reopens it)
     */
    int read(byte[] buf, int timeoutMs) throws IOException;

    /** What a message names it by: "/dev/ttyS0", "192.0.2.7:2000". */
    String name();

    /** One byte's time on the line, ns, so that a read can be dated back to its first byte (0: unknown). */
    long byteNs();

    /** The answers to the RAM-only u-blox set-up sent when it opened, if it was sent. */
    default java.util.Optional<UbxSetup.Report> setupReport() {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    /** Opens the transport (again); failures name the port and say why. */
    @FunctionalInterface
    interface Opener {
        ByteTransport open() throws IOException;
    }
}
