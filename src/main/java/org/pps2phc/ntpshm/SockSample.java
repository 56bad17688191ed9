package org.pps2phc.ntpshm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.pps2phc.core.PhcSample;

/**
 * chrony's SOCK refclock sample ({@code struct sock_sample}), 40 bytes on LP64 Linux, native byte order.
 *
 * @param tvSec   system time of the measurement (CLOCK_REALTIME), seconds
 * @param tvUsec  system time, microseconds (truncated: the sub-microsecond rest goes into {@code offset})
 * @param offset  reference (true) time minus {@code tv}, seconds
 * @param leap    0 none, 1 insert, 2 delete
 */
record SockSample(long tvSec, long tvUsec, double offset, int leap) {
    static final int SIZE = 40;
    static final int TV_SEC = 0;
    static final int TV_USEC = 8;
    static final int OFFSET = 16;
    static final int PULSE = 24;
    static final int LEAP = 28;
    static final int PAD = 32;
    static final int MAGIC = 36;
    static final int MAGIC_VALUE = 0x534F434B;
    private static final long NS = 1_000_000_000L;

    static SockSample of(PhcSample sample, Timescale timescale) {
        long tvNs = Math.floorDiv(sample.sysNs(), 1000L) * 1000L;
        long offsetNs = timescale.referenceNs(sample) - tvNs;
        return new SockSample(Math.floorDiv(tvNs, NS), Math.floorMod(tvNs, NS) / 1000L, offsetNs / 1e9,
                ShmTime.leapField(sample.leapToday()));
    }

    /** The datagram: a full time sample (pulse = 0), so chrony takes the seconds and the leap flag from it. */
    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
        b.putLong(TV_SEC, tvSec);
        b.putLong(TV_USEC, tvUsec);
        b.putDouble(OFFSET, offset);
        b.putInt(PULSE, 0);
        b.putInt(LEAP, leap);
        b.putInt(PAD, 0);
        b.putInt(MAGIC, MAGIC_VALUE);
        return b.array();
    }
}
