package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes as one NMEA sentence: parsing succeeds or throws {@link MalformedMessageException} with one printable
 * line; a sentence that parses has a valid checksum. The corpus (sentences of u-blox receivers, a leap second, a
 * void fix, blank ZDA fields) is in NmeaParserFuzzTestInputs; see docs/testing.md.
 */
class NmeaParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void parse(byte[] sentence) {
        try {
            ReceiverMessage m = NmeaParser.parse(sentence, 0, sentence.length);
            assertTrue(NmeaParser.checksumMatches(sentence, 0, sentence.length));
            Lines.assertOneLine(m.toString());
        } catch (MalformedMessageException e) {
            Lines.assertOneLine(e.getMessage());
        }
    }
}
