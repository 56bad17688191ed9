package org.pps2phc.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Any datagram on the cmdmon socket, taken as the reply to each of the three requests pps2phc sends (its own
 * sequence number, so that the header can match): it is ignored, refused with a {@link ChronyException}, or decoded
 * into a report whose every text is one line. The corpus (chronyd 4.3's captured replies, plus every crash found)
 * is in CmdmonCodecFuzzTestInputs; see docs/testing.md.
 */
class CmdmonCodecFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void reply(byte[] d) {
        int sequence = d.length >= 20 ? ByteBuffer.wrap(d).getInt(16) : 0;
        accept(d, CmdmonCodec.REQ_TRACKING, sequence, CmdmonCodec.RPY_TRACKING, CmdmonCodec.TRACKING_REPLY_LENGTH);
        accept(d, CmdmonCodec.REQ_N_SOURCES, sequence, CmdmonCodec.RPY_N_SOURCES,
                CmdmonCodec.N_SOURCES_REPLY_LENGTH);
        accept(d, CmdmonCodec.REQ_SOURCE_DATA, sequence, CmdmonCodec.RPY_SOURCE_DATA,
                CmdmonCodec.SOURCE_DATA_REPLY_LENGTH);
    }

    /** What {@link CmdmonClient} does with a datagram while it waits for {@code command}'s reply. */
    private static void accept(byte[] d, int command, int sequence, int expectedReply, int expectedLength) {
        var header = CmdmonCodec.replyHeader(d, d.length, command, sequence);
        if (header.isEmpty()) {
            return;
        }
        assertEquals(command, header.get().command());
        if (header.get().status() != CmdmonCodec.STT_SUCCESS) {
            assertOneLine(ChronyException.refused("127.0.0.1:323", "it", header.get().status()).getMessage());
            return;
        }
        if (header.get().reply() != expectedReply || d.length < expectedLength) {
            return;
        }
        switch (command) {
            case CmdmonCodec.REQ_TRACKING -> {
                TrackingReport t = CmdmonCodec.decodeTracking(d);
                assertOneLine(t.referenceName());
                assertOneLine(t.leapStatusText());
                t.errorBoundS();
            }
            case CmdmonCodec.REQ_N_SOURCES -> {
                try {
                    int n = CmdmonCodec.decodeSourceCount(d, "127.0.0.1:323");
                    assertTrue(n >= 0 && n <= CmdmonCodec.MAX_SOURCES, "count " + n);
                } catch (ChronyException e) {
                    assertEquals(ChronyException.Kind.BAD_REPLY, e.kind());
                    assertOneLine(e.getMessage());
                }
            }
            default -> {
                SourceReport s = CmdmonCodec.decodeSourceData(d);
                assertOneLine(s.name());
                s.state().usable();
            }
        }
    }

    private static void assertOneLine(String text) {
        assertFalse(text.isEmpty(), "an empty text");
        assertTrue(text.chars().noneMatch(c -> c < 0x20 || c == 0x7F), () -> "a control character in: " + text);
    }
}
