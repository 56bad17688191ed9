package org.pps2phc.receiver;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * u-blox UBX frames, byte-exact: sync 0xB5 0x62, class, id, a little-endian payload length (at most
 * {@link #MAX_PAYLOAD}), the payload, and the 8-bit Fletcher checksum over class, id, length and payload. NAV-TIMEGPS,
 * NAV-TIMEUTC, NAV-PVT, NAV-TIMELS and TIM-TP are decoded; every other frame is {@link ReceiverMessage.Other}.
 */
public final class UbxParser {
    public static final int SYNC1 = 0xB5;
    public static final int SYNC2 = 0x62;
    /** Larger than any message pps2phc reads (NAV-PVT: 92) or a receiver sends unasked at 1 Hz (NAV-SAT ~ 1 KiB). */
    public static final int MAX_PAYLOAD = 2048;
    static final int OVERHEAD = 8;
    /** A NAV time further than this from a whole second describes no pulse (a fast navigation rate). */
    private static final long OFF_SECOND_NS = 10_000_000;
    private static final long GPS_EPOCH_POSIX_S = 315_964_800L; // 1980-01-06T00:00:00Z
    private static final long WEEK_S = 604_800L;

    private UbxParser() {
    }

    /** A whole frame: sync bytes, class, id, length, {@code payload}, checksum. */
    public static byte[] frame(int cls, int id, byte[] payload) {
        byte[] f = new byte[payload.length + OVERHEAD];
        f[0] = (byte) SYNC1;
        f[1] = (byte) SYNC2;
        f[2] = (byte) cls;
        f[3] = (byte) id;
        f[4] = (byte) payload.length;
        f[5] = (byte) (payload.length >> 8);
        System.arraycopy(payload, 0, f, 6, payload.length);
        int sum = checksum(f, 2, payload.length + 4);
        f[f.length - 2] = (byte) sum;
        f[f.length - 1] = (byte) (sum >> 8);
        return f;
    }

    /** The 16-bit Fletcher checksum (CK_A | CK_B << 8) over {@code len} bytes from {@code off}. */
    public static int checksum(byte[] b, int off, int len) {
        int a = 0;
        int c = 0;
        for (int i = off; i < off + len; i++) {
            a = (a + (b[i] & 0xFF)) & 0xFF;
            c = (c + a) & 0xFF;
        }
        return a | c << 8;
    }

    /**
     * Parses one whole frame, sync bytes to checksum.
     *
     * @throws MalformedMessageException when the framing, the checksum or a decoded message's layout is wrong
     */
    public static ReceiverMessage parse(byte[] frame, int off, int len) throws MalformedMessageException {
        if (len < OVERHEAD || (frame[off] & 0xFF) != SYNC1 || (frame[off + 1] & 0xFF) != SYNC2) {
            throw new MalformedMessageException("UBX frame without its sync bytes");
        }
        int payloadLength = u2(frame, off + 4);
        if (payloadLength > MAX_PAYLOAD) {
            throw new MalformedMessageException("UBX payload of " + payloadLength + " bytes (at most " + MAX_PAYLOAD
                    + ")");
        }
        if (len != payloadLength + OVERHEAD) {
            throw new MalformedMessageException("UBX frame of " + len + " bytes for a payload of " + payloadLength);
        }
        int sum = checksum(frame, off + 2, payloadLength + 4);
        if (sum != u2(frame, off + len - 2)) {
            throw new MalformedMessageException("UBX checksum wrong");
        }
        int cls = frame[off + 2] & 0xFF;
        int id = frame[off + 3] & 0xFF;
        int p = off + 6;
        return switch (cls << 8 | id) {
            case 0x0120 -> timeGps(frame, p, payloadLength);
            case 0x0121 -> timeUtc(frame, p, payloadLength);
            case 0x0107 -> pvt(frame, p, payloadLength);
            case 0x0126 -> timeLs(frame, p, payloadLength);
            case 0x0D01 -> timTp(frame, p, payloadLength);
            default -> new ReceiverMessage.Other(String.format("UBX-%02X-%02X", cls, id));
        };
    }

    private static ReceiverMessage timeGps(byte[] b, int p, int n) throws MalformedMessageException {
        String name = "NAV-TIMEGPS";
        need(name, n, 16);
        long itowMs = u4(b, p);
        long ftowNs = i4(b, p + 4);
        int week = i2(b, p + 8);
        int leapS = b[p + 10];
        int valid = b[p + 11] & 0xFF;
        long towNs = itowMs * 1_000_000L + ftowNs;
        long towS = Math.floorDiv(towNs + 500_000_000L, 1_000_000_000L);
        if (Math.abs(towNs - towS * 1_000_000_000L) > OFF_SECOND_NS) {
            return new ReceiverMessage.Other(name + " off the second");
        }
        String why = (valid & 0x03) != 0x03 ? "time of week or week not valid" : week < 0 ? "negative week" : null;
        return new ReceiverMessage.GpsTime(name, (long) week * WEEK_S + towS, (valid & 0x04) != 0 ? leapS
                : Integer.MIN_VALUE, why);
    }

    private static ReceiverMessage timeUtc(byte[] b, int p, int n) throws MalformedMessageException {
        String name = "NAV-TIMEUTC";
        need(name, n, 20);
        long nano = i4(b, p + 8);
        int valid = b[p + 19] & 0xFF;
        String why = (valid & 0x04) == 0 ? "UTC not valid" : (valid & 0x03) != 0x03 ? "time of week or week not valid"
                : null;
        return utc(name, u2(b, p + 12), b[p + 14] & 0xFF, b[p + 15] & 0xFF, b[p + 16] & 0xFF, b[p + 17] & 0xFF,
                b[p + 18] & 0xFF, nano, why);
    }

    private static ReceiverMessage pvt(byte[] b, int p, int n) throws MalformedMessageException {
        String name = "NAV-PVT";
        need(name, n, 84);
        int valid = b[p + 11] & 0xFF;
        long nano = i4(b, p + 16);
        int fixType = b[p + 20] & 0xFF;
        int flags = b[p + 21] & 0xFF;
        int flags2 = b[p + 22] & 0xFF;
        String why = null;
        if ((valid & 0x07) != 0x07) {
            why = "date, time or their resolution not valid";
        } else if ((flags & 0x01) == 0 || fixType < 2 || fixType > 5) {
            why = "no GNSS fix (fix type " + fixType + ")";
        } else if ((flags2 & 0x20) != 0 && (flags2 & 0xC0) != 0xC0) {
            why = "date and time not confirmed";
        }
        return utc(name, u2(b, p + 4), b[p + 6] & 0xFF, b[p + 7] & 0xFF, b[p + 8] & 0xFF, b[p + 9] & 0xFF,
                b[p + 10] & 0xFF, nano, why);
    }

    private static ReceiverMessage timeLs(byte[] b, int p, int n) throws MalformedMessageException {
        String name = "NAV-TIMELS";
        need(name, n, 24);
        int source = b[p + 8] & 0xFF;
        int currLs = b[p + 9];
        int change = b[p + 11];
        long toEvent = i4(b, p + 12);
        int valid = b[p + 23] & 0xFF;
        boolean fromGnss = (valid & 0x01) != 0 && (source == 1 || source == 2 || source == 3 || source == 4
                || source == 5 || source == 8);
        if (change < -1 || change > 1) {
            throw new MalformedMessageException(name + " leap change " + change + " (only -1, 0, +1 exist)");
        }
        return new ReceiverMessage.LeapInfo(name, currLs, fromGnss, change,
                (valid & 0x02) != 0 ? toEvent : Long.MIN_VALUE);
    }

    private static ReceiverMessage timTp(byte[] b, int p, int n) throws MalformedMessageException {
        String name = "TIM-TP";
        need(name, n, 16);
        int flags = b[p + 14] & 0xFF;
        return new ReceiverMessage.NextPulse(name, u4(b, p), u2(b, p + 12), i4(b, p + 8), (flags & 0x10) == 0,
                (flags & 0x01) != 0);
    }

    private static ReceiverMessage utc(String name, int year, int month, int day, int hour, int min, int sec, long nano,
                                       String why) throws MalformedMessageException {
        if (hour > 23 || min > 59 || sec > 60 || Math.abs(nano) > 1_000_000_000L) {
            throw new MalformedMessageException(String.format("%s time %02d:%02d:%02d (nano %d) does not exist", name,
                    hour, min, sec, nano));
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            if (why != null) {
                return new ReceiverMessage.UtcTime(name, Long.MIN_VALUE, false, why); // before a fix: zeros
            }
            throw new MalformedMessageException(String.format("%s date %04d-%02d-%02d does not exist", name, year,
                    month, day));
        }
        long secondNs = sec * 1_000_000_000L + nano;
        long rounded = Math.floorDiv(secondNs + 500_000_000L, 1_000_000_000L);
        if (Math.abs(secondNs - rounded * 1_000_000_000L) > OFF_SECOND_NS) {
            return new ReceiverMessage.Other(name + " off the second");
        }
        boolean leap = sec == 60 || rounded == 60 && hour == 23 && min == 59;
        long utc = epochDay * 86_400L + hour * 3600L + min * 60L + rounded;
        return new ReceiverMessage.UtcTime(name, utc, leap, why);
    }

    /** GPS seconds (since 1980-01-06) as POSIX seconds on the GPS time scale (no leap seconds removed). */
    static long gpsToPosixScale(long gpsSecond) {
        return GPS_EPOCH_POSIX_S + gpsSecond;
    }

    private static void need(String name, int n, int min) throws MalformedMessageException {
        if (n < min) {
            throw new MalformedMessageException(name + " payload of " + n + " bytes (at least " + min + ")");
        }
    }

    static int u2(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
    }

    static int i2(byte[] b, int i) {
        return (short) u2(b, i);
    }

    static long u4(byte[] b, int i) {
        return i4(b, i) & 0xFFFFFFFFL;
    }

    static long i4(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (long) (b[i + 3] << 24);
    }
}
