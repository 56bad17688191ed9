package org.pps2phc.receiver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Byte-exact receiver output for tests: NMEA sentences with their checksums, UBX frames with theirs. */
final class Sentences {
    private Sentences() {
    }

    /** "$" + body + "*hh\r\n". */
    static byte[] nmea(String body) {
        int sum = 0;
        for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
            sum ^= b & 0xFF;
        }
        return String.format("$%s*%02X\r\n", body, sum).getBytes(StandardCharsets.US_ASCII);
    }

    static String hhmmss(LocalDateTime t) {
        return String.format("%02d%02d%02d.00", t.getHour(), t.getMinute(), t.getSecond());
    }

    static byte[] rmc(LocalDateTime t, char status) {
        return nmea(String.format("GNRMC,%s,%c,4717.11399,N,00833.91590,E,0.004,77.52,%02d%02d%02d,,,%c,V",
                hhmmss(t), status, t.getDayOfMonth(), t.getMonthValue(), t.getYear() % 100, status == 'A' ? 'A' : 'N'));
    }

    static byte[] rmc(long utcSecond) {
        return rmc(LocalDateTime.ofEpochSecond(utcSecond, 0, ZoneOffset.UTC), 'A');
    }

    static byte[] zda(long utcSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(utcSecond, 0, ZoneOffset.UTC);
        return nmea(String.format("GPZDA,%s,%02d,%02d,%04d,00,00", hhmmss(t), t.getDayOfMonth(), t.getMonthValue(),
                t.getYear()));
    }

    static byte[] gga(long utcSecond, int quality) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(utcSecond, 0, ZoneOffset.UTC);
        return nmea(String.format("GNGGA,%s,4717.11399,N,00833.91590,E,%d,08,1.01,499.6,M,48.0,M,,", hhmmss(t),
                quality));
    }

    /** A GSV-like sentence of about {@code length} bytes that carries no time. */
    static byte[] filler(int length) {
        StringBuilder b = new StringBuilder("GPGSV,3,1,11");
        while (b.length() < length - 6) {
            b.append(",07");
        }
        return nmea(b.toString());
    }

    static byte[] ubx(int cls, int id, byte[] payload) {
        return UbxParser.frame(cls, id, payload);
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** NAV-TIMEUTC of {@code utcSecond}, valid flags as given (0x07: all valid). */
    static byte[] navTimeUtc(long utcSecond, int valid) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(utcSecond, 0, ZoneOffset.UTC);
        ByteBuffer p = le(20).putInt(0, 1000).putInt(4, 25).putInt(8, -120).putShort(12, (short) t.getYear());
        p.put(14, (byte) t.getMonthValue()).put(15, (byte) t.getDayOfMonth()).put(16, (byte) t.getHour())
                .put(17, (byte) t.getMinute()).put(18, (byte) t.getSecond()).put(19, (byte) valid);
        return ubx(0x01, 0x21, p.array());
    }

    /** NAV-TIMEGPS of the GPS second {@code gpsSecond}, leapS given (valid 0x07) or unknown (valid 0x03). */
    static byte[] navTimeGps(long gpsSecond, Integer leapS) {
        long week = gpsSecond / 604_800;
        long tow = gpsSecond % 604_800;
        ByteBuffer p = le(16).putInt(0, (int) (tow * 1000)).putInt(4, 300).putShort(8, (short) week)
                .put(10, (byte) (leapS == null ? 0 : leapS)).put(11, (byte) (leapS == null ? 0x03 : 0x07))
                .putInt(12, 20);
        return ubx(0x01, 0x20, p.array());
    }

    static byte[] navTimeLs(int currLs, int source, boolean valid) {
        ByteBuffer p = le(24).put(8, (byte) source).put(9, (byte) currLs).put(10, (byte) 2).put(11, (byte) 0)
                .put(23, (byte) (valid ? 0x01 : 0));
        return ubx(0x01, 0x26, p.array());
    }

    static byte[] timTp(long towMs, int week, int qErrPs, boolean qErrInvalid) {
        ByteBuffer p = le(16).putInt(0, (int) towMs).putInt(8, qErrPs).putShort(12, (short) week)
                .put(14, (byte) (qErrInvalid ? 0x10 : 0x00));
        return ubx(0x0D, 0x01, p.array());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
