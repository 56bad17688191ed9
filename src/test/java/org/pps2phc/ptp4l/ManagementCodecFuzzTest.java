package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

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

    /** A data set's decoder, as the client applies it to a reply's data. */
    private interface DataSetDecoder {
        Object decode(byte[] data) throws MalformedReplyException;
    }

    private static final List<DataSetDecoder> DATA_SETS = List.of(GrandmasterSettings::decode,
            DefaultDataSet::decode, ParentDataSet::decode, TimeProperties::decode);

    private static void decodeEach(byte[] data) {
        for (DataSetDecoder decoder : DATA_SETS) {
            try {
                assertOneLine(decoder.decode(data).toString());
            } catch (MalformedReplyException e) {
                assertOneLine(e.getMessage());
            }
        }
    }

    private static void assertOneLine(String text) {
        assertFalse(text.isEmpty(), "an empty message");
        assertTrue(text.chars().noneMatch(c -> c < 0x20 || c == 0x7F), () -> "a control character in: " + text);
    }
}
