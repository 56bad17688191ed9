package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.cli.Main;

/**
 * {@code pps2phc run --simulate} as a real subprocess, as systemd runs it: NOTIFY_SOCKET, WATCHDOG_USEC and
 * JOURNAL_STREAM set, signals from outside.
 */
class DaemonProcessTest {
    private static String classpath() {
        // Surefire runs tests from a manifest-only jar; it publishes the real test classpath in this property.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp", classpath(),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("WATCHDOG_USEC");
        pb.environment().remove("WATCHDOG_PID");
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("stdout").toFile());
        pb.redirectError(dir.resolve("stderr").toFile());
        return pb.start();
    }

    static String stderr(Path dir) {
        try {
            return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int statusCommand(Path statusDir, StringWriter out) {
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        return cl.execute("status", "--status-dir", statusDir.toString());
    }

    private static void signal(Process p, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + sig);
    }

    @Test
    void underSystemdItNotifiesReloadsReportsStatusAndStopsOnSigterm(@TempDir Path dir) throws Exception {
        Path statusDir = dir.resolve("status");
        Path conf = dir.resolve("pps2phc.conf");
        // no outputs: a simulated daemon must not write into the machine's NTP SHM segment 0
        Files.writeString(conf, "[global]\nstatus_dir " + statusDir + "\nsummary_interval 2\nlogging_level 6\n"
                + "ntpshm_segment -1\n");
        Process p = null;
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            p = start(dir, Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "1000000",
                    "JOURNAL_STREAM", "8:4242"), "run", "--simulate", "-f", conf.toString());

            // systemd waits TimeoutStartSec (30 s) for READY=1; the simulator first waits for a whole second
            Optional<Long> ready = systemd.await("READY=1"::equals, 30_000);
            assertTrue(ready.isPresent(), "READY=1 within the unit's TimeoutStartSec; stderr: " + stderr(dir));
            assertTrue(systemd.awaitCount(l -> l.startsWith("STATUS="), 3, 8000),
                    "STATUS updates: " + systemd.lines());
            assertTrue(systemd.awaitCount("WATCHDOG=1"::equals, 3, 4000), "WATCHDOG pings: " + systemd.lines());
            assertTrue(systemd.lines().contains("MAINPID=" + p.pid()), systemd.lines().toString());

            // pps2phc status sees it
            StringWriter out = new StringWriter();
            assertTrue(Poll.until(() -> statusCommand(statusDir, new StringWriter()) == 0, 3000));
            assertEquals(0, statusCommand(statusDir, out));
            assertTrue(out.toString().contains("pps2phc (pid " + p.pid() + ") disciplining sim"), out.toString());

            // SIGHUP: logging keys apply at once, others are named as needing a restart
            Files.writeString(conf, "[global]\nstatus_dir " + statusDir + "\nsummary_interval 1\nlogging_level 7\n"
                    + "ntpshm_segment -1\ntod_max_error 0.05\n");
            signal(p, "HUP");
            assertTrue(Poll.until(() -> stderr(dir).contains("<5>reloaded " + conf
                    + ": applied logging_level, summary_interval"), 5000), stderr(dir));
            assertTrue(stderr(dir).contains("<4>reloaded " + conf + ": tod_max_error changed but takes effect only "
                    + "after a restart (systemctl restart pps2phc)"), stderr(dir));
            assertTrue(systemd.await("RELOADING=1"::equals, 1000).isPresent());
            // a broken file on reload is refused and the daemon keeps running
            Files.writeString(conf, "[global]\nlogging_levle 7\n");
            signal(p, "HUP");
            assertTrue(Poll.until(() -> stderr(dir).contains("<3>reload refused: " + conf
                    + ":2: unknown key 'logging_levle' (did you mean 'logging_level'?)"), 5000), stderr(dir));
            assertTrue(p.isAlive());

            // journal format: every line has a priority prefix, no timestamps
            for (String line : stderr(dir).split("\n")) {
                assertTrue(line.matches("<[0-7]>.*"), "line without priority: " + line);
            }
            assertTrue(stderr(dir).contains("<5>started on simulated PHC"), stderr(dir));
            assertTrue(stderr(dir).matches("(?s).*<6>sim offset +-?\\d+ s\\d freq +[+-]\\d+ \\S+\n.*"), stderr(dir));
            assertTrue(stderr(dir).contains("<6>summary 1 s: ") || stderr(dir).contains("<6>summary 2 s: "),
                    stderr(dir));

            long termAt = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(SystemdUnitTest.TIMEOUT_STOP_S, TimeUnit.SECONDS), "exit within TimeoutStopSec");
            assertTrue(System.nanoTime() - termAt < SystemdUnitTest.TIMEOUT_STOP_S * 1_000_000_000L / 2,
                    "the stop takes well under TimeoutStopSec");
            assertEquals(0, p.exitValue(), stderr(dir));
            assertTrue(systemd.await("STOPPING=1"::equals, 500).isPresent());
            assertTrue(stderr(dir).contains("<5>stopping: SIGTERM"), stderr(dir));
            assertTrue(stderr(dir).contains("<5>stopped: outputs withdrawn, extts disarmed"), stderr(dir));

            assertEquals(3, statusCommand(statusDir, new StringWriter()), "status after the daemon stopped");
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aConfigErrorExits78WithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[global]\n# typo below\nstep_treshold 0.1\n[eth0]\n");
        Process p = start(dir, Map.of("JOURNAL_STREAM", "8:4242"), "run", "-f", conf.toString());
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(78, p.exitValue());
            assertEquals("<3>" + conf + ":3: unknown key 'step_treshold' (did you mean 'step_threshold'?)\n",
                    stderr(dir));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * A device that is not there (yet: a udev race at boot, a NIC being reset) is no reason to exit: the daemon comes
     * up free-running with its outputs withdrawn, says so once, and keeps trying to open it.
     */
    @Test
    void aMissingDeviceLeavesTheDaemonUpFreeRunningAndSaysSoOnce(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("dev.conf");
        Path statusDir = dir.resolve("status");
        Files.writeString(conf, "[global]\nstatus_dir " + statusDir + "\nntpshm_segment -1\n[pps2phc-none0]\n");
        Process p = null;
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            p = start(dir, Map.of("NOTIFY_SOCKET", systemd.name(), "JOURNAL_STREAM", "8:4242"), "run", "-f",
                    conf.toString());
            assertTrue(systemd.await("READY=1"::equals, 30_000).isPresent(), stderr(dir));
            assertTrue(systemd.await(l -> l.startsWith("STATUS=free-running"), 10_000).isPresent(),
                    systemd.lines().toString());
            String absent = "<4>pps2phc-none0 is absent (no network interface named 'pps2phc-none0' (see 'ip link'); "
                    + "give its PHC as /dev/ptpN or list the PHCs with 'pps2phc check'): running free (clockClass 248 "
                    + "for ptp4l), outputs withdrawn; trying to open it every 1 s, backing off to 30 s";
            assertTrue(stderr(dir).contains(absent), stderr(dir));
            // it retries after 1, 2 and 4 s, and says nothing more while the reason stays the same
            Process daemon = p;
            assertFalse(Poll.until(() -> !daemon.isAlive(), 4000), "still up: " + stderr(dir));
            assertEquals(1, stderr(dir).lines().filter(l -> (l.startsWith("<4>") || l.startsWith("<3>"))
                    && l.contains("pps2phc-none0")).count(), stderr(dir));
            p.destroy();
            assertTrue(p.waitFor(SystemdUnitTest.TIMEOUT_STOP_S, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), stderr(dir));
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void checkConfigValidatesOnly(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("ok.conf");
        Files.copy(Path.of("conf/pps2phc.conf"), conf);
        Process p = start(dir, Map.of(), "run", "--check-config", "-f", conf.toString());
        try {
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), stderr(dir));
            assertEquals(conf + ": valid, device eth0" + System.lineSeparator(),
                    Files.readString(dir.resolve("stdout")));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(new File(conf.toString()).exists());
    }
}
