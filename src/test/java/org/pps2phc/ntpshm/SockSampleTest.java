package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class SockSampleTest {
    private static final long NS = 1_000_000_000L;
    private static final long SYS = 1_790_000_000L * NS + 123_456_999L;

    @Test
    void timevalIsTruncatedAndTheOffsetCarriesTheRestExactly() {
        SockSample s = SockSample.of(Samples.at(SYS), Timescale.UTC);
        assertEquals(1_790_000_000L, s.tvSec());
        assertEquals(123_456, s.tvUsec());
        // reference = sys + 250 us = tv + 0.999 us + 250 us
        assertEquals(250.999e-6, s.offset(), 1e-12);
    }

    @Test
    void taiTimescaleOffsetIncludesTheTaiSeconds() {
        SockSample s = SockSample.of(Samples.at(SYS), Timescale.TAI);
        assertEquals(37.000250999, s.offset(), 1e-12);
    }

    @Test
    void datagramIsTheFortyByteStructWithMagic() {
        byte[] d = SockSample.of(Samples.at(SYS), Timescale.UTC).encode();
        assertEquals(40, d.length);
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
        assertEquals(1_790_000_000L, b.getLong(0));
        assertEquals(123_456L, b.getLong(8));
        assertEquals(250.999e-6, b.getDouble(16), 1e-12);
        assertEquals(0, b.getInt(24), "pulse = 0: a full time sample");
        assertEquals(0, b.getInt(28));
        assertEquals(0x534F434B, b.getInt(36));
    }
}
