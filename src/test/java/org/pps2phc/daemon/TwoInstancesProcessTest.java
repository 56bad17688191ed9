package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.cli.Main;
import org.pps2phc.ntpshm.TestSupport;

/**
 * Two daemons on one machine, as pps2phc@eth0 and pps2phc@eth1 run them: each with its own config, status directory
 * and NTP SHM unit, side by side; a third on a unit one of them writes is refused, naming the unit and the writer.
 */
class TwoInstancesProcessTest {
    private static final int UNIT_A = 81;
    private static final int UNIT_B = 82;
    private static final int UNIT_C = 83;

    private static Path config(Path dir, String name, int unit) throws Exception {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, "[global]\nstatus_dir " + dir.resolve("run-" + name) + "\nntpshm_segment " + unit
                + "\nsummary_interval 0\n");
        return conf;
    }

    private static Process run(Path dir, String name, Path conf) throws Exception {
        Path d = Files.createDirectories(dir.resolve("out-" + name));
        return DaemonProcessTest.start(d, Map.of("JOURNAL_STREAM", "8:1"), "run", "--simulate", "-f",
                conf.toString(), "--feed", "ntpshm", "--scenario", "e810-gpsdo");
    }

    private record Status(int exit, String out, String err) {
    }

    private static Status status(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new Status(rc, out.toString(), err.toString());
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void twoInstancesRunSideBySideAndAThirdOnATakenUnitIsRefused(@TempDir Path dir) throws Exception {
        Path a = config(dir, "eth0", UNIT_A);
        Path b = config(dir, "eth1", UNIT_B);
        Process first = null;
        Process second = null;
        try {
            first = run(dir, "eth0", a);
            second = run(dir, "eth1", b);
            Process pa = first;
            Process pb = second;
            assertTrue(Poll.until(() -> status("status", "-f", a.toString()).exit() == 0
                    && status("status", "-f", b.toString()).exit() == 0, 30_000),
                    "both statuses: " + status("status", "-f", a.toString()) + status("status", "-f", b.toString())
                            + DaemonProcessTest.stderr(dir.resolve("out-eth0"))
                            + DaemonProcessTest.stderr(dir.resolve("out-eth1")));
            Status sa = status("status", "-f", a.toString());
            Status sb = status("status", "-f", b.toString());
            assertTrue(sa.out().contains("pps2phc (pid " + pa.pid() + ")"), sa.out());
            assertTrue(sa.out().contains("instance:     eth0 (" + a + ")"), sa.out());
            assertTrue(sa.out().contains("ntpshm unit " + UNIT_A), sa.out());
            assertTrue(sb.out().contains("pps2phc (pid " + pb.pid() + ")"), sb.out());
            assertTrue(sb.out().contains("instance:     eth1 (" + b + ")"), sb.out());
            assertTrue(sb.out().contains("ntpshm unit " + UNIT_B), sb.out());
            assertTrue(first.isAlive() && second.isAlive());

            // a third daemon on eth0's unit (its own status directory) is refused with one line naming both
            Path c = config(dir, "clash", UNIT_A);
            Process third = run(dir, "clash", c);
            assertTrue(third.waitFor(60, TimeUnit.SECONDS), "the third daemon exits");
            String err = DaemonProcessTest.stderr(dir.resolve("out-clash"));
            assertEquals(69, third.exitValue(), err);
            assertTrue(err.contains(String.format("<3>NTP SHM unit %d (key 0x%08x) is already written by another "
                    + "process (", UNIT_A, 0x4E545030 + UNIT_A)), err);
            assertTrue(err.contains("pid " + pa.pid() + " (java) created it"), err);
            assertTrue(first.isAlive(), "the first daemon runs on");
            assertEquals(0, status("status", "-f", a.toString()).exit());

            // a daemon sharing eth0's status directory is refused too, and eth0's status stays
            Path shared = dir.resolve("shared.conf");
            Files.writeString(shared, "[global]\nstatus_dir " + dir.resolve("run-eth0") + "\nntpshm_segment " + UNIT_C + "\n");
            Process fourth = run(dir, "shared", shared);
            assertTrue(fourth.waitFor(60, TimeUnit.SECONDS), "the fourth daemon exits");
            String err4 = DaemonProcessTest.stderr(dir.resolve("out-shared"));
            assertEquals(78, fourth.exitValue(), err4);
            assertTrue(err4.contains("<3>status_dir " + dir.resolve("run-eth0") + " is in use by pps2phc instance eth0 "
                    + "(pid " + pa.pid() + ", " + a + ")"), err4);
            assertEquals(0, status("status", "-f", a.toString()).exit());
        } finally {
            stop(first);
            stop(second);
            TestSupport.removeSegment(UNIT_A);
            TestSupport.removeSegment(UNIT_B);
            TestSupport.removeSegment(UNIT_C);
        }
    }
}
