package org.pps2phc.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Any bytes as a config file: either a {@link ConfigException} whose every problem is one short line, or settings
 * from which every part of the daemon can take its typed view. The corpus (the shipped conf/pps2phc*.conf, a
 * ts2phc.conf as users have it, plus every crash found) is in ConfigFileFuzzTestInputs; see docs/testing.md.
 */
class ConfigFileFuzzTest {
    /** A problem names file:line and what is wrong; echoed values are cut, so it stays readable. */
    private static final int MAX_PROBLEM_LENGTH = 600;
    private static final Settings DEFAULTS = Settings.defaults();

    @FuzzTest(maxDuration = "5m")
    void configFile(byte[] content) {
        Settings s;
        try {
            List<String> lines = ConfigFile.lines("fuzz.conf", content);
            s = Settings.parse("fuzz.conf", lines);
        } catch (ConfigException e) {
            assertFalse(e.problems().isEmpty(), "a ConfigException without a problem");
            assertTrue(e.problems().size() <= ConfigFile.MAX_PROBLEMS + 1, e.problems().size() + " problems");
            e.problems().forEach(ConfigFileFuzzTest::assertOneLine);
            return;
        }
        s.warnings().forEach(ConfigFileFuzzTest::assertOneLine);
        s.discipline();
        s.device();
        s.tod();
        s.outputs();
        s.ptp4l();
        s.logging();
        s.initialLeap();
        s.configuredUtcOffset();
        s.statusDir();
        s.changesTo(DEFAULTS);
    }

    private static void assertOneLine(String text) {
        assertTrue(text.startsWith("fuzz.conf"), () -> "does not say where: " + text);
        assertTrue(text.length() <= MAX_PROBLEM_LENGTH, () -> text.length() + " characters: " + text);
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7F || c == 0x2028 || c == 0x2029),
                () -> "a control character in: " + text);
    }
}
