package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.cli.Main;

/**
 * {@code pps2phc run --simulate} as a subprocess feeding a real ptp4l (Debian linuxptp), with linuxptp's pmc as the
 * witness; pmc, in the test's namespace, talks to ptp4l's path socket. ptp4l always runs in a network namespace the
 * test made. Either the daemon runs in that namespace too (the daemon is started with {@code unshare -n}, ptp4l
 * joins it with {@code nsenter}), so it reaches ptp4l from its default abstract reply address as in production; or
 * the daemon stays outside and replies come to a path ({@code ptp4l_client_address}), since abstract names do not
 * cross network namespaces. The simulated world runs in real time, so the scenario is a fast-locking one
 * (e810-gpsdo, lock_count 4) with short windows.
 */
class DaemonPtp4lLiveTest {
    private static final int DOMAIN = 7;
    private static final double CHECK_PERIOD_S = 1;
    /** 2027-01-01T00:00:00Z, the midnight of the simulated leap second. */
    private static final long LEAP_MIDNIGHT_S = Instant.parse("2027-01-01T00:00:00Z").getEpochSecond();

    @TempDir
    Path dir;

    @BeforeAll
    static void linuxptpInstalled() {
        Ptp4lInstance.requireLinuxptp();
    }

    @Test
    void clockClassFollowsLockOutageHoldoverBudgetRecoveryAndAPtp4lRestart() throws Exception {
        // outage of pulses 16..29: HOLDOVER from ~17.5 s, FREE_RUNNING 5 s later, pulses again at 30 s
        Daemon daemon = Daemon.startInOwnNetworkNamespace(dir, config("holdover_budget 5"), "--scenario", "e810-gpsdo",
                "--set", "pps.outages=16:14");
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        try {
            ptp4l.startInNetworkNamespaceOf(daemon.pid());
            Pmc pmc = new Pmc(ptp4l, dir);

            long lockedAt = await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "6",
                    "clockAccuracy", "0x21", "timeTraceable", "1", "timeSource", "0x20", "currentUtcOffset", "37"),
                    15);
            long holdoverAt = await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "7",
                    "timeTraceable", "1"), 20);
            long budgetSpentAt = await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "248",
                    "clockAccuracy", "0xfe", "timeTraceable", "0", "timeSource", "0xa0"), 10);
            double holdoverS = (budgetSpentAt - holdoverAt) / 1e9;
            assertTrue(holdoverS > 3.5 && holdoverS < 7.5, "HOLDOVER seen for " + holdoverS + " s, budget 5 s");
            long recoveredAt = await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "6",
                    "timeTraceable", "1"), 20);
            // what ptp4l announces, not only what it holds
            await(pmc, ptp4l, daemon, "PARENT_DATA_SET", Map.of("gm.ClockClass", "6", "gm.ClockAccuracy", "0x21"),
                    5);
            String log = daemon.stderr();
            assertTrue(log.contains("state locked -> holdover") && log.contains("state holdover -> free-running"),
                    log);
            System.out.printf("ptp4l e2e: locked %.1f s, holdover %.1f s, budget spent %.1f s, relocked %.1f s"
                            + " after the daemon started%n", daemon.since(lockedAt), daemon.since(holdoverAt),
                    daemon.since(budgetSpentAt), daemon.since(recoveredAt));

            // ptp4l restarts and forgets: the daemon's next check sets the settings again
            long firstPid = ptp4l.pid();
            ptp4l.stop();
            ptp4l.startInNetworkNamespaceOf(daemon.pid());
            assertTrue(ptp4l.pid() != firstPid);
            long restartedAt = System.nanoTime();
            await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "6", "timeTraceable", "1"),
                    CHECK_PERIOD_S + 3);
            double restoredAfterS = (System.nanoTime() - restartedAt) / 1e9;
            System.out.printf("ptp4l e2e: settings back %.2f s after ptp4l restarted (check period %.0f s)%n",
                    restoredAfterS, CHECK_PERIOD_S);
            // within the check period, plus one reply timeout and one pmc round on a busy machine
            assertTrue(restoredAfterS <= CHECK_PERIOD_S + 1.0, "restored after " + restoredAfterS + " s");

            // stopping: pps2phc leaves ptp4l announcing "not in sync"
            assertEquals(0, daemon.stop(), daemon.stderr());
            Map<String, String> left = pmc.get("GRANDMASTER_SETTINGS_NP");
            assertEquals("248", left.get("clockClass"), left::toString);
            assertEquals("0", left.get("timeTraceable"), left::toString);
        } finally {
            daemon.kill();
            ptp4l.stop();
        }
    }

    @Test
    void utcOffsetAndLeap61AroundASimulatedLeapSecond() throws Exception {
        // midnight comes 16 s of simulated time after the start, the inserted second included
        acrossASimulatedLeapSecond("insert", "38", "leap61", 15.5);
    }

    @Test
    void utcOffsetAndLeap59AroundASimulatedDeletedLeapSecond() throws Exception {
        // 23:59:59 does not happen: midnight comes 14 s of simulated time after the start
        acrossASimulatedLeapSecond("delete", "36", "leap59", 13.5);
    }

    /**
     * The simulated world starts 15 s before a leap second at LEAP_MIDNIGHT_S (TAI-UTC 37 before it): before
     * midnight ptp4l announces 37 with the leap's flag, after it the new offset and no flag, locked throughout.
     */
    private void acrossASimulatedLeapSecond(String kind, String offsetAfter, String flag, double earliestSwitchS)
            throws Exception {
        // ptp4l in a namespace of its own, the daemon outside: its replies come to a path
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        ptp4l.start();
        long startTai = LEAP_MIDNIGHT_S - 15 + 37;
        Daemon daemon = Daemon.start(dir, config("ptp4l_client_address " + dir.resolve("pps2phc.ptp4l")),
                "--scenario", "e810-gpsdo", "--set", "sim.leap=" + kind + "@" + LEAP_MIDNIGHT_S,
                "--set", "sim.start=" + startTai);
        String other = flag.equals("leap61") ? "leap59" : "leap61";
        try {
            Pmc pmc = new Pmc(ptp4l, dir);
            long before = await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "6",
                    "currentUtcOffset", "37", flag, "1", other, "0", "currentUtcOffsetValid", "1"), 15);
            await(pmc, ptp4l, daemon, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "37", flag, "1",
                    other, "0", "currentUtcOffsetValid", "1", "ptpTimescale", "1"), 5);
            assertTrue(!daemon.stderr().contains("currentUtcOffset " + offsetAfter), offsetAfter
                    + " before midnight: " + daemon.stderr());

            long after = await(pmc, ptp4l, daemon, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset",
                    offsetAfter, "leap61", "0", "leap59", "0", "currentUtcOffsetValid", "1", "timeTraceable", "1"), 25);
            await(pmc, ptp4l, daemon, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "6", "currentUtcOffset",
                    offsetAfter, flag, "0"), 5);
            double switchedAtS = daemon.since(after);
            System.out.printf("ptp4l e2e (%s): %s seen %.1f s, offset %s seen %.1f s after the daemon started%n",
                    kind, flag, daemon.since(before), offsetAfter, switchedAtS);
            assertTrue(switchedAtS >= earliestSwitchS, "offset " + offsetAfter + " already " + switchedAtS
                    + " s after start");
            String log = daemon.stderr();
            String announced = flag.equals("leap61") ? "leap61 1" : "leap61 0 leap59 1";
            int flagged = log.indexOf("currentUtcOffset 37 " + announced);
            int switched = log.indexOf("currentUtcOffset " + offsetAfter + " leap61 0 leap59 0");
            assertTrue(flagged >= 0 && switched > flagged, log);
            assertTrue(!log.contains("locked ->"), "lost lock across the leap second: " + log);
            assertEquals(0, daemon.stop(), daemon.stderr());
        } finally {
            daemon.kill();
            ptp4l.stop();
        }
    }

    /** The daemon's config: ptp4l at its path socket in the temp dir, no NTP outputs, a 1 s check period. */
    private Path config(String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("[global]",
                "status_dir " + dir.resolve("status"),
                "ntpshm_segment -1",
                "lock_count 4",
                "logging_level 7",
                "ptp4l_update 1",
                "uds_address " + dir.resolve("ptp4l"),
                "domainNumber " + DOMAIN,
                "ptp4l_check_period " + (int) CHECK_PERIOD_S));
        lines.addAll(List.of(extra));
        Path conf = dir.resolve("pps2phc.conf");
        Files.writeString(conf, String.join("\n", lines) + "\n");
        return conf;
    }

    /** Polls pmc until every field has its value; returns when (System.nanoTime) it first did. */
    private static long await(Pmc pmc, Ptp4lInstance ptp4l, Daemon daemon, String what,
                              Map<String, String> expected, double withinS) throws Exception {
        long deadline = System.nanoTime() + (long) (withinS * 1e9);
        Map<String, String> got = Map.of();
        while (System.nanoTime() < deadline) {
            long at = System.nanoTime();
            got = pmc.get(what);
            Map<String, String> now = got;
            if (expected.entrySet().stream().allMatch(e -> e.getValue().equals(now.get(e.getKey())))) {
                return at;
            }
            if (!daemon.alive()) {
                fail("pps2phc exited with " + daemon.exitValue() + ":\n" + daemon.stderr());
            }
            Thread.sleep(100);
        }
        fail("pmc GET " + what + " never showed " + expected + " within " + withinS + " s; last: " + got
                + "\npps2phc log:\n" + daemon.tail() + "\nptp4l log:\n" + ptp4l.lastLog());
        return -1;
    }

    /** {@code pps2phc run --simulate -f CONF ...}, stopped by PID. */
    private static final class Daemon {
        private final Process process;
        private final Path stderr;
        private final long startedAt;

        private Daemon(Process process, Path stderr, long startedAt) {
            this.process = process;
            this.stderr = stderr;
            this.startedAt = startedAt;
        }

        /** In the test's own network namespace. */
        static Daemon start(Path dir, Path conf, String... simArgs) throws IOException {
            return start(dir, List.of(), conf, simArgs);
        }

        /** In a network namespace of its own, made with {@code unshare -n}; {@link #pid()} names it for nsenter. */
        static Daemon startInOwnNetworkNamespace(Path dir, Path conf, String... simArgs) throws IOException {
            return start(dir, List.of("/usr/bin/unshare", "-n"), conf, simArgs);
        }

        private static Daemon start(Path dir, List<String> namespace, Path conf, String... simArgs)
                throws IOException {
            // Surefire runs tests from a manifest-only jar; it publishes the real test classpath in this property.
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> java = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m", "-cp", classpath,
                    Main.class.getName(), "run", "--simulate", "-f", conf.toString(), "--feed", "ptp4l"));
            java.addAll(List.of(simArgs));
            StringBuilder script = new StringBuilder("PATH=/usr/sbin:/usr/bin:/sbin:/bin; "
                    + (namespace.isEmpty() ? "exec" : "ip link set lo up && exec"));
            for (String arg : java) {
                script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
            }
            Path err = dir.resolve("pps2phc.stderr");
            // (unshare execs) sh, sh execs java: the PID we hold is the daemon's
            List<String> command = new ArrayList<>(namespace);
            command.addAll(List.of("/bin/sh", "-c", script.toString()));
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().remove("NOTIFY_SOCKET");
            pb.environment().remove("WATCHDOG_USEC");
            pb.environment().remove("WATCHDOG_PID");
            pb.environment().put("JOURNAL_STREAM", "8:4242"); // journal format: <N> prefixes, no timestamps
            pb.redirectOutput(dir.resolve("pps2phc.stdout").toFile()).redirectError(err.toFile());
            return new Daemon(pb.start(), err, System.nanoTime());
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        int exitValue() {
            return process.exitValue();
        }

        /** Seconds from the daemon's start to the System.nanoTime {@code at}. */
        double since(long at) {
            return (at - startedAt) / 1e9;
        }

        String stderr() {
            try {
                return Files.readString(stderr, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no stderr: " + e.getMessage() + ")";
            }
        }

        String tail() {
            List<String> lines = stderr().lines().filter(l -> !l.contains(" sim offset ")).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }

        /** SIGTERM; the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("pps2phc did not exit within 10 s of SIGTERM:\n" + tail());
            }
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
