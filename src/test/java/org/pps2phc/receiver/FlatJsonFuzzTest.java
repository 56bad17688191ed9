package org.pps2phc.receiver;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any line from gpsd: it parses or throws {@link MalformedMessageException} with one printable line, and never
 * overflows the stack however deep it nests. The corpus (gpsd 3.22's VERSION, DEVICES, TPV, TOFF and PPS) is in
 * FlatJsonFuzzTestInputs.
 */
class FlatJsonFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void parse(byte[] line) {
        try {
            FlatJson.parse(new String(line, StandardCharsets.UTF_8));
        } catch (MalformedMessageException e) {
            Lines.assertOneLine(e.getMessage());
        }
    }
}
