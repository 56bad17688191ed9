package org.pps2phc.daemon;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.pps2phc.config.LoggingSettings;

/** What the daemon's logging writes under the journal (each line with its syslog priority) while a body runs. */
final class JournalCapture {
    private JournalCapture() {
    }

    /** Installs logging as under the journal with {@code settings}, runs {@code body} and returns its lines. */
    static String of(LoggingSettings settings, java.util.function.Consumer<LogControl> body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.accept(LogControl.install(Map.of("JOURNAL_STREAM", "8:1"), settings));
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
