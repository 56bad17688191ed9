package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.pps2phc.os.PseudoTerminal;

/** {@code pps2phc tod --receiver} on a pty this test writes as a receiver. */
class ReceiverTodTest {
    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private static byte[] nmea(String body) {
        int sum = 0;
        for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
            sum ^= b & 0xFF;
        }
        return String.format("$%s*%02X\r\n", body, sum).getBytes(StandardCharsets.US_ASCII);
    }

    /** One RMC per (fast) second, status {@code status}, until interrupted. */
    private static void receiver(PseudoTerminal pty, char status) {
        long utc = LocalDateTime.of(2026, 12, 1, 7, 0).toEpochSecond(ZoneOffset.UTC);
        try {
            for (long k = 0; !Thread.currentThread().isInterrupted(); k++) {
                LocalDateTime t = LocalDateTime.ofEpochSecond(utc + k, 0, ZoneOffset.UTC);
                pty.write(nmea(String.format("GNRMC,%02d%02d%02d.00,%c,4717.1,N,00833.9,E,0.0,,011226,,,%c",
                        t.getHour(), t.getMinute(), t.getSecond(), status, status == 'A' ? 'A' : 'N')));
                pty.write(nmea("GPGSV,1,1,01,07,79,048,42"));
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // stopping
        }
    }

    private String listen(char status) throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            Thread writer = new Thread(() -> receiver(pty, status));
            writer.start();
            try {
                int rc = run("tod", "--receiver", pty.path(), "--baud", "115200", "--listen", "1.5");
                return rc + "\n" + out;
            } finally {
                writer.interrupt();
                writer.join(2000);
            }
        }
    }

    @Test
    void saysWhatTheReceiverSendsAndWhetherItsTimeIsValid() throws Exception {
        String good = listen('A');
        assertTrue(good.startsWith("0\n"), good + err);
        // in order of first appearance, and the listener may join the stream between the two
        assertTrue(good.contains("Messages:      GNRMC GPGSV") || good.contains("Messages:      GPGSV GNRMC"), good);
        assertTrue(good.contains("Time:          2026-12-01T07:00:"), good);
        assertTrue(good.contains("Valid:         yes"), good);
        out.getBuffer().setLength(0);
        String voidFix = listen('V');
        assertTrue(voidFix.startsWith("69\n"), voidFix);
        assertTrue(voidFix.contains("Valid:         no: time not valid: GNRMC status V (void: no fix)"), voidFix);
    }

    @Test
    void aMissingPortIsOneLine() {
        assertEquals(69, run("tod", "--receiver", "/dev/ttyNONE9", "--listen", "0.1"));
        assertEquals("pps2phc: /dev/ttyNONE9: cannot open: ENOENT (No such file or directory)", err.toString().strip());
    }
}
