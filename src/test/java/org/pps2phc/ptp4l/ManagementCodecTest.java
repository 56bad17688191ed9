package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ManagementCodecTest {
    /**
     * pmc -u -b 0 "set GRANDMASTER_SETTINGS_NP clockClass 6 clockAccuracy 0x21 offsetScaledLogVariance 0x4e5d
     * currentUtcOffset 37 leap61 0 leap59 0 currentUtcOffsetValid 1 ptpTimescale 1 timeTraceable 1
     * frequencyTraceable 1 timeSource 0x20", captured from pmc with pid 0x23d6 (linuxptp.md section 5.2).
     */
    private static final String CAPTURED_SET = "0d12003e00000000" + "0000000000000000" + "00000000"
            + "0000000000000000" + "23d6" + "0000" + "00" + "7f" + "ffffffffffffffffffff" + "00000100"
            + "0001000ac001" + "06214e5d00253c20";

    private static final GrandmasterSettings CAPTURED_SETTINGS = new GrandmasterSettings(6, 0x21, 0x4e5d, 37,
            new TimeFlags(false, false, true, true, true, true), 0x20);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /**
     * Header and body of the captured message as a RESPONSE, then MANAGEMENT_ERROR_STATUS: NOT_SUPPORTED for
     * GRANDMASTER_SETTINGS_NP with {@code text} (and a pad byte when the TLV would be of odd length).
     */
    private static byte[] notSupported(String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int pad = (t.length + 1) % 2;
        String tlv = "0002" + String.format("%04x", 9 + t.length + pad) + "0006" + "c001" + "00000000"
                + String.format("%02x", t.length) + HexFormat.of().formatHex(t) + "00".repeat(pad);
        return hex("0d12" + String.format("%04x", 48 + tlv.length() / 2) + CAPTURED_SET.substring(8, 92) + "02"
                + "00" + tlv);
    }

    @Test
    void setRequestMatchesPmcByteForByte() {
        ManagementCodec codec = new ManagementCodec(0, 0, 0x23d6);
        byte[] encoded = codec.set(0, ManagementId.GRANDMASTER_SETTINGS_NP, CAPTURED_SETTINGS.encode());
        assertEquals(62, encoded.length);
        assertArrayEquals(hex(CAPTURED_SET), encoded, () -> HexFormat.of().formatHex(encoded));
    }

    @Test
    void getCarriesZeroedDataOfTheIdsSize() {
        ManagementCodec codec = new ManagementCodec(0, 0, 0x23d6);
        byte[] get = codec.get(7, ManagementId.TIME_PROPERTIES_DATA_SET);
        assertEquals(58, get.length);
        assertEquals(0, get[46], "action GET");
        assertEquals("000100062003" + "00000000", HexFormat.of().formatHex(get, 48, 58));
        assertEquals(7, Bytes.u16(get, 30), "sequenceId");
    }

    @Test
    void domainAndTransportSpecificGoWherePtp4lChecksThem() {
        byte[] m = new ManagementCodec(1, 24, 0x12345678).get(0xFFFF, ManagementId.DEFAULT_DATA_SET);
        assertEquals(0x1D, m[0] & 0xFF, "transportSpecific 1 in the high nibble, MANAGEMENT in the low");
        assertEquals(24, m[4]);
        assertEquals("0000000000001234" + "5678", HexFormat.of().formatHex(m, 20, 30));
        assertEquals(0xFFFF, Bytes.u16(m, 30));
        assertEquals(0, m[44], "startingBoundaryHops");
        assertEquals(0, m[45], "boundaryHops");
    }

    @Test
    void decodesResponseEchoingTheSettings() throws Exception {
        byte[] reply = hex(CAPTURED_SET);
        reply[46] = 2; // RESPONSE
        ManagementReply r = ManagementCodec.decode(reply);
        assertEquals(ManagementAction.RESPONSE.code(), r.action());
        assertEquals(0, r.sequenceId());
        assertEquals(0xC001, r.managementId());
        assertTrue(r.error().isEmpty());
        assertEquals(CAPTURED_SETTINGS, GrandmasterSettings.decode(r.data()));
    }

    @Test
    void decodesErrorStatusWithIdAndText() throws Exception {
        ManagementReply r = ManagementCodec.decode(notSupported("read only"));
        ManagementErrorStatus e = r.error().orElseThrow();
        assertEquals(6, e.errorId());
        assertEquals("NOT_SUPPORTED", e.errorName());
        assertEquals(0xC001, e.managementId());
        assertEquals("read only", e.displayData());
        assertEquals("NOT_SUPPORTED (0x0006) for GRANDMASTER_SETTINGS_NP: read only", e.toString());
    }

    @Test
    void controlCharactersInPtp4lsErrorTextCannotBreakALogLine() throws Exception {
        assertEquals("bad?line?[2J", ManagementCodec.decode(notSupported("bad\nline\u001b[2J")).error().orElseThrow()
                .displayData());
    }

    @Test
    void rejectsWhatIsNotAManagementMessage() {
        byte[] shortOne = new byte[20];
        assertTrue(assertThrows(MalformedReplyException.class, () -> ManagementCodec.decode(shortOne))
                .getMessage().contains("shorter"));
        byte[] announce = hex(CAPTURED_SET);
        announce[0] = 0x0B;
        assertTrue(assertThrows(MalformedReplyException.class, () -> ManagementCodec.decode(announce))
                .getMessage().contains("messageType 0xB"));
        byte[] overlong = hex(CAPTURED_SET);
        overlong[51] = 0x20; // TLV length past the end
        assertTrue(assertThrows(MalformedReplyException.class, () -> ManagementCodec.decode(overlong))
                .getMessage().contains("TLV length"));
        byte[] bothLeaps = hex(CAPTURED_SET);
        bothLeaps[60] = 0x03;
        assertThrows(MalformedReplyException.class,
                () -> GrandmasterSettings.decode(ManagementCodec.decode(bothLeaps).data()));
    }

    @Test
    void clockAccuracyRoundsUpToTheBoundThatCoversIt() {
        assertEquals(0x20, ClockAccuracy.forNanoseconds(0));
        assertEquals(0x20, ClockAccuracy.forNanoseconds(25));
        assertEquals(0x21, ClockAccuracy.forNanoseconds(25.5));
        assertEquals(0x21, ClockAccuracy.forNanoseconds(100));
        assertEquals(0x22, ClockAccuracy.forNanoseconds(150));
        assertEquals(0x23, ClockAccuracy.forNanoseconds(1000));
        assertEquals(0x24, ClockAccuracy.forNanoseconds(1001));
        assertEquals(0x2F, ClockAccuracy.forNanoseconds(1e9));
        assertEquals(0x31, ClockAccuracy.forNanoseconds(11e9));
        assertEquals(0xFE, ClockAccuracy.forNanoseconds(Double.NaN));
        assertEquals("0x22 (250 ns)", ClockAccuracy.describe(0x22));
        assertEquals("0x24 (2.5 us)", ClockAccuracy.describe(0x24));
    }
}
