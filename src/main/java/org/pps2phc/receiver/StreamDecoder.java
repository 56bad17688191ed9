package org.pps2phc.receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits the receiver's byte stream, NMEA sentences and UBX frames mixed, into messages, each stamped with the
 * system time at which its first byte arrived. A read returns bytes that crossed the line at the baud rate, so the
 * first of {@code n} bytes read at time t arrived (n - 1) byte times earlier (never before the previous read).
 * Bytes that belong to neither protocol are skipped and counted.
 */
public final class StreamDecoder {
    /** A message and when its first and last bytes arrived (system time, ns). */
    public record Decoded(ReceiverMessage message, long firstByteSysNs, long lastByteSysNs) {
    }

    /** What the stream has shown so far. */
    public record Counts(long bytes, long messages, long badChecksums, long malformed, String lastProblem) {
    }

    private enum State { HUNT, NMEA, UBX_SYNC, UBX }

    private final long byteNs;
    private final byte[] buf = new byte[UbxParser.MAX_PAYLOAD + UbxParser.OVERHEAD];
    private State state = State.HUNT;
    private int fill;
    private int ubxLength = -1;
    private long firstSysNs;
    private long previousReadSysNs = Long.MIN_VALUE;
    private long bytes;
    private long messages;
    private long badChecksums;
    private long malformed;
    private String lastProblem = "";

    /** @param byteNs the time one byte takes on the line (10 bit times at 8N1); 0 when unknown (TCP) */
    public StreamDecoder(long byteNs) {
        this.byteNs = byteNs;
    }

    /** 10 bits per byte (8N1), in ns, at {@code baud}. */
    public static long byteNs(int baud) {
        return baud <= 0 ? 0 : 10_000_000_000L / baud;
    }

    /** Decodes {@code n} bytes read at system time {@code readSysNs}; each message found goes to {@code out}. */
    public void feed(byte[] data, int n, long readSysNs, Consumer<Decoded> out) {
        long floor = previousReadSysNs == Long.MIN_VALUE ? Long.MIN_VALUE : previousReadSysNs;
        for (int i = 0; i < n; i++) {
            long at = Math.max(floor, readSysNs - (long) (n - 1 - i) * byteNs);
            accept(data[i], at, out);
        }
        bytes += n;
        previousReadSysNs = readSysNs;
    }

    /** Convenience for tests and the fuzz target: every message in {@code data}, read at once at time 0. */
    public List<Decoded> feedAll(byte[] data) {
        List<Decoded> out = new ArrayList<>();
        feed(data, data.length, 0, out::add);
        return out;
    }

    public Counts counts() {
        return new Counts(bytes, messages, badChecksums, malformed, lastProblem);
    }

    private void accept(byte b, long at, Consumer<Decoded> out) {
        int v = b & 0xFF;
        switch (state) {
            case HUNT -> start(v, b, at);
            case NMEA -> {
                if (v == '\n') {
                    int len = fill > 0 && buf[fill - 1] == '\r' ? fill - 1 : fill;
                    nmea(len, at, out);
                    state = State.HUNT;
                } else if (v == '$' || v == UbxParser.SYNC1) {
                    problem("an NMEA sentence cut off");
                    start(v, b, at);
                } else if (fill >= NmeaParser.MAX_LENGTH + 1) {
                    problem("an NMEA sentence longer than " + NmeaParser.MAX_LENGTH + " bytes");
                    state = State.HUNT;
                } else {
                    buf[fill++] = b;
                }
            }
            case UBX_SYNC -> {
                if (v == UbxParser.SYNC2) {
                    buf[fill++] = b;
                    state = State.UBX;
                    ubxLength = -1;
                } else {
                    start(v, b, at);
                }
            }
            case UBX -> {
                buf[fill++] = b;
                if (fill == 6) {
                    int payload = UbxParser.u2(buf, 4);
                    if (payload > UbxParser.MAX_PAYLOAD) {
                        problem("a UBX frame announcing " + payload + " bytes");
                        state = State.HUNT;
                        return;
                    }
                    ubxLength = payload + UbxParser.OVERHEAD;
                }
                if (ubxLength > 0 && fill == ubxLength) {
                    ubx(at, out);
                    state = State.HUNT;
                }
            }
        }
    }

    private void start(int v, byte b, long at) {
        fill = 0;
        firstSysNs = at;
        if (v == '$') {
            buf[fill++] = b;
            state = State.NMEA;
        } else if (v == UbxParser.SYNC1) {
            buf[fill++] = b;
            state = State.UBX_SYNC;
        } else {
            state = State.HUNT;
        }
    }

    private void nmea(int len, long at, Consumer<Decoded> out) {
        if (!NmeaParser.checksumMatches(buf, 0, len)) {
            badChecksums++;
            problem("an NMEA checksum that does not match");
            return;
        }
        try {
            emit(NmeaParser.parse(buf, 0, len), at, out);
        } catch (MalformedMessageException e) {
            malformed++;
            problem(e.getMessage());
        }
    }

    private void ubx(long at, Consumer<Decoded> out) {
        int sum = UbxParser.checksum(buf, 2, fill - 4);
        if (sum != UbxParser.u2(buf, fill - 2)) {
            badChecksums++;
            problem("a UBX checksum that does not match");
            return;
        }
        try {
            emit(UbxParser.parse(buf, 0, fill), at, out);
        } catch (MalformedMessageException e) {
            malformed++;
            problem(e.getMessage());
        }
    }

    private void emit(ReceiverMessage m, long at, Consumer<Decoded> out) {
        messages++;
        out.accept(new Decoded(m, firstSysNs, at));
    }

    private void problem(String what) {
        lastProblem = what;
    }
}
