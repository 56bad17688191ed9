package org.pps2phc.sim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Byte-exact receiver messages as a u-blox timing receiver sends them: NMEA 0183 sentences (any talker, the XOR
 * checksum) and UBX frames (the 8-bit Fletcher checksum). Times are whole UTC seconds; a second of 60 is the inserted
 * leap second 23:59:60 of the day of {@code utcSecond} - 59.
 */
final class GnssEncoder {
    static final int UBX_OVERHEAD = 8;
    private static final long GPS_EPOCH_POSIX_S = 315_964_800L;
    private static final long WEEK_S = 604_800L;
    private static final String POSITION = "4717.11399,N,00833.91590,E";

    private GnssEncoder() {
    }

    /** A UTC time as the fields of a sentence see it: the date and the time of day (second 60 in a leap second). */
    record UtcFields(int year, int month, int day, int hour, int minute, int second) {
        /** POSIX second {@code utcSecond}, or the leap second that follows {@code utcSecond} - 1 when {@code leap}. */
        static UtcFields of(long utcSecond, boolean leap) {
            LocalDateTime t = LocalDateTime.ofEpochSecond(leap ? utcSecond - 1 : utcSecond, 0, ZoneOffset.UTC);
            return new UtcFields(t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                    leap ? 60 : t.getSecond());
        }

        String hhmmss() {
            return String.format(Locale.ROOT, "%02d%02d%02d.00", hour, minute, second);
        }
    }

    /** "$" + body + "*hh\r\n", hh the XOR of the body's bytes. */
    static byte[] nmea(String body) {
        int sum = 0;
        for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
            sum ^= b & 0xFF;
        }
        return String.format(Locale.ROOT, "$%s*%02X\r\n", body, sum).getBytes(StandardCharsets.US_ASCII);
    }

    /** RMC: status A with mode A when {@code fix}, else status V with mode N (void: no fix). */
    static byte[] rmc(String talker, UtcFields t, boolean fix) {
        return nmea(String.format(Locale.ROOT, "%sRMC,%s,%c,%s,0.004,77.52,%02d%02d%02d,,,%c,V", talker, t.hhmmss(),
                fix ? 'A' : 'V', POSITION, t.day(), t.month(), t.year() % 100, fix ? 'A' : 'N'));
    }

    /** GGA: quality 1 (GPS fix) when {@code fix}, else 0. */
    static byte[] gga(String talker, UtcFields t, boolean fix) {
        return nmea(String.format(Locale.ROOT, "%sGGA,%s,%s,%d,%02d,1.01,499.6,M,48.0,M,,", talker, t.hhmmss(), POSITION,
                fix ? 1 : 0, fix ? 12 : 0));
    }

    /**
     * ZDA: the date with a 4-digit year, local zone 00:00; without a fix its time and date fields are empty (ZDA has
     * no validity field of its own).
     */
    static byte[] zda(String talker, UtcFields t, boolean fix) {
        if (!fix) {
            return nmea(talker + "ZDA,,,,,00,00");
        }
        return nmea(String.format(Locale.ROOT, "%sZDA,%s,%02d,%02d,%04d,00,00", talker, t.hhmmss(), t.day(), t.month(),
                t.year()));
    }

    /** GSA: the satellites used and the dilutions of precision (no time). */
    static byte[] gsa(String talker, int systemId) {
        return nmea(String.format(Locale.ROOT, "%sGSA,A,3,02,05,07,13,15,18,20,24,29,30,,,1.62,0.88,1.36,%d", talker,
                systemId));
    }

    /** GSV: message {@code index} of {@code count}, four satellites in view (no time). */
    static byte[] gsv(String talker, int index, int count) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%sGSV,%d,%d,%02d", talker, count, index,
                count * 4));
        for (int i = 0; i < 4; i++) {
            int prn = (index - 1) * 4 + i + 1;
            b.append(String.format(Locale.ROOT, ",%02d,%02d,%03d,%02d", prn, 10 + prn * 3 % 80, prn * 37 % 360,
                    20 + prn * 7 % 30));
        }
        return nmea(b.append(",1").toString());
    }

    /** A UBX frame: sync, class, id, length, payload and the Fletcher checksum over class to the payload's end. */
    static byte[] ubx(int cls, int id, byte[] payload) {
        byte[] f = new byte[payload.length + UBX_OVERHEAD];
        f[0] = (byte) 0xB5;
        f[1] = 0x62;
        f[2] = (byte) cls;
        f[3] = (byte) id;
        f[4] = (byte) payload.length;
        f[5] = (byte) (payload.length >> 8);
        System.arraycopy(payload, 0, f, 6, payload.length);
        int a = 0;
        int b = 0;
        for (int i = 2; i < f.length - 2; i++) {
            a = (a + (f[i] & 0xFF)) & 0xFF;
            b = (b + a) & 0xFF;
        }
        f[f.length - 2] = (byte) a;
        f[f.length - 1] = (byte) b;
        return f;
    }

    private static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** GPS seconds since 1980-01-06 of the TAI second {@code taiSecond} (GPS time is TAI - 19 s). */
    static long gpsSecond(long taiSecond) {
        return taiSecond - 19 - GPS_EPOCH_POSIX_S;
    }

    private static int towMs(long gpsSecond) {
        return (int) (gpsSecond % WEEK_S * 1000);
    }

    /** NAV-TIMEUTC: validTOW, validWKN and validUTC set when {@code valid}, all clear otherwise. */
    static byte[] navTimeUtc(long gpsSecond, UtcFields t, boolean valid) {
        ByteBuffer p = payload(20).putInt(0, towMs(gpsSecond)).putInt(4, 20).putInt(8, 0)
                .putShort(12, (short) t.year());
        p.put(14, (byte) t.month()).put(15, (byte) t.day()).put(16, (byte) t.hour()).put(17, (byte) t.minute())
                .put(18, (byte) t.second()).put(19, (byte) (valid ? 0x37 : 0x00));
        return ubx(0x01, 0x21, p.array());
    }

    /** NAV-TIMEGPS: towValid, weekValid and leapSValid set when {@code valid}, all clear otherwise. */
    static byte[] navTimeGps(long gpsSecond, int leapS, boolean valid) {
        ByteBuffer p = payload(16).putInt(0, towMs(gpsSecond)).putInt(4, 0)
                .putShort(8, (short) (gpsSecond / WEEK_S)).put(10, (byte) leapS).put(11, (byte) (valid ? 0x07 : 0))
                .putInt(12, 20);
        return ubx(0x01, 0x20, p.array());
    }

    /**
     * NAV-TIMELS: GPS-UTC {@code currLs} from a GPS broadcast ({@code fromGnss}) or from the firmware's default, no
     * leap second announced.
     */
    static byte[] navTimeLs(long gpsSecond, int currLs, boolean fromGnss) {
        ByteBuffer p = payload(24).putInt(0, towMs(gpsSecond)).put(4, (byte) 0).put(8, (byte) (fromGnss ? 2 : 0))
                .put(9, (byte) currLs).put(10, (byte) 0).put(11, (byte) 0).putInt(12, 0).put(23, (byte) 0x03);
        return ubx(0x01, 0x26, p.array());
    }

    /**
     * TIM-TP: the time and quantisation error of the pulse at the GPS second {@code gpsSecond}, on the GNSS time
     * base (GPS), UTC available; qErr flagged invalid when not {@code valid}.
     */
    static byte[] timTp(long gpsSecond, long qErrPs, boolean valid) {
        int flags = 0x02 | 0x04 | (valid ? 0 : 0x10);
        ByteBuffer p = payload(16).putInt(0, towMs(gpsSecond)).putInt(4, 0).putInt(8, (int) qErrPs)
                .putShort(12, (short) (gpsSecond / WEEK_S)).put(14, (byte) flags).put(15, (byte) 0x00);
        return ubx(0x0D, 0x01, p.array());
    }
}
