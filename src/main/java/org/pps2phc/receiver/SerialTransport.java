package org.pps2phc.receiver;

import java.io.IOException;
import org.pps2phc.os.SerialLine;

/** The receiver on a serial port (ts2phc.nmea_serialport at ts2phc.nmea_baudrate). */
public final class SerialTransport implements ByteTransport {
    private final SerialLine line;
    private final long byteNs;

    private SerialTransport(SerialLine line, int baud) {
        this.line = line;
        this.byteNs = StreamDecoder.byteNs(baud);
    }

    public static Opener opener(String path, int baud) {
        return () -> new SerialTransport(SerialLine.open(path, baud), baud);
    }

    /** Opens the port read-write and sends {@code onOpen} (the RAM-only set-up) each time it is opened. */
    public static Opener opener(String path, int baud, byte[] onOpen) {
        return () -> {
            SerialLine line = SerialLine.open(path, baud, true);
            try {
                line.write(onOpen);
            } catch (IOException e) {
                line.close();
                throw e;
            }
            return new SerialTransport(line, baud);
        };
    }

    @Override
    public int read(byte[] buf, int timeoutMs) throws IOException {
        return line.read(buf, timeoutMs);
    }

    @Override
    public String name() {
        return line.path();
    }

    @Override
    public long byteNs() {
        return byteNs;
    }

    @Override
    public void close() {
        line.close();
    }
}
