package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CmdmonCodecTest {
    @Test
    void chronyFloatDecodesValuesSeenOnTheWire() {
        assertEquals(0.000123000005, CmdmonCodec.chronyFloat(0xEA80F990), 1e-12);
        assertEquals(1.0e-9, CmdmonCodec.chronyFloat(0xC889705F), 1e-16);
        assertEquals(4.0037, CmdmonCodec.chronyFloat(0x08801E97), 1e-4);
        assertEquals(0.0, CmdmonCodec.chronyFloat(0));
        assertEquals(1.0, CmdmonCodec.chronyFloat(0x04800000)); // chrony's encoding of 1.0: e=2, c=2^23
    }

    @Test
    void chronyFloatNegativeCoefficient() {
        // -0.000277 s: GPS source's offset in sourcedata-gps-selectable.hex (chronyc: -277us)
        assertEquals(-0.000277, CmdmonCodec.chronyFloat(0xED6EC5B0), 1e-10);
        // e = -1, c = -2^24 → -2^24 * 2^-26 = -0.25
        int word = (0x7F << 25) | (-(1 << 24) & 0x1FFFFFF);
        assertEquals(-0.25, CmdmonCodec.chronyFloat(word));
    }

    @Test
    void trackingRequestIsTheExact104BytesWhateverTheBufferHeld() {
        byte[] r = new byte[CmdmonCodec.MAX_REQUEST_LENGTH];
        Arrays.fill(r, (byte) 0x5A); // a reused buffer: an earlier request's bytes
        int length = CmdmonCodec.writeRequest(ByteBuffer.wrap(r), CmdmonCodec.Command.TRACKING, 9, 0x12345678, 2);
        assertEquals(104, length);
        ByteBuffer b = ByteBuffer.wrap(r);
        assertEquals(6, b.get(0));
        assertEquals(1, b.get(1));
        assertEquals(0, b.getShort(2));
        assertEquals(33, b.getShort(4));
        assertEquals(2, b.getShort(6));
        assertEquals(0x12345678, b.getInt(8));
        for (int i = 12; i < 104; i++) {
            assertEquals(0, r[i], "byte " + i);
        }
    }

    @Test
    void sourceRequestsCarryTheirLengthAndIndex() {
        ByteBuffer b = ByteBuffer.wrap(new byte[CmdmonCodec.MAX_REQUEST_LENGTH]);
        assertEquals(32, CmdmonCodec.writeRequest(b, CmdmonCodec.Command.N_SOURCES, 0, 1, 0));
        assertEquals(14, b.getShort(4));
        assertEquals(76, CmdmonCodec.writeRequest(b, CmdmonCodec.Command.SOURCE_DATA, 7, 1, 0));
        assertEquals(15, b.getShort(4));
        assertEquals(7, b.getInt(20));
    }

    @Test
    void trackingSynchronisedToRefclock() {
        byte[] d = Fixtures.reply("tracking-phc0.hex");
        CmdmonCodec.ReplyHeader h = CmdmonCodec.replyHeader(d, d.length, 33, Fixtures.sequence(d)).orElseThrow();
        assertEquals(5, h.reply());
        assertEquals(0, h.status());
        TrackingReport t = CmdmonCodec.decodeTracking(d);
        assertEquals(0x50484330, t.refId());
        assertEquals("PHC0", t.referenceName());
        assertEquals(ChronyAddr.UNSPEC, t.refAddr().family());
        assertEquals(1, t.stratum());
        assertEquals(TrackingReport.LEAP_NORMAL, t.leapStatus());
        assertEquals(1_795_254_117_355_187_269L, t.refTimeNs()); // Sat Nov 21 09:41:57 2026
        assertEquals(0.000123, t.currentCorrectionS(), 1e-10); // chronyc: 0.000123000 seconds slow
        assertEquals(1e-9, t.rootDelayS(), 1e-15);
        assertEquals(1.5016e-6, t.rootDispersionS(), 1e-9); // chronyc a moment later: 0.000001514
        assertEquals(1.0, t.lastUpdateIntervalS(), 1e-3);
        assertEquals(0.000123 + 1.5016e-6 + 0.5e-9, t.errorBoundS(), 1e-9);
    }

    @Test
    void trackingLocalReference() {
        TrackingReport t = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-local.hex"));
        assertEquals(RefId.LOCAL, t.refId());
        assertEquals("local", t.referenceName());
        assertEquals(10, t.stratum());
        assertEquals(TrackingReport.LEAP_NORMAL, t.leapStatus()); // the trap: "Normal" without a time source
        assertEquals(0.0, t.errorBoundS());
    }

    @Test
    void trackingUnsynchronised() {
        TrackingReport t = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-unsynchronised.hex"));
        assertEquals(0, t.refId());
        assertEquals(0, t.stratum());
        assertEquals(TrackingReport.LEAP_UNSYNCHRONISED, t.leapStatus());
        assertEquals("Not synchronised", t.leapStatusText());
        assertEquals("none", t.referenceName());
        assertEquals(1.0, t.rootDelayS());
        assertEquals(1.0, t.rootDispersionS());
        assertEquals(0, t.refTimeNs());
    }

    @Test
    void sourcesOfTwoRefclocks() throws ChronyException {
        byte[] n = Fixtures.reply("nsources-2.hex");
        assertEquals(2, CmdmonCodec.replyHeader(n, n.length, 14, Fixtures.sequence(n)).orElseThrow().reply());
        assertEquals(2, CmdmonCodec.decodeSourceCount(n, "127.0.0.1:323"));

        SourceReport phc = CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-phc0-selected.hex"));
        assertEquals("PHC0", phc.name());
        assertTrue(phc.isRefclock(RefId.of("PHC0")));
        assertEquals(SourceReport.State.SELECTED, phc.state());
        assertEquals(SourceReport.MODE_REFCLOCK, phc.mode());
        assertEquals(0177, phc.reach());
        assertEquals(0.002, phc.latestMeasErrS(), 1e-7); // chronyc: +/- 2000us

        SourceReport gps = CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-gps-selectable.hex"));
        assertEquals("GPS", gps.name());
        assertTrue(gps.isRefclock(RefId.of("GPS")));
        assertEquals(SourceReport.State.SELECTABLE, gps.state());
        assertEquals('-', gps.state().mark()); // as chronyc lists it
        assertEquals(-0.000277, gps.latestMeasS(), 1e-9);
        assertEquals(-0.000277, gps.origLatestMeasS(), 1e-9);
        assertEquals(1, gps.sinceSampleS());
    }

    @Test
    void replyForSomeoneElseIsIgnored() {
        byte[] d = Fixtures.reply("tracking-phc0.hex");
        int seq = Fixtures.sequence(d);
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(d, d.length, 33, seq + 1));
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(d, d.length, 14, seq));
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(d, 27, 33, seq));
        byte[] request = d.clone();
        request[1] = 1; // a request, not a reply
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(request, d.length, 33, seq));
        byte[] reserved = d.clone();
        reserved[2] = 1;
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(reserved, d.length, 33, seq));
        byte[] v5 = d.clone();
        v5[0] = 5;
        assertEquals(Optional.empty(), CmdmonCodec.replyHeader(v5, d.length, 33, seq));
    }

    @Test
    void errorStatusIsReadFromTheHeader() {
        byte[] d = Fixtures.reply("sourcedata-nosuchsource.hex");
        assertEquals(28, d.length);
        CmdmonCodec.ReplyHeader h = CmdmonCodec.replyHeader(d, d.length, 15, Fixtures.sequence(d)).orElseThrow();
        assertEquals(CmdmonCodec.STT_NOSUCHSOURCE, h.status());
        assertEquals(1, h.reply()); // RPY_NULL
    }

    @Test
    void timespecHighWordAndClamp() {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(0x7FFFFFFF).putInt(5).putInt(1_500_000_000);
        assertEquals(5_999_999_999L, CmdmonCodec.timespecNs(b, 0));
        ByteBuffer high = ByteBuffer.allocate(12).putInt(1).putInt(0).putInt(0);
        assertEquals((1L << 32) * 1_000_000_000L, CmdmonCodec.timespecNs(high, 0));
    }

    @Test
    void refIds() {
        assertEquals(0x50484330, RefId.of("PHC0"));
        assertEquals(0x47505300, RefId.of("GPS"));
        assertEquals("50484330 (PHC0)", RefId.describe(0x50484330));
        assertEquals("7F7F0101", RefId.describe(RefId.LOCAL));
        assertArrayEquals(new byte[] {'G', 'P', 'S', 0}, ByteBuffer.allocate(4).putInt(RefId.of("GPS")).array());
    }
}
