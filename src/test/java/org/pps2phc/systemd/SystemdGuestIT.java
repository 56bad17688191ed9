package org.pps2phc.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Debian package under a real systemd: scripts/qemu/run-in-guest.sh -s boots the machine's own systemd as PID 1
 * in a QEMU guest whose /dev/ptp0 is an e1000e PHC (no external timestamps). One boot runs
 * src/test/qemu/package-under-systemd.sh, which installs target/pps2phc_*.deb and takes the service through what a
 * user does with it, one step after the other, recording each; every test here asserts on some of those records.
 * It runs after {@code package} (failsafe), since it needs the .deb.
 */
@Tag("qemu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemdGuestIT {
    private static final int GUEST_TIMEOUT_S = 1200;
    private final Path results = Path.of("target/systemd-guest").toAbsolutePath();

    @BeforeAll
    void runThePackageThroughTheGuest() throws IOException, InterruptedException {
        try (Stream<Path> debs = Files.list(Path.of("target"))) {
            assertTrue(debs.anyMatch(p -> p.getFileName().toString().matches("pps2phc_.*_all\\.deb")),
                    "no target/pps2phc_*_all.deb: mvn package builds it");
        }
        deleteTree(results);
        Files.createDirectories(results);
        // the guest runs a copy: bash reads a script as it goes, and an edit during the run would garble it
        Path steps = Files.copy(Path.of("src/test/qemu/package-under-systemd.sh"), results.resolve("steps.sh"));
        Path log = results.resolve("run-in-guest.log");
        long started = System.nanoTime();
        Process p = new ProcessBuilder("scripts/qemu/run-in-guest.sh", "-s", "-t", String.valueOf(GUEST_TIMEOUT_S),
                "-w", results.toString(), "--", "bash " + steps + " " + results)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(GUEST_TIMEOUT_S + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("run-in-guest.sh did not end");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.printf("systemd guest: %.1f s wall%n%s%n", (System.nanoTime() - started) / 1e9, output);
        assertEquals(0, p.exitValue(), "the guest run failed (124 timeout, 125 guest failure):\n" + output);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private String out(String step) {
        try {
            return Files.readString(results.resolve(step + ".out"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("the guest did not reach step " + step + " (see " + results + ")", e);
        }
    }

    private int rc(String step) {
        try {
            return Integer.parseInt(Files.readString(results.resolve(step + ".rc")).trim());
        } catch (IOException e) {
            throw new AssertionError("the guest did not reach step " + step + " (see " + results + ")", e);
        }
    }

    /** systemctl show's KEY=VALUE lines. */
    private Map<String, String> props(String step) {
        Map<String, String> m = new HashMap<>();
        out(step).lines().filter(l -> l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        return m;
    }

    /** A step that echoed space-separated fields. */
    private String[] fields(String step) {
        return out(step).trim().split(" ");
    }

    @Test
    void installingThePackageCreatesTheUserTheDeviceGroupTheUnitAndTheConfig() {
        assertEquals(0, rc("install"), out("install"));
        assertEquals(0, rc("user"), out("user"));
        assertTrue(out("user").startsWith("pps2phc:"), out("user"));
        assertEquals("pps2phc 660", out("ptp-group").trim(), "the udev rule gives /dev/ptp0 its group");
        Map<String, String> unit = props("unit");
        assertEquals("loaded", unit.get("LoadState"), out("unit"));
        assertTrue(unit.get("FragmentPath").startsWith("/lib/systemd/system/")
                || unit.get("FragmentPath").startsWith("/usr/lib/systemd/system/"), out("unit"));
        assertTrue(out("conffile").contains("/etc/pps2phc/pps2phc.conf "), "a conffile: " + out("conffile"));
    }

    @Test
    void onTheRealPhcWithoutExttsTheServiceFailsWithOneErrorLineAndIsNotRestarted() {
        assertTrue(out("real-config").contains("[/dev/ptp0]"), out("real-config"));
        assertNotEquals(0, rc("real-enable-now"), out("real-enable-now"));
        Map<String, String> s = props("real-state");
        assertEquals("failed", s.get("ActiveState"), out("real-state") + out("real-journal"));
        assertEquals("69", s.get("ExecMainStatus"), out("real-journal"));
        assertEquals("0", s.get("NRestarts"), out("real-journal"));
        List<String> errors = out("real-errors").lines().toList();
        assertEquals(1, errors.size(), "one line at priority err:\n" + out("real-journal"));
        assertTrue(errors.get(0).contains("/dev/ptp0 has no external-timestamp channel"), errors.get(0));
    }

    @Test
    void theSimulatedWorldBecomesActiveThroughReadyAndShowsItsStatus() {
        assertEquals(0, rc("sim-start"), out("sim-start") + out("sim-story"));
        Map<String, String> s = props("sim-active");
        assertEquals("active", s.get("ActiveState"), out("sim-active"));
        assertEquals("running", s.get("SubState"), out("sim-active"));
        Matcher status = Pattern.compile("(?m)^ +Status: \"([^\"]*)\"").matcher(out("sim-status"));
        assertTrue(status.find(), out("sim-status"));
        assertTrue(status.group(1).startsWith("locked,"), "the state leads the Status: line: " + status.group(1));
    }

    @Test
    void theJournalAtNoticeTellsTheStory() {
        String story = out("sim-story");
        List<String> marks = List.of("started on simulated PHC", "time of day trusted", "-> acquiring", "-> locked");
        int at = -1;
        for (String mark : marks) {
            int i = story.indexOf(mark, at + 1);
            assertTrue(i > at, "'" + mark + "' after the lines before it, at notice:\n" + story);
            at = i;
        }
        assertTrue(story.lines().noneMatch(l -> l.contains(" offset ") && l.contains(" freq ")),
                "per-pulse lines are info, not notice:\n" + story);
    }

    @Test
    void reloadAppliesALiveKey() {
        assertEquals(0, rc("reload"), out("reload"));
        String journal = out("reload-journal");
        assertTrue(journal.contains("applied message_tag"), journal);
        assertTrue(journal.lines().anyMatch(l -> l.startsWith("reloaded-tag")), "the tag leads later lines:\n"
                + journal);
        String[] pid = fields("reload-pid");
        assertEquals(pid[0], pid[1], "the same process");
        assertEquals("active", pid[2]);
    }

    @Test
    void aReloadWithABrokenConfigFailsAndTheDaemonRunsOn() {
        assertNotEquals(0, rc("reload-broken"), "systemctl reload must fail:\n" + out("reload-broken")
                + out("reload-broken-journal"));
        assertTrue(out("reload-broken-journal").contains("pps2phc.conf:"), "the file and line are named:\n"
                + out("reload-broken-journal"));
        String[] pid = fields("reload-broken-pid");
        assertEquals(pid[0], pid[1], "the same process runs on");
        assertEquals("active", pid[2]);
    }

    @Test
    void aKilledDaemonIsRestartedBySystemd() {
        String[] f = fields("kill9");
        assertNotEquals(f[0], f[2], "a new process:\n" + out("kill9-journal"));
        assertEquals(Integer.parseInt(f[1]) + 1, Integer.parseInt(f[3]), out("kill9-journal"));
        assertEquals("active", f[4], out("kill9-journal"));
    }

    @Test
    void theWatchdogRestartsAStoppedProcess() {
        String[] f = fields("watchdog");
        String journal = out("watchdog-journal");
        assertTrue(journal.contains("Watchdog timeout"), journal);
        assertTrue(journal.contains("Failed with result 'watchdog'"), journal);
        assertNotEquals(f[0], f[2], journal);
        // at least once: a start slower than TimeoutStartSec (TCG on a loaded machine) is restarted again
        assertTrue(Integer.parseInt(f[3]) > Integer.parseInt(f[1]), journal);
        assertEquals("active", f[4], journal);
    }

    @Test
    void aConfigTypoLeavesItFailedWith78AndNoRestartLoop() {
        assertNotEquals(0, rc("typo-restart"));
        String[] f = fields("typo-state");
        // systemctl restart resets the counter: any restart systemd made by itself would show here
        assertEquals("0", f[1], "not restarted: " + out("typo-state"));
        assertEquals("failed", f[2]);
        assertEquals("exit-code", f[3]);
        assertEquals("78", f[4]);
        List<String> errors = out("typo-errors").lines().toList();
        assertEquals(1, errors.size(), String.join("\n", errors));
        assertTrue(errors.get(0).contains("/etc/pps2phc/pps2phc.conf:") && errors.get(0).contains("summary_intervall"),
                errors.get(0));
    }

    @Test
    void stopIsClean() {
        assertEquals(0, rc("stop"), out("stop"));
        Map<String, String> s = props("stop-state");
        assertEquals("inactive", s.get("ActiveState"), out("stop-state") + out("stop-journal"));
        assertEquals("success", s.get("Result"), out("stop-journal"));
        assertEquals("0", s.get("MainPID"));
        assertEquals(1, rc("stop-processes"), "no process of user pps2phc: " + out("stop-processes"));
        assertTrue(out("stop-journal").contains("outputs withdrawn, extts disarmed"), out("stop-journal"));
    }

    @Test
    void theUnitsExposureIsAtMostTwo() {
        Matcher m = Pattern.compile("Overall exposure level for pps2phc.service: (\\d+\\.\\d)").matcher(
                out("security"));
        assertTrue(m.find(), out("security"));
        assertTrue(Double.parseDouble(m.group(1)) <= 2.0, "exposure " + m.group(1));
    }

    @Test
    void twoInstancesOfTheTemplateRunSideBySideEachWithItsOwnStatus() {
        assertEquals(0, rc("inst-start"), "both reached READY:\n" + out("inst-start") + out("gm-a-journal")
                + out("gm-b-journal"));
        String[][] instances = {{"gm-a", "1", "gm-b"}, {"gm-b", "2", "gm-a"}};
        for (String[] inst : instances) {
            String name = inst[0];
            Map<String, String> s = props(name + "-active");
            assertEquals("active", s.get("ActiveState"), out(name + "-active"));
            assertEquals("running", s.get("SubState"), out(name + "-active"));
            String pid = s.get("MainPID");
            Matcher status = Pattern.compile("(?m)^ +Status: \"([^\"]+)\"").matcher(out(name + "-status"));
            assertTrue(status.find(), out(name + "-status"));

            assertEquals(0, rc(name + "-cli"), out(name + "-cli"));
            String cli = out(name + "-cli");
            assertTrue(cli.startsWith("pps2phc (pid " + pid + ")"), "its own pid " + pid + ":\n" + cli);
            assertTrue(cli.contains("instance:     " + name + " (/etc/pps2phc/" + name + ".conf)"), cli);
            assertTrue(cli.contains("ntpshm unit " + inst[1]), "its own SHM unit:\n" + cli);

            String file = out(name + "-file");
            assertTrue(file.contains("\"pid\": " + pid + ","), "not overwritten by the other:\n" + file);
            assertTrue(file.contains("\"instance\": \"" + name + "\""), file);
            assertTrue(file.contains("\"ntpshm unit " + inst[1] + "\""), file);
        }
        assertNotEquals(props("gm-a-active").get("MainPID"), props("gm-b-active").get("MainPID"));
    }

    @Test
    void eachInstanceStopsCleanlyAndItsJournalTellsOnlyItsOwnStory() {
        assertEquals(0, rc("inst-stop"), out("inst-stop"));
        String[][] instances = {{"gm-a", "1", "gm-b", "2"}, {"gm-b", "2", "gm-a", "1"}};
        for (String[] inst : instances) {
            String name = inst[0];
            String journal = out(name + "-journal");
            Map<String, String> s = props(name + "-stopped");
            assertEquals("inactive", s.get("ActiveState"), out(name + "-stopped") + journal);
            assertEquals("success", s.get("Result"), journal);
            assertNotEquals(0, rc(name + "-rundir"), "systemd removed /run/pps2phc-" + name);
            assertTrue(journal.contains("started on simulated PHC"), journal);
            assertTrue(journal.contains("ntpshm unit " + inst[1]), journal);
            assertTrue(journal.contains("outputs withdrawn, extts disarmed"), journal);
            assertTrue(!journal.contains(inst[2]) && !journal.contains("ntpshm unit " + inst[3]),
                    "nothing of " + inst[2] + " in " + name + "'s journal:\n" + journal);
        }
    }

    @Test
    void removeStopsItAndLeavesTheConfigPurgeRemovesTheConfig() {
        assertEquals("active", props("remove-running").get("ActiveState"), "it ran before dpkg -r");
        assertEquals("active", props("remove-running-instance").get("ActiveState"), "pps2phc@gm-a ran too");
        assertEquals(0, rc("remove"), out("remove"));
        Map<String, String> unit = props("removed-unit");
        assertEquals("", out("removed-unit-file"), "the unit file is gone");
        // masked (as Debian's tooling leaves a removed, not purged, service) or not found
        assertNotEquals("loaded", unit.get("LoadState"), out("removed-unit"));
        assertEquals("inactive", unit.get("ActiveState"), out("removed-unit"));
        assertEquals(1, rc("removed-processes"), "no process of user pps2phc: " + out("removed-processes"));
        assertEquals("inactive", props("removed-instance").get("ActiveState"), "prerm stopped pps2phc@gm-a: "
                + out("removed-instance"));
        assertEquals(0, rc("removed-conf"), "dpkg -r keeps the conffile");
        assertEquals(0, rc("purge"), out("purge"));
        assertNotEquals(0, rc("purged-conf"), "dpkg -P removes /etc/pps2phc: " + out("purged-conf"));
        assertEquals("not-found", props("purged-unit").get("LoadState"), out("purged-unit"));
    }
}
