package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a message from the receiver may become in a log: one non-empty line of printable characters. */
final class Lines {
    private Lines() {
    }

    static void assertOneLine(String text) {
        assertFalse(text.isEmpty(), "an empty message");
        assertTrue(text.chars().noneMatch(c -> c < 0x20 || c == 0x7F), () -> "a control character in: " + text);
    }
}
