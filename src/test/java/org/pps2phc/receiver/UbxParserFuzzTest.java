package org.pps2phc.receiver;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes as one UBX frame, and as a mixed receiver stream: parsing succeeds or throws
 * {@link MalformedMessageException} with one printable line; the stream decoder never throws and names every
 * problem in one line. The corpus (the five time messages, a mixed NMEA and UBX burst) is in
 * UbxParserFuzzTestInputs; see docs/testing.md.
 */
class UbxParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void parse(byte[] frame) {
        try {
            Lines.assertOneLine(UbxParser.parse(frame, 0, frame.length).toString());
        } catch (MalformedMessageException e) {
            Lines.assertOneLine(e.getMessage());
        }
        StreamDecoder d = new StreamDecoder(StreamDecoder.byteNs(9600));
        List<StreamDecoder.Decoded> out = new ArrayList<>();
        d.feed(frame, frame.length, 0, out::add);
        out.forEach(x -> Lines.assertOneLine(x.message().toString()));
        String problem = d.counts().lastProblem();
        if (!problem.isEmpty()) {
            Lines.assertOneLine(problem);
        }
    }
}
