package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.chrony.Chronyd;
import picocli.CommandLine;

/** `pps2phc tod` against a real chronyd and against nothing. */
class TodCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    Path leapfile() throws Exception {
        Path p = dir.resolve("leap.list");
        Files.write(p, List.of("#@ 4200000000", "3644697600 36", "3692217600 37"));
        return p;
    }

    @Test
    void localReferenceIsNotTrustedAndSaysWhy() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11320, "local stratum 10")) {
            int rc = run("tod", "--chrony", "127.0.0.1:" + chronyd.port(), "--leapfile", leapfile().toString(),
                    "--timeouts-ms", "200,400");
            assertEquals(69, rc, out + "" + err);
            String text = out.toString();
            assertTrue(text.contains("chronyd:       127.0.0.1:11320"), text);
            assertTrue(text.contains("Reference:     local (7F7F0101), stratum 10"), text);
            assertTrue(text.contains("Leap status:   Normal"), text);
            assertTrue(text.contains("TAI-UTC:       37 s from leapfile " + dir.resolve("leap.list")), text);
            assertTrue(text.contains("Verdict:       NOT trusted\n  - chronyd's reference is its own 'local' clock"),
                    text);

            out.getBuffer().setLength(0);
            assertEquals(0, run("tod", "--chrony", "127.0.0.1:11320", "--allow-local", "--json", "--utc-offset",
                    "37", "--leapfile", dir.resolve("missing").toString()), out + "" + err);
            String json = out.toString();
            assertTrue(json.startsWith("{\"chrony\": \"127.0.0.1:11320\", \"trusted\": true, \"reasons\": [], "
                    + "\"reference\": \"local\", \"refid\": \"7F7F0101\", \"stratum\": 10, "), json);
            assertTrue(json.contains("\"tai_minus_utc_s\": 37, \"tai_minus_utc_source\": \"config utc_offset\", "
                    + "\"leap_pending\": \"none\", \"leap_at_utc\": null, \"warnings\": [\"leap file "), json);
        }
    }

    @Test
    void withTheDaemonsConfigItJudgesAsTheDaemonDoes() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 12301, "local stratum 10")) {
            Path conf = dir.resolve("lab.conf");
            Files.write(conf, List.of("[global]", "chrony_address 127.0.0.1:12301", "chrony_timeout 0.2",
                    "tod_allow_local 1", "leapfile " + leapfile(), "[eth0]"));
            assertEquals(0, run("tod", "-f", conf.toString()), out + "" + err);
            String text = out.toString();
            assertTrue(text.contains("chronyd:       127.0.0.1:12301"), text);
            assertTrue(text.contains("TAI-UTC:       37 s from leapfile " + dir.resolve("leap.list")), text);
            assertTrue(text.contains("Verdict:       trusted"), text);

            // the same chronyd judged with the built-in settings: its 'local' reference is not trusted
            out.getBuffer().setLength(0);
            assertEquals(69, run("tod", "--chrony", "127.0.0.1:12301", "--timeouts-ms", "200"), out + "" + err);
            assertTrue(out.toString().contains("Verdict:       NOT trusted"), out.toString());
        }
    }

    @Test
    void aBrokenConfigIsExit78WithFileAndLine() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.write(conf, List.of("[global]", "chrony_adress 127.0.0.1:323"));
        assertEquals(78, run("tod", "-f", conf.toString()));
        assertTrue(err.toString().startsWith("pps2phc: " + conf + ":2: unknown key 'chrony_adress'"), err.toString());
    }

    @Test
    void noChronydIsExit69WithTheReason() throws Exception {
        int rc = run("tod", "--chrony", "[::1]:11321", "--timeouts-ms", "50,50", "--json", "--leapfile",
                leapfile().toString());
        assertEquals(69, rc);
        assertTrue(out.toString().contains("\"trusted\": false, \"reasons\": [\"no reply from chronyd at [::1]:11321\"]"),
                out.toString());
    }

    @Test
    void badAddressIsAUsageError() {
        assertEquals(64, run("tod", "--chrony", "127.0.0.1:99999"));
        assertEquals("pps2phc: --chrony: chrony address '127.0.0.1:99999': port must be 1 to 65535\n", err.toString());
    }

    @Test
    void badRefidIsAUsageError() {
        assertEquals(64, run("tod", "--own-refid", "TOOLONG"));
        assertTrue(err.toString().startsWith("pps2phc: --own-refid: refid 'TOOLONG' must be"), err.toString());
    }
}
