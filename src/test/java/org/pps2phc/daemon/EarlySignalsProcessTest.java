package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals that come before the daemon exists. The config file is a FIFO, so the test knows when the process is
 * reading it (opening the FIFO for writing returns then) and holds it there while it sends the signal.
 */
class EarlySignalsProcessTest {
    private static void signal(Process p, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    /**
     * Waits until the daemon opens the FIFO, then runs {@code whileReading}, then hands it the config. Should the
     * daemon die instead, the writer is released (by opening the FIFO's other end here) and the test fails.
     */
    private static void feed(Process daemon, Path fifo, String config, ThrowingRunnable whileReading)
            throws Exception {
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
                whileReading.run();
                out.write(config.getBytes(StandardCharsets.UTF_8));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        while (true) {
            try {
                written.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (!daemon.isAlive()) {
                    new FileInputStream(fifo.toFile()).close();
                    fail("the daemon exited " + daemon.exitValue() + " before reading its config: "
                            + DaemonProcessTest.stderr(fifo.getParent()));
                }
            }
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** {@code run --simulate -f FIFO}: the daemon, about to read its config from a FIFO in {@code dir}. */
    private static Process startOnAFifo(Path dir) throws Exception {
        Path fifo = dir.resolve("pps2phc.conf");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        return DaemonProcessTest.start(dir, Map.of("JOURNAL_STREAM", "8:1"), "run", "--simulate", "-f",
                fifo.toString());
    }

    private static String config(Path dir) {
        return "[global]\nstatus_dir " + dir.resolve("status") + "\nntpshm_segment -1\nsummary_interval 0\n";
    }

    private static void assertExits0Saying(Process p, Path dir, String line) throws InterruptedException {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits after SIGTERM");
        assertEquals(0, p.exitValue(), DaemonProcessTest.stderr(dir));
        assertTrue(DaemonProcessTest.stderr(dir).contains(line), DaemonProcessTest.stderr(dir));
    }

    private static void stop(Process p) throws IOException {
        if (p.isAlive()) {
            p.destroyForcibly();
        }
    }

    @Test
    void aSighupWhileTheConfigIsReadReloadsOnceRunningAndSigtermThenExits0(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pps2phc.conf");
        Process p = startOnAFifo(dir);
        try {
            feed(p, fifo, config(dir), () -> signal(p, "HUP"));
            assertTrue(p.isAlive(), "SIGHUP before the start must not kill the JVM: " + DaemonProcessTest.stderr(dir));
            // the reload the early SIGHUP asked for reads the file again, once the first read has ended: a FIFO
            // opened for writing again before the reader saw its end would give it both copies as one file
            assertTrue(Poll.until(() -> DaemonProcessTest.stderr(dir).contains("<5>started on simulated PHC"),
                    30_000), DaemonProcessTest.stderr(dir));
            feed(p, fifo, config(dir), () -> { });
            assertTrue(Poll.until(() -> DaemonProcessTest.stderr(dir).contains("<5>reloaded " + fifo
                    + ": nothing changed"), 30_000), DaemonProcessTest.stderr(dir));
            signal(p, "TERM");
            assertExits0Saying(p, dir, "<5>stopping: SIGTERM\n");
        } finally {
            stop(p);
        }
    }

    @Test
    void aSigtermBeforeTheStartExits0WithoutStarting(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pps2phc.conf");
        Process p = startOnAFifo(dir);
        try {
            feed(p, fifo, config(dir), () -> signal(p, "TERM"));
            assertExits0Saying(p, dir, "<5>stopping: SIGTERM before the start\n");
        } finally {
            stop(p);
        }
    }
}
