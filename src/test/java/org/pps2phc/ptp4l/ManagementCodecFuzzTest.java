package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any datagram on ptp4l's socket: decoding it, and each data set decoded from its TLV, either succeeds or throws
 * {@link MalformedReplyException}, and what is decoded fits in one log line. The corpus (pmc's captured SET, its
 * RESPONSE and an error status, plus every crash found) is in ManagementCodecFuzzTestInputs; see docs/testing.md.
 */
class ManagementCodecFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void decode(byte[] datagram) {
        ManagementReply reply;
        try {
            reply = ManagementCodec.decode(datagram);
        } catch (MalformedReplyException e) {
            assertOneLine(e.getMessage());
            return;
        }
        reply.error().ifPresent(status -> assertOneLine(status.toString()));
        decodeEach(reply.data());
    }

    private static void decodeEach(byte[] data) {
        try {
            assertOneLine(GrandmasterSettings.decode(data).toString());
        } catch (MalformedReplyException e) {
            assertOneLine(e.getMessage());
        }
        try {
            assertOneLine(DefaultDataSet.decode(data).toString());
        } catch (MalformedReplyException e) {
            assertOneLine(e.getMessage());
        }
        try {
            assertOneLine(ParentDataSet.decode(data).toString());
        } catch (MalformedReplyException e) {
            assertOneLine(e.getMessage());
        }
        try {
            assertOneLine(TimeProperties.decode(data).toString());
        } catch (MalformedReplyException e) {
            assertOneLine(e.getMessage());
        }
    }

    private static void assertOneLine(String text) {
        assertFalse(text.isEmpty(), "an empty message");
        assertTrue(text.chars().noneMatch(c -> c < 0x20 || c == 0x7F), () -> "a control character in: " + text);
    }
}
