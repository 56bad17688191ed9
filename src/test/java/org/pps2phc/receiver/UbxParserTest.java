package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class UbxParserTest {
    private static final long T = LocalDate.of(2026, 12, 1).toEpochDay() * 86_400L + 7 * 3600 + 35 * 60 + 9;
    /** GPS seconds at T: POSIX - GPS epoch + 18 leap seconds. */
    private static final long GPS_T = T - 315_964_800L + 18;

    private static ReceiverMessage parse(byte[] f) throws MalformedMessageException {
        return UbxParser.parse(f, 0, f.length);
    }

    @Test
    void fletcherChecksumAsU_bloxDefinesIt() {
        // ACK-ACK for CFG-MSG: B5 62 05 01 02 00 06 01, checksum 0F 38
        byte[] ack = {(byte) 0xB5, 0x62, 0x05, 0x01, 0x02, 0x00, 0x06, 0x01};
        assertEquals(0x380F, UbxParser.checksum(ack, 2, 6));
    }

    @Test
    void navTimeUtcGpsAndLeapSeconds() throws Exception {
        var utc = assertInstanceOf(ReceiverMessage.UtcTime.class, parse(Sentences.navTimeUtc(T, 0x07)));
        assertEquals(T, utc.utcSecond(), "nano -120 ns rounds to the second");
        assertTrue(utc.valid());
        assertEquals("UTC not valid", ((ReceiverMessage.UtcTime) parse(Sentences.navTimeUtc(T, 0x03))).whyInvalid());
        var gps = assertInstanceOf(ReceiverMessage.GpsTime.class, parse(Sentences.navTimeGps(GPS_T, 18)));
        assertEquals(GPS_T, gps.gpsSecond());
        assertEquals(18, gps.gpsMinusUtc());
        assertEquals(Integer.MIN_VALUE, ((ReceiverMessage.GpsTime) parse(Sentences.navTimeGps(GPS_T, null)))
                .gpsMinusUtc());
        var ls = assertInstanceOf(ReceiverMessage.LeapInfo.class, parse(Sentences.navTimeLs(18, 2, true)));
        assertTrue(ls.fromGnss());
        assertFalse(((ReceiverMessage.LeapInfo) parse(Sentences.navTimeLs(18, 0, true))).fromGnss(),
                "a firmware default is no leap-second knowledge (NEO-M9N after a cold start)");
    }

    @Test
    void timTpIsTheNextPulsesQErr() throws Exception {
        var tp = assertInstanceOf(ReceiverMessage.NextPulse.class, parse(Sentences.timTp(123_000, 2400, -4200, false)));
        assertEquals(-4200, tp.qErrPs());
        assertTrue(tp.qErrValid());
        assertFalse(((ReceiverMessage.NextPulse) parse(Sentences.timTp(123_000, 2400, 1, true))).qErrValid());
    }

    @Test
    void framingErrorsAreMalformed() {
        byte[] f = Sentences.navTimeUtc(T, 0x07);
        f[10] ^= 1;
        assertEquals("UBX checksum wrong", assertThrows(MalformedMessageException.class, () -> parse(f)).getMessage());
        byte[] shortPvt = Sentences.ubx(0x01, 0x07, new byte[20]);
        assertEquals("NAV-PVT payload of 20 bytes (at least 84)",
                assertThrows(MalformedMessageException.class, () -> parse(shortPvt)).getMessage());
    }

    @Test
    void aMixedStreamDecodesEveryMessageWithTheTimeOfItsFirstByte() {
        byte[] stream = Sentences.concat("garbage\r\n".getBytes(), Sentences.navTimeUtc(T, 0x07), Sentences.rmc(T),
                Sentences.timTp(1, 2, 3, false), Sentences.zda(T), new byte[] {(byte) 0xB5, 0x62, 1, 1, (byte) 0xFF,
                    (byte) 0xFF}, Sentences.gga(T, 1));
        StreamDecoder d = new StreamDecoder(StreamDecoder.byteNs(115_200));
        List<StreamDecoder.Decoded> out = new java.util.ArrayList<>();
        d.feed(stream, stream.length, 1_000_000_000L, out::add);
        assertEquals(List.of("NAV-TIMEUTC", "GNRMC", "TIM-TP", "GPZDA", "GNGGA"),
                out.stream().map(x -> x.message().name()).toList());
        long byteNs = StreamDecoder.byteNs(115_200);
        assertEquals(1_000_000_000L - (stream.length - 1 - 9) * byteNs, out.get(0).firstByteSysNs(),
                "the first byte of a read came n - 1 byte times before the read");
        assertNull(((ReceiverMessage.UtcTime) out.get(1).message()).whyInvalid());
        assertEquals("a UBX frame announcing 65535 bytes", d.counts().lastProblem());
    }
}
