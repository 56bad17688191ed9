package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.chrony.Chronyd;
import org.pps2phc.ntpshm.TestSupport;

/**
 * {@code pps2phc run --simulate -f CONF} subprocesses on the e810-gpsdo scenario feed the real chronyd and ntpd
 * (ntpsec) through the outputs their configs name and the shipped conf/ refclock lines. The simulated system clock
 * is {@link #SYS_OFFSET_MS} off the PHC's UTC, so every consumer must show that offset:
 *
 * <ul>
 *   <li>daemon "pps" (conf/pps2phc-shm.conf on unit 50): chronyd reads it through chrony-pps2phc-shm.conf (pps);</li>
 *   <li>daemon "tai" (conf/pps2phc-shm-tai.conf on unit 51): chronyd, chrony-pps2phc-shm-tai.conf;</li>
 *   <li>daemon "tod" (conf/pps2phc-shm.conf on unit 52): chronyd, chrony-pps2phc-shm-tod.conf (no pps);</li>
 *   <li>daemon "sock" (conf/pps2phc-sock.conf on a socket in the temporary directory): chronyd,
 *       chrony-pps2phc-sock.conf;</li>
 *   <li>daemon "ntpd" (conf/pps2phc-shm.conf on unit 53): ntpd, ntpsec-pps2phc.conf.</li>
 * </ul>
 *
 * One daemon per segment, because a SHM reader clears the sample's valid flag: two readers of one unit would take
 * samples from each other. Everything is started once for the class, so the two tests share the daemons' ~15 s to
 * lock.
 */
class DaemonFeedsChronyAndNtpdTest {
    /**
     * The simulated system clock is this much ahead of the PHC's UTC (and of this machine's clock). Negative (behind)
     * on purpose: chronyd drops a sample whose system time is later than its own clock, and a SOCK sample reaches
     * it only about a millisecond after it was taken, so a simulated clock further ahead than that loses SOCK samples.
     */
    private static final double SYS_OFFSET_MS = -0.8;
    /** chronyc shows local minus reference: the system clock's offset from the PHC. */
    private static final double CHRONY_EXPECTED_S = SYS_OFFSET_MS / 1e3;
    /** ntpq shows reference minus local, in ms. */
    private static final double NTPQ_EXPECTED_MS = -SYS_OFFSET_MS;
    /** The system clock's jitter is 5 us (sys.jitter_ms 0.005); chrony's filters and regression stay well inside. */
    private static final double TOLERANCE_S = 50e-6;

    private static final int CMDPORT = 11420;
    private static final int UTC_UNIT = 50;
    private static final int TAI_UNIT = 51;
    private static final int TOD_UNIT = 52;
    private static final int NTPD_UNIT = 53;
    private static final List<Integer> UNITS = List.of(UTC_UNIT, TAI_UNIT, TOD_UNIT, NTPD_UNIT);
    private static final List<String> CHRONY_REFIDS = List.of("PPS0", "TAI1", "TOD2", "SOCK");
    private static final String NTPSEC = "/var/cache/pps2phc-test/ntpsec";

    @TempDir
    static Path dir;
    private static final Map<String, Process> daemons = new LinkedHashMap<>();
    private static Chronyd chronyd;
    private static Process ntpd;

    @BeforeAll
    static void startDaemonsAndConsumers() throws Exception {
        TestSupport.require("/usr/bin/chronyc", "chrony");
        String why = "(scripts/test-deps.d/40-ntpsec.sh extracts it from the Debian package ntpsec)";
        Path ntpdBin = TestSupport.require(NTPSEC + "/usr/sbin/ntpd", "ntpsec " + why);
        TestSupport.require(NTPSEC + "/usr/bin/ntpq", "ntpsec " + why);
        TestSupport.require("/usr/bin/unshare", "util-linux");
        TestSupport.require("/usr/bin/nsenter", "util-linux");
        Path ip = TestSupport.require("/sbin/ip", "iproute2");
        UNITS.forEach(TestSupport::removeSegment);
        Path sock = dir.resolve("chrony.sock");

        // pps2phc first, so that it creates its segments (the recommended order; chronyd and ntpd attach)
        startDaemon("pps", "pps2phc-shm.conf", UTC_UNIT, sock);
        startDaemon("tai", "pps2phc-shm-tai.conf", TAI_UNIT, sock);
        startDaemon("tod", "pps2phc-shm.conf", TOD_UNIT, sock);
        startDaemon("sock", "pps2phc-sock.conf", -1, sock);
        startDaemon("ntpd", "pps2phc-shm.conf", NTPD_UNIT, sock);
        for (String name : daemons.keySet()) {
            TestSupport.await(30, 100, () -> status(name) != null ? null
                    : "pps2phc " + name + " did not start: " + DaemonProcessTest.stderr(dir.resolve(name)));
        }

        chronyd = Chronyd.start(dir, CMDPORT, chronyConf(sock));

        Path ntpConf = dir.resolve("ntp.conf");
        Files.writeString(ntpConf, ntpConf());
        // its own network namespace (no port of the machine); SysV SHM is in the IPC namespace, which it shares
        ntpd = new ProcessBuilder("unshare", "-n", "--", "sh", "-c", ip + " link set lo up && exec " + ntpdBin
                + " -n -c " + ntpConf + " -l " + dir.resolve("ntpd.log"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("ntpd.out").toFile()).start();
    }

    @AfterAll
    static void stopAll() throws Exception {
        try {
            if (chronyd != null) {
                chronyd.close();
            }
            TestSupport.stop(ntpd);
            for (Process p : daemons.values()) {
                TestSupport.stop(p);
            }
        } finally {
            UNITS.forEach(TestSupport::removeSegment);
        }
    }

    /**
     * Starts pps2phc with the output keys of a shipped conf/ fragment, moved to the test's SHM unit and socket,
     * and its own status directory.
     */
    private static void startDaemon(String name, String fragment, int unit, Path sock) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        StringBuilder conf = new StringBuilder("[global]\nstatus_dir " + d.resolve("status") + "\n");
        int moved = 0;
        String output = "";
        for (String line : TestSupport.confLines(fragment)) {
            if (line.equals("ntpshm_segment 0")) {
                line = "ntpshm_segment " + unit;
                output = "ntpshm";
                moved++;
            } else if (line.equals("sock_path /run/chrony.pps2phc.sock")) {
                line = "sock_path " + sock;
                output = "sock";
                moved++;
            }
            if (!line.equals("[global]")) {
                conf.append(line).append('\n');
            }
        }
        assertEquals(1, moved, fragment + " should name unit 0 or /run/chrony.pps2phc.sock once");
        Path file = d.resolve("pps2phc.conf");
        Files.writeString(file, conf);
        daemons.put(name, DaemonProcessTest.start(d, Map.of(), "run", "--simulate", "-f", file.toString(),
                "--feed", output, "--scenario", "e810-gpsdo", "--set", "sys.offset_ms=" + SYS_OFFSET_MS, "--set", "sys.jitter_ms=0.005"));
    }

    /** The daemon's last status, or null before its first status write. */
    private static DaemonStatus status(String name) {
        Path file = dir.resolve(name).resolve("status").resolve(StatusFile.NAME);
        try {
            return Files.exists(file) ? DaemonStatus.fromJson(Files.readString(file)) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null; // between writes
        }
    }

    private static void awaitLocked(String... names) throws InterruptedException {
        for (String name : names) {
            TestSupport.await(45, 200, () -> {
                if (!daemons.get(name).isAlive()) {
                    return "pps2phc " + name + " exited: " + DaemonProcessTest.stderr(dir.resolve(name));
                }
                DaemonStatus s = status(name);
                return s != null && s.state().equals("locked") ? null
                        : "pps2phc " + name + " not locked: " + (s == null ? "no status" : s.state());
            });
        }
    }

    /** The refclock lines under test, after {@link Chronyd}'s isolating ones. */
    private static String[] chronyConf(Path sock) throws Exception {
        return new String[] {
            "logdir " + dir, "log refclocks",
            // the local reference makes chrony "synchronised", which a pps refclock without lock needs
            "local stratum 10",
            TestSupport.adaptChronyConf("chrony-pps2phc-shm.conf", "SHM 0", "SHM " + UTC_UNIT, "PPS0"),
            TestSupport.adaptChronyConf("chrony-pps2phc-shm-tai.conf", "SHM 0", "SHM " + TAI_UNIT, "TAI1"),
            TestSupport.adaptChronyConf("chrony-pps2phc-shm-tod.conf", "SHM 0", "SHM " + TOD_UNIT, "TOD2"),
            TestSupport.adaptChronyConf("chrony-pps2phc-sock.conf", "/run/chrony.pps2phc.sock", sock.toString(),
                    "SOCK")};
    }

    private static String ntpConf() throws Exception {
        StringBuilder conf = new StringBuilder("disable ntp\ndisable kernel\nrestrict default\nrestrict 127.0.0.1\n");
        int refclocks = 0;
        for (String line : TestSupport.confLines("ntpsec-pps2phc.conf")) {
            if (line.startsWith("refclock shm unit 0 ")) {
                line = line.replace("unit 0 ", "unit " + NTPD_UNIT + " ");
                refclocks++;
            }
            conf.append(line).append('\n');
        }
        assertEquals(1, refclocks, "ntpsec-pps2phc.conf should hold one 'refclock shm unit 0' line");
        return conf.toString();
    }

    @Test
    void chronycShowsTheSystemClockOffsetForShmWithAndWithoutPpsTaiAndSock() throws Exception {
        awaitLocked("pps", "tai", "tod", "sock");
        long lockedAt = System.nanoTime();
        String[] last = {""};
        TestSupport.await(60, 1000, () -> {
            if (!chronyd.isAlive()) {
                return "chronyd exited: " + chronyd.log();
            }
            String problem = TestSupport.checkChronycOffsets(CMDPORT, CHRONY_REFIDS, CHRONY_EXPECTED_S, TOLERANCE_S,
                    last);
            return problem == null ? null : problem + "\n" + last[0];
        });
        System.out.printf("chronyd followed the daemons %.1f s after lock:%n%s%n",
                (System.nanoTime() - lockedAt) / 1e9, last[0]);
        // pps2phc created each segment (it started first) and chronyd attached to it
        assertSegment(UTC_UNIT, "pps");
        assertSegment(TAI_UNIT, "tai");
        assertSegment(TOD_UNIT, "tod");
        // each fragment turns on exactly the output its chrony line reads
        assertEquals(List.of("ntpshm unit " + UTC_UNIT), status("pps").outputs());
        assertEquals(List.of("ntpshm unit " + TAI_UNIT), status("tai").outputs());
        assertEquals(List.of("chrony SOCK " + dir.resolve("chrony.sock")), status("sock").outputs());
    }


    @Test
    void ntpqShowsTheShmRefclockReachableAtTheSystemClockOffset() throws Exception {
        awaitLocked("ntpd");
        long lockedAt = System.nanoTime();
        String netns = "--net=/proc/" + ntpd.pid() + "/ns/net";
        String ntpq = NTPSEC + "/usr/bin/ntpq";
        String[] last = {""};
        TestSupport.await(60, 2000, () -> {
            try {
                if (!ntpd.isAlive()) {
                    return "ntpd exited: " + TestSupport.readOrEmpty(dir.resolve("ntpd.log"))
                            + TestSupport.readOrEmpty(dir.resolve("ntpd.out"));
                }
                TestSupport.Result r = TestSupport.run(15, "nsenter", netns, ntpq, "-n", "-p", "127.0.0.1");
                last[0] = r.output();
                return checkPeer(r.output());
            } catch (Exception e) {
                return "ntpq: " + e;
            }
        });
        assertSegment(NTPD_UNIT, "ntpd");
        System.out.printf("ntpd followed the daemon %.1f s after lock:%n%s%n", (System.nanoTime() - lockedAt) / 1e9,
                last[0]);
    }

    /** The segment of {@code unit} was created by the named daemon, and it and one consumer have it attached. */
    private static void assertSegment(int unit, String daemon) throws IOException {
        // key shmid perms size cpid lpid nattch uid ...
        String key = Integer.toString(0x4E545030 + unit);
        for (String line : Files.readAllLines(Path.of("/proc/sysvipc/shm"))) {
            String[] f = line.trim().split("\\s+");
            if (f[0].equals(key)) {
                assertEquals(Long.toString(daemons.get(daemon).pid()), f[4], "creator of unit " + unit + ": " + line);
                assertEquals("600", f[2], "mode of unit " + unit + " (ntpshm_perm 0600): " + line);
                assertEquals("2", f[6], "pps2phc and its consumer attached to unit " + unit + ": " + line);
                return;
            }
        }
        throw new AssertionError("no segment for unit " + unit + " in /proc/sysvipc/shm");
    }

    /** null when ntpq -p shows the SHM line reached at the expected offset, else why not. */
    private static String checkPeer(String ntpqOutput) {
        String name = "SHM(" + NTPD_UNIT + ")";
        // remote refid st t when poll reach delay offset jitter; the first column carries a tally character
        for (String line : ntpqOutput.split("\n")) {
            if (line.length() > 1 && line.substring(1).startsWith(name)) {
                String[] f = line.substring(1).trim().split("\\s+");
                if (f.length < 10) {
                    return "short line: " + line;
                }
                if (Integer.parseInt(f[6], 8) == 0) {
                    return name + " not reached yet: " + line;
                }
                double offsetMs = Double.parseDouble(f[8]);
                if (Math.abs(offsetMs - NTPQ_EXPECTED_MS) > TOLERANCE_S * 1e3) {
                    return name + " offset " + offsetMs + " ms, expected " + NTPQ_EXPECTED_MS + ": " + line;
                }
                return null;
            }
        }
        return "no " + name + " line in ntpq -p:\n" + ntpqOutput;
    }
}
