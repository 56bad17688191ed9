package org.pps2phc.receiver;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The receiver's stream over TCP (ts2phc.nmea_remote_host and _port: a serial-to-network adapter, or socat). The
 * bytes' times on the far line are unknown, so a read dates its bytes to the read.
 */
public final class TcpTransport implements ByteTransport {
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private final Socket socket;
    private final InputStream in;
    private final String name;

    private TcpTransport(Socket socket, String name) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.name = name;
    }

    public static Opener opener(String host, int port) {
        String name = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        return () -> {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return new TcpTransport(s, name);
            } catch (IOException e) {
                s.close();
                throw new IOException(name + ": cannot connect: " + e.getMessage(), e);
            }
        };
    }

    @Override
    public int read(byte[] buf, int timeoutMs) throws IOException {
        socket.setSoTimeout(Math.max(1, timeoutMs));
        int n;
        try {
            n = in.read(buf);
        } catch (SocketTimeoutException e) {
            return 0;
        } catch (IOException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
        if (n < 0) {
            throw new IOException(name + ": the far end closed the connection");
        }
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long byteNs() {
        return 0;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do: it is closed either way
        }
    }
}
