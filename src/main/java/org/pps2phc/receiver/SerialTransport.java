package org.pps2phc.receiver;

import java.io.IOException;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.pps2phc.os.SerialLine;

/** The receiver on a serial port (ts2phc.nmea_serialport at ts2phc.nmea_baudrate). */
public final class SerialTransport implements ByteTransport {
    private final SerialLine line;
    private final long byteNs;
    private final UbxSetup.Report setup;

    private SerialTransport(SerialLine line, int baud, UbxSetup.Report setup) {
        this.line = line;
        this.byteNs = StreamDecoder.byteNs(baud);
        this.setup = setup;
    }

    public static Opener opener(String path, int baud) {
        return () -> new SerialTransport(SerialLine.open(path, baud), baud, null);
    }

    /**
     * Opens the port read-write and runs the RAM-only u-blox set-up each time it is opened, its answers waited for
     * by {@code nowNs} (CLOCK_MONOTONIC); the report is the transport's {@link #setupReport}.
     */
    public static Opener withUbxSetup(String path, int baud, LongSupplier nowNs) {
        return () -> {
            SerialLine line = SerialLine.open(path, baud, true);
            try {
                UbxSetup.Report report = UbxSetup.run(path, new UbxSetup.Port() {
                    @Override
                    public void write(byte[] bytes) throws IOException {
                        line.write(bytes);
                    }

                    @Override
                    public int read(byte[] buf, int timeoutMs) throws IOException {
                        return line.read(buf, timeoutMs);
                    }
                }, nowNs, UbxSetup.ANSWER_TIMEOUT_NS);
                return new SerialTransport(line, baud, report);
            } catch (IOException e) {
                line.close();
                throw e;
            }
        };
    }

    @Override
    public Optional<UbxSetup.Report> setupReport() {
        return Optional.ofNullable(setup);
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
