package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Under systemd the journal names the process already: a line for the user starts with its priority instead. */
class ErrorHandlersTest {
    @Test
    void underTheJournalALineStartsWithItsPriorityNotTheProgramName() {
        Map<String, String> journal = Map.of("JOURNAL_STREAM", "8:4242");
        assertEquals("<3>", ErrorHandlers.prefix(journal, false));
        assertEquals("<4>", ErrorHandlers.prefix(journal, true));
    }

    @Test
    void onATerminalALineStartsWithTheProgramName() {
        assertEquals("pps2phc: ", ErrorHandlers.prefix(Map.of(), false));
        assertEquals("pps2phc: warning: ", ErrorHandlers.prefix(Map.of(), true));
    }
}
