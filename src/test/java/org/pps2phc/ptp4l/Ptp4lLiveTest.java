package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.State;
import org.pps2phc.ptp4l.KeeperReport.Outcome;

/**
 * pps2phc's keeper against a real ptp4l (Debian linuxptp) in its own network namespace, with linuxptp's pmc as the
 * witness. The discipline states and leap states are fed directly, as the engine would produce them.
 */
class Ptp4lLiveTest {
    private static final int DOMAIN = 7;
    private static final long NS = 1_000_000_000L;
    private static final long NOV_21_2026 = Instant.parse("2026-11-21T10:00:00Z").getEpochSecond() * NS;
    private static final LeapState NO_LEAP = LeapState.fixed(37, "test");

    @TempDir
    Path dir;

    private final GrandmasterPolicy policy = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()
            .withClockAccuracyNs(100));

    @BeforeAll
    static void linuxptpInstalled() {
        Ptp4lInstance.requireLinuxptp();
    }

    private Ptp4lClientConfig clientConfig(Ptp4lInstance ptp4l) {
        // a path, not an abstract name: ptp4l lives in another network namespace, and abstract names do not cross
        return Ptp4lClientConfig.defaults().withUdsAddress(ptp4l.udsAddress().toString())
                .withClientAddress(dir.resolve("pps2phc.sock").toString()).withDomainNumber(DOMAIN)
                .withReplyTimeout(Duration.ofMillis(200));
    }

    @Test
    void announcesEachDisciplineState() throws Exception {
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        try (Ptp4lClient client = Ptp4lClient.open(clientConfig(ptp4l.start()))) {
            Pmc pmc = new Pmc(ptp4l, dir);
            GrandmasterKeeper keeper = new GrandmasterKeeper(client, Duration.ofSeconds(30), Duration.ofMillis(200));

            assertEquals(Outcome.SENT, step(keeper, State.ACQUIRING, true).outcome());
            Map<String, String> gm = pmc.get("GRANDMASTER_SETTINGS_NP");
            assertEquals("248", gm.get("clockClass"), gm::toString);
            assertEquals("0xfe", gm.get("clockAccuracy"));
            assertEquals("0xffff", gm.get("offsetScaledLogVariance"));
            assertEquals("1", gm.get("currentUtcOffsetValid"));
            assertEquals("1", gm.get("ptpTimescale"));
            assertEquals("0", gm.get("timeTraceable"));
            assertEquals("0", gm.get("frequencyTraceable"));
            assertEquals("0xa0", gm.get("timeSource"));

            KeeperReport locked = step(keeper, State.LOCKED, false);
            assertEquals(Outcome.SENT, locked.outcome(), locked::describe);
            assertEquals(true, locked.ptp4lIsGrandmaster().orElseThrow(), "masterOnly ptp4l follows itself");
            gm = pmc.get("GRANDMASTER_SETTINGS_NP");
            assertEquals("6", gm.get("clockClass"), gm::toString);
            assertEquals("0x21", gm.get("clockAccuracy"));
            assertEquals("37", gm.get("currentUtcOffset"));
            assertEquals("1", gm.get("timeTraceable"));
            assertEquals("1", gm.get("frequencyTraceable"));
            assertEquals("0x20", gm.get("timeSource"));
            // what ptp4l's Announce messages carry
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "37",
                    "currentUtcOffsetValid", "1", "ptpTimescale", "1", "timeTraceable", "1",
                    "frequencyTraceable", "1", "timeSource", "0x20"));
            awaitPmc(pmc, ptp4l, "PARENT_DATA_SET", Map.of("gm.ClockClass", "6", "gm.ClockAccuracy", "0x21"));

            assertEquals(Outcome.SENT, step(keeper, State.HOLDOVER, true).outcome());
            assertEquals("7", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"));
            assertEquals("1", pmc.get("TIME_PROPERTIES_DATA_SET").get("timeTraceable"));

            assertEquals(Outcome.SENT, step(keeper, State.HOLDOVER, false).outcome(), "budget spent");
            gm = pmc.get("GRANDMASTER_SETTINGS_NP");
            assertEquals("248", gm.get("clockClass"));
            assertEquals("0xfe", gm.get("clockAccuracy"));
            assertEquals("0", gm.get("timeTraceable"));
            assertEquals(Outcome.IDLE, step(keeper, State.FREE_RUNNING, false).outcome(), "same settings");

            assertEquals(Outcome.SENT, step(keeper, State.LOCKED, false).outcome(), "recovered");
            assertEquals("6", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"));
            awaitPmc(pmc, ptp4l, "PARENT_DATA_SET", Map.of("gm.ClockClass", "6"));

            KeeperReport stop = keeper.shutdown(System.nanoTime(), policy.notInSync(NO_LEAP, NOV_21_2026));
            assertEquals(Outcome.SENT, stop.outcome(), stop::describe);
            assertEquals("248", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"));
        } finally {
            ptp4l.stop();
        }
    }

    @Test
    void utcOffsetAndLeapFlagsAroundLeapSeconds() throws Exception {
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        try (Ptp4lGrandmaster gm = Ptp4lGrandmaster.open(clientConfig(ptp4l.start()), policy.config(),
                Duration.ofSeconds(30))) {
            Pmc pmc = new Pmc(ptp4l, dir);
            LeapState insert = new LeapState(37, Leap.INSERT,
                    Instant.parse("2027-01-01T00:00:00Z").getEpochSecond(), "test");

            leapStep(gm, insert, "2026-12-31T11:00:00Z");
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "37", "leap61", "0",
                    "leap59", "0"));

            leapStep(gm, insert, "2026-12-31T23:59:59Z");
            Map<String, String> settings = pmc.get("GRANDMASTER_SETTINGS_NP");
            assertEquals("1", settings.get("leap61"), settings::toString);
            assertEquals("0", settings.get("leap59"));
            assertEquals("37", settings.get("currentUtcOffset"));
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "37", "leap61", "1",
                    "leap59", "0", "currentUtcOffsetValid", "1"));

            leapStep(gm, insert, "2027-01-01T00:00:00Z");
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "38", "leap61", "0",
                    "leap59", "0", "currentUtcOffsetValid", "1"));

            LeapState delete = new LeapState(38, Leap.DELETE,
                    Instant.parse("2027-07-01T00:00:00Z").getEpochSecond(), "test");
            leapStep(gm, delete, "2027-06-30T18:00:00Z");
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "38", "leap61", "0",
                    "leap59", "1"));
            leapStep(gm, delete, "2027-07-01T00:00:01Z");
            awaitPmc(pmc, ptp4l, "TIME_PROPERTIES_DATA_SET", Map.of("currentUtcOffset", "37", "leap61", "0",
                    "leap59", "0"));

            KeeperReport stop = gm.shutdown(System.nanoTime(), delete, Instant.parse("2027-07-01T00:00:02Z")
                    .getEpochSecond() * NS);
            assertEquals(Outcome.SENT, stop.outcome(), stop::describe);
            awaitPmc(pmc, ptp4l, "GRANDMASTER_SETTINGS_NP", Map.of("clockClass", "248", "currentUtcOffset", "37",
                    "currentUtcOffsetValid", "1"));
        } finally {
            ptp4l.stop();
        }
    }

    @Test
    void settingsComeBackAfterPtp4lRestarts() throws Exception {
        Duration period = Duration.ofSeconds(1);
        Duration retry = Duration.ofMillis(300);
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        try (Ptp4lClient client = Ptp4lClient.open(clientConfig(ptp4l.start()))) {
            Pmc pmc = new Pmc(ptp4l, dir);
            GrandmasterKeeper keeper = new GrandmasterKeeper(client, period, retry);
            GrandmasterSettings locked = policy.settingsFor(State.LOCKED, false, NO_LEAP, NOV_21_2026);
            assertEquals(Outcome.SENT, keeper.tick(System.nanoTime(), locked).outcome());

            // a quick restart between two checks: the next check finds ptp4l's defaults and sets ours again
            long firstPid = ptp4l.pid();
            ptp4l.stop();
            ptp4l.start();
            assertTrue(ptp4l.pid() != firstPid);
            long restartedAt = System.nanoTime();
            assertEquals("248", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"), "ptp4l forgot on restart");
            KeeperReport restored = tickUntil(keeper, locked, Outcome.RESTORED, period.plusSeconds(2));
            double restoredAfterS = (System.nanoTime() - restartedAt) / 1e9;
            assertTrue(restoredAfterS <= period.toMillis() / 1e3 + 0.5, "restored after " + restoredAfterS + " s");
            assertEquals(248, restored.found().orElseThrow().clockClass());
            assertEquals("6", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"));

            // ptp4l away for longer: the keeper reports it, without blocking, and sets ours when it is back
            ptp4l.stop();
            long t0 = System.nanoTime();
            KeeperReport failed = tickUntil(keeper, locked, Outcome.FAILED, period.plusSeconds(2));
            assertEquals(Ptp4lException.Reason.NOT_RUNNING, failed.error().orElseThrow().reason(), failed::describe);
            assertTrue(failed.error().orElseThrow().getMessage().contains(ptp4l.udsAddress().toString()));
            assertEquals(locked, failed.lastConfirmed().orElseThrow());
            long beforeTick = System.nanoTime();
            KeeperReport waiting = keeper.tick(beforeTick, locked);
            assertTrue(waiting.outcome() == Outcome.WAITING || waiting.outcome() == Outcome.FAILED);
            assertTrue(System.nanoTime() - beforeTick < 300_000_000L, "a tick with ptp4l away returns at once");
            assertTrue(System.nanoTime() - t0 < period.plusSeconds(2).toNanos());

            ptp4l.start();
            long backAt = System.nanoTime();
            KeeperReport sent = tickUntil(keeper, locked, Outcome.SENT, retry.plusSeconds(2));
            assertTrue(System.nanoTime() - backAt <= retry.toNanos() + 500_000_000L, sent::describe);
            assertEquals(0, sent.consecutiveFailures());
            assertEquals("6", pmc.get("GRANDMASTER_SETTINGS_NP").get("clockClass"));
        } finally {
            ptp4l.stop();
        }
    }

    @Test
    void wrongDomainAndMissingSocketAreClearErrors() throws Exception {
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        Ptp4lClientConfig wrongDomain = clientConfig(ptp4l).withDomainNumber(3);
        try (Ptp4lClient client = Ptp4lClient.open(wrongDomain)) {
            Ptp4lException absent = assertThrows(Ptp4lException.class,
                    client::grandmasterSettings);
            assertEquals(Ptp4lException.Reason.NOT_RUNNING, absent.reason());
            assertTrue(absent.getMessage().startsWith("ptp4l is not listening at " + ptp4l.udsAddress()),
                    absent.getMessage());

            ptp4l.start();
            Ptp4lException silent = assertThrows(Ptp4lException.class,
                    client::grandmasterSettings);
            assertEquals(Ptp4lException.Reason.NO_REPLY, silent.reason());
            assertTrue(silent.getMessage().contains("domainNumber is 3"), silent.getMessage());
        } finally {
            ptp4l.stop();
        }
        ptp4l.start();
        try (Ptp4lClient client = Ptp4lClient.open(clientConfig(ptp4l))) {
            DefaultDataSet self = client.defaultDataSet();
            assertEquals(DOMAIN, self.domainNumber());
            assertEquals(1, self.numberPorts());
            assertEquals(248, self.clockClass());
            assertEquals(TimeSource.INTERNAL_OSCILLATOR, client.timeProperties().timeSource(), "ptp4l's default");
            assertEquals(self.clockIdentity(), client.parentDataSet().grandmasterIdentity(), "ptp4l follows itself");
        } finally {
            ptp4l.stop();
        }
    }

    @Test
    void transportSpecificMustMatchPtp4ls() throws Exception {
        Ptp4lInstance gptp = new Ptp4lInstance(dir, DOMAIN, 1);
        try (Ptp4lClient matching = Ptp4lClient.open(clientConfig(gptp.start()).withTransportSpecific(1))) {
            GrandmasterSettings locked = policy.settingsFor(State.LOCKED, false, NO_LEAP, NOV_21_2026);
            assertEquals(locked, matching.setGrandmasterSettings(locked));
            assertEquals("6", new Pmc(gptp, dir).get("GRANDMASTER_SETTINGS_NP").get("clockClass"));
        } finally {
            gptp.stop();
        }
        gptp.start();
        try (Ptp4lClient other = Ptp4lClient.open(clientConfig(gptp))) {
            Ptp4lException e = assertThrows(Ptp4lException.class,
                    other::grandmasterSettings);
            assertEquals(Ptp4lException.Reason.NO_REPLY, e.reason());
            assertTrue(e.getMessage().contains("transportSpecific 0"), e.getMessage());
        } finally {
            gptp.stop();
        }
    }

    @Test
    void defaultAbstractReplyAddressWorksInPtp4lsNamespace() throws Exception {
        Ptp4lInstance ptp4l = new Ptp4lInstance(dir, DOMAIN);
        Path config = ptp4l.writeConfig();
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String script = String.join("\n",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
                "ip link set lo up || exit 90",
                Ptp4lInstance.PTP4L + " -f " + config + " > " + dir.resolve("ptp4l.log") + " 2>&1 & p=$!",
                "echo \"ptp4l pid $p\"",
                "'" + javaBin + "' -cp '" + System.getProperty("java.class.path") + "' "
                        + AbstractAddressProbe.class.getName() + " " + ptp4l.udsAddress() + " " + DOMAIN + "; rc=$?",
                "kill $p; wait $p",
                "exit $rc", "");
        Process p = new ProcessBuilder("/usr/bin/unshare", "-n", "/bin/sh", "-c", script).redirectErrorStream(true)
                .start();
        long ptp4lPid = -1;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8));
            StringBuilder all = new StringBuilder();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                all.append(line).append('\n');
                if (line.startsWith("ptp4l pid ")) {
                    ptp4lPid = Long.parseLong(line.substring(10).trim());
                }
            }
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "probe did not finish");
            assertEquals(0, p.exitValue(), all::toString);
            assertTrue(all.toString().contains("OK @pps2phc."), all::toString);
            assertTrue(all.toString().contains("clockClass 6 "), all::toString);
        } finally {
            p.destroyForcibly();
            if (ptp4lPid > 0) {
                ProcessHandle.of(ptp4lPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private KeeperReport step(GrandmasterKeeper keeper, State state, boolean withinBudget) {
        return keeper.tick(System.nanoTime(), policy.settingsFor(state, withinBudget, NO_LEAP, NOV_21_2026));
    }

    private static void leapStep(Ptp4lGrandmaster gm, LeapState leap, String utc) {
        long utcNs = Instant.parse(utc).getEpochSecond() * NS;
        KeeperReport r = gm.update(System.nanoTime(), State.LOCKED, false, leap, utcNs);
        assertTrue(r.outcome() == Outcome.SENT || r.outcome() == Outcome.IDLE, r::describe);
    }

    private static KeeperReport tickUntil(GrandmasterKeeper keeper, GrandmasterSettings desired, Outcome wanted,
                                          Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        KeeperReport last = null;
        while (System.nanoTime() < deadline) {
            last = keeper.tick(System.nanoTime(), desired);
            if (last.outcome() == wanted) {
                return last;
            }
            Thread.sleep(50);
        }
        fail("no " + wanted + " within " + within + "; last: " + (last == null ? "none" : last.describe()));
        return last;
    }

    /** Polls pmc until every field has its value (ptp4l applies a SET to its data sets on its next decision). */
    private static void awaitPmc(Pmc pmc, Ptp4lInstance ptp4l, String what, Map<String, String> expected)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 5 * NS;
        Map<String, String> got = Map.of();
        while (System.nanoTime() < deadline) {
            got = pmc.get(what);
            Map<String, String> now = got;
            if (expected.entrySet().stream().allMatch(e -> e.getValue().equals(now.get(e.getKey())))) {
                return;
            }
            Thread.sleep(100);
        }
        fail("pmc GET " + what + " never showed " + expected + "; last: " + got + "\nptp4l log:\n" + ptp4l.lastLog());
    }
}
