package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.DaemonIdentity;
import org.pps2phc.daemon.DaemonStatus;
import org.pps2phc.daemon.StatusFile;

class StatusCommandTest {
    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int status(String... args) {
        return cli.run(args);
    }

    private static DaemonIdentity self(String config) {
        return new DaemonIdentity(ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(),
                DaemonIdentity.current(Settings.defaults()).instance(), config);
    }

    private static DaemonStatus sample(long pid) {
        return sample(new DaemonIdentity(pid, -1, "pps2phc", "/etc/pps2phc/pps2phc.conf"));
    }

    private static DaemonStatus sample(DaemonIdentity daemon) {
        return new DaemonStatus(daemon, "/dev/ptp0", "locked", -12, 23712.4, 30, true, "trusted (PPS0, bound 0.001 ms)",
                List.of("ntpshm 0", "ptp4l"), 0.4, 3600, 2, 1, 0, "pi-linuxptp", 3700, System.currentTimeMillis());
    }

    @Test
    void jsonRoundTrips() {
        DaemonStatus s = sample(7);
        assertEquals(s, DaemonStatus.fromJson(s.toJson()));
        DaemonStatus none = new DaemonStatus(new DaemonIdentity(7, 5, "eth1", "/etc/pps2phc/eth1.conf"), "sim", "free-running", Double.NaN, 0, Double.NaN, false,
                "untrusted (\"x\")", List.of(), -1, 0, 0, 0, 0, "pi-linuxptp", 1, 5);
        DaemonStatus back = DaemonStatus.fromJson(none.toJson());
        assertTrue(Double.isNaN(back.offsetNs()));
        assertTrue(Double.isNaN(back.timeErrorNs()));
        assertEquals("untrusted (\"x\")", back.tod());
        assertEquals(none.daemon(), back.daemon());
    }

    @Test
    void aPidNowHeldByAnotherProcessIsNotTheDaemon(@TempDir Path dir) throws Exception {
        DaemonIdentity me = self("/etc/pps2phc/pps2phc.conf");
        // the daemon that wrote this had our pid but started an hour earlier: the kernel has reused its pid
        new StatusFile(dir).write(sample(new DaemonIdentity(me.pid(), me.startedMs() - 3_600_000, me.instance(),
                me.config())));
        assertEquals(3, status("status", "--status-dir", dir.toString()));
        assertTrue(err.toString().contains("stale status from pid " + me.pid() + " in " + dir
                + "; that pid is now another process"), err.toString());
    }

    @Test
    void aConfigFileThatCannotBeReadIsNotAnotherDaemonsStatus(@TempDir Path dir) {
        Path missing = dir.resolve("missing.conf");
        assertEquals(4, status("status", "-f", missing.toString()));
        assertTrue(err.toString().startsWith("pps2phc: " + missing + ": cannot read the config file"), err.toString());
        assertEquals("", out.toString());
        assertEquals(4, status("status", "--instance", "nosuch-test-instance"));
        assertTrue(err.toString().contains("/etc/pps2phc/nosuch-test-instance.conf"), err.toString());
    }

    @Test
    void theStatusOfTheInstanceAskedForIsShownAndNoOther(@TempDir Path dir) throws Exception {
        Path eth0 = dir.resolve("eth0.conf");
        Path eth1 = dir.resolve("eth1.conf");
        Files.writeString(eth0, "[global]\nstatus_dir " + dir + "\n[eth0]\n");
        Files.writeString(eth1, "[global]\nstatus_dir " + dir + "\n[eth1]\n");
        new StatusFile(dir).write(sample(self(DaemonIdentity.configOf(eth0.toString()))));
        assertEquals(0, status("status", "-f", eth0.toString()));
        assertTrue(out.toString().contains("instance:     "), out.toString());
        assertEquals(4, status("status", "-f", eth1.toString()));
        assertTrue(err.toString().contains("pps2phc: the status in " + dir + " is instance "), err.toString());
        assertTrue(err.toString().contains(", " + eth0 + "), not " + eth1 + "'s: give each instance its own "
                + "status_dir"), err.toString());
    }

    @Test
    void showsARunningDaemon(@TempDir Path dir) throws Exception {
        new StatusFile(dir).write(sample(ProcessHandle.current().pid()));
        assertEquals(0, status("status", "--status-dir", dir.toString()));
        String text = out.toString();
        assertTrue(text.contains("disciplining /dev/ptp0, up 1h 01m"), text);
        assertTrue(text.contains("state:        locked"), text);
        assertTrue(text.contains("offset:       -12 ns"), text);
        assertTrue(text.contains("time error:   within 30 ns (estimated)"), text);
        assertTrue(text.contains("time of day:  trusted (PPS0, bound 0.001 ms)"), text);
        assertTrue(text.contains("outputs:      ntpshm 0, ptp4l"), text);
        assertTrue(text.contains("last pulse:   0.4 s ago"), text);
    }

    @Test
    void jsonForScripts(@TempDir Path dir) throws Exception {
        new StatusFile(dir).write(sample(ProcessHandle.current().pid()));
        assertEquals(0, status("status", "--json", "--status-dir", dir.toString()));
        assertEquals(sample(ProcessHandle.current().pid()).state(), DaemonStatus.fromJson(out.toString()).state());
    }

    @Test
    void noStatusMeansNotRunning(@TempDir Path dir) {
        assertEquals(3, status("status", "--status-dir", dir.toString()));
        assertTrue(err.toString().contains("pps2phc is not running (no status in " + dir + ")"), err.toString());
    }

    @Test
    void aDeadPidMeansNotRunning(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        new StatusFile(dir).write(sample(p.pid()));
        assertEquals(3, status("status", "--status-dir", dir.toString()));
        assertTrue(err.toString().contains("stale status from pid " + p.pid()), err.toString());
    }
}
