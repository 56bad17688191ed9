package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15's recipe: a live key reverted after a reload that also changed a restart-only key comes back. */
class ReloadRevertProcessTest {
    private static final String PULSE_LINE = "<6>sim offset ";

    private static void hup(Process p) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    @Test
    void revertingLoggingLevelBringsThePulseLinesBack(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pps2phc.conf");
        String base = "[global]\nstatus_dir " + dir.resolve("status") + "\nsummary_interval 0\nntpshm_segment -1\n";
        Files.writeString(conf, base + "logging_level 6\n");
        Process p = DaemonProcessTest.start(dir, Map.of("JOURNAL_STREAM", "8:1"), "run", "--simulate", "-f",
                conf.toString());
        try {
            assertTrue(Poll.until(() -> DaemonProcessTest.stderr(dir).contains(PULSE_LINE), 20_000),
                    DaemonProcessTest.stderr(dir));

            Files.writeString(conf, base + "logging_level 5\nlock_count 20\n");
            hup(p);
            assertTrue(Poll.until(() -> DaemonProcessTest.stderr(dir).contains("lock_count changed but takes effect "
                    + "only after a restart"), 20_000), DaemonProcessTest.stderr(dir));

            Files.writeString(conf, base + "logging_level 6\n");
            hup(p);
            String applied = "<5>reloaded " + conf + ": applied logging_level";
            assertTrue(Poll.until(() -> DaemonProcessTest.stderr(dir).contains(applied), 20_000),
                    DaemonProcessTest.stderr(dir));
            assertTrue(Poll.until(() -> {
                String err = DaemonProcessTest.stderr(dir);
                return err.indexOf(PULSE_LINE, err.indexOf(applied)) > 0;
            }, 20_000), "pulse lines after the revert: " + DaemonProcessTest.stderr(dir));
        } finally {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
