package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.ptp4l.KeeperReport.Outcome;

/** The keeper's schedule against an in-memory ptp4l; the real ptp4l is in Ptp4lLiveTest. */
class GrandmasterKeeperTest {
    private static final long S = 1_000_000_000L;
    private static final GrandmasterSettings PTP4L_DEFAULTS = new GrandmasterSettings(248, 0xFE, 0xFFFF, 37,
            new TimeFlags(false, false, false, false, false, false), 0xA0);
    private static final GrandmasterSettings LOCKED = new GrandmasterSettings(6, 0x22, 0xFFFF, 37,
            new TimeFlags(false, false, true, true, true, true), 0x20);
    private static final GrandmasterSettings HOLDOVER = new GrandmasterSettings(7, 0x22, 0xFFFF, 37,
            new TimeFlags(false, false, true, true, true, true), 0x20);

    /** Holds settings like ptp4l; can be "down" (no socket) or "deaf" (ignores a SET). */
    static final class FakePtp4l implements Ptp4lManagement {
        GrandmasterSettings settings = PTP4L_DEFAULTS;
        boolean down;
        boolean deaf;
        final List<String> requests = new ArrayList<>();

        void restart() {
            settings = PTP4L_DEFAULTS;
        }

        private void reachable(String what) throws Ptp4lException {
            requests.add(what);
            if (down) {
                throw new Ptp4lException(Ptp4lException.Reason.NOT_RUNNING, "ptp4l is not listening at /fake");
            }
        }

        @Override
        public GrandmasterSettings setGrandmasterSettings(GrandmasterSettings s) throws Ptp4lException {
            reachable("SET");
            if (!deaf) {
                settings = s;
            }
            return s;
        }

        @Override
        public GrandmasterSettings grandmasterSettings() throws Ptp4lException {
            reachable("GET");
            return settings;
        }

        @Override
        public TimeProperties timeProperties() throws Ptp4lException {
            reachable("GET TIME_PROPERTIES");
            return new TimeProperties(settings.currentUtcOffset(), settings.flags(), settings.timeSource());
        }

        @Override
        public DefaultDataSet defaultDataSet() throws Ptp4lException {
            reachable("GET DEFAULT");
            return new DefaultDataSet(1, 128, settings.clockClass(), settings.clockAccuracy(), 0xFFFF, 128,
                    "001122.fffe.334455", 0);
        }

        @Override
        public ParentDataSet parentDataSet() throws Ptp4lException {
            reachable("GET PARENT");
            return new ParentDataSet(128, settings.clockClass(), settings.clockAccuracy(), 0xFFFF, 128,
                    "001122.fffe.334455");
        }
    }

    private final FakePtp4l ptp4l = new FakePtp4l();
    private final GrandmasterKeeper keeper = new GrandmasterKeeper(ptp4l, Duration.ofSeconds(5), Duration.ofSeconds(1));

    @Test
    void sendsNewSettingsAtOnceAndConfirmsThem() {
        KeeperReport r = keeper.tick(0, LOCKED);
        assertEquals(Outcome.SENT, r.outcome());
        assertEquals(LOCKED, ptp4l.settings);
        assertEquals(List.of("SET", "GET", "GET DEFAULT", "GET PARENT"), ptp4l.requests);
        assertEquals(LOCKED, r.lastConfirmed().orElseThrow());
        assertEquals(true, r.ptp4lIsGrandmaster().orElseThrow());

        ptp4l.requests.clear();
        assertEquals(Outcome.IDLE, keeper.tick(1 * S, LOCKED).outcome());
        assertTrue(ptp4l.requests.isEmpty(), "no request before the check is due");
        assertEquals(Outcome.SENT, keeper.tick(2 * S, HOLDOVER).outcome(), "a change is sent at once");
        assertEquals(HOLDOVER, ptp4l.settings);
    }

    @Test
    void periodicCheckRestoresSettingsAfterPtp4lRestarts() {
        keeper.tick(0, LOCKED);
        assertEquals(Outcome.IDLE, keeper.tick(4 * S, LOCKED).outcome());
        assertEquals(Outcome.CONFIRMED, keeper.tick(5 * S, LOCKED).outcome());
        ptp4l.restart();
        assertEquals(Outcome.IDLE, keeper.tick(9 * S, LOCKED).outcome(), "not noticed before the period");
        KeeperReport r = keeper.tick(10 * S, LOCKED);
        assertEquals(Outcome.RESTORED, r.outcome());
        assertEquals(PTP4L_DEFAULTS, r.found().orElseThrow());
        assertEquals(LOCKED, ptp4l.settings);
        assertTrue(r.describe().contains("clockClass 248"), r.describe());
    }

    @Test
    void aOnceASecondCallerWhoseTickComesEarlyDoesNotLoseATick() {
        GrandmasterKeeper everySecond = new GrandmasterKeeper(ptp4l, Duration.ofSeconds(1), Duration.ofSeconds(1));
        long ms = 1_000_000L;
        everySecond.tick(20 * ms, LOCKED); // scheduled from the time the tick ran, late in its second
        assertEquals(Outcome.CONFIRMED, everySecond.tick(S + 3 * ms, LOCKED).outcome(), "3 ms early is due");
        assertEquals(Outcome.IDLE, everySecond.tick(S + 500 * ms, LOCKED).outcome());
        ptp4l.down = true;
        assertEquals(Outcome.FAILED, everySecond.tick(2 * S + 10 * ms, LOCKED).outcome());
        ptp4l.down = false;
        ptp4l.restart();
        KeeperReport r = everySecond.tick(3 * S, LOCKED);
        assertEquals(Outcome.SENT, r.outcome(), "the retry a tick later, 10 ms early, is due: " + r.describe());
        assertEquals(LOCKED, ptp4l.settings);
    }

    @Test
    void failureIsReportedAndRetriedAfterTheIntervalOrOnChange() {
        ptp4l.down = true;
        KeeperReport r = keeper.tick(0, LOCKED);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(1, r.consecutiveFailures());
        assertEquals(Ptp4lException.Reason.NOT_RUNNING, r.error().orElseThrow().reason());
        assertTrue(r.lastConfirmed().isEmpty());

        ptp4l.requests.clear();
        assertEquals(Outcome.WAITING, keeper.tick(S / 2, LOCKED).outcome());
        assertTrue(ptp4l.requests.isEmpty());
        assertEquals(Outcome.FAILED, keeper.tick(S / 2 + 1, HOLDOVER).outcome(), "a change is tried at once");
        assertEquals(2, keeper.tick(S / 2 + 2, HOLDOVER).consecutiveFailures());

        ptp4l.down = false;
        assertEquals(Outcome.WAITING, keeper.tick(S, HOLDOVER).outcome());
        KeeperReport ok = keeper.tick(S / 2 + 1 + S, HOLDOVER);
        assertEquals(Outcome.SENT, ok.outcome());
        assertEquals(0, ok.consecutiveFailures());
        assertTrue(ok.error().isEmpty());
        assertEquals(HOLDOVER, ptp4l.settings);
    }

    @Test
    void aSetThatDoesNotStickIsAFailure() {
        ptp4l.deaf = true;
        KeeperReport r = keeper.tick(0, LOCKED);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.error().orElseThrow().getMessage().contains("reads back clockClass 248"),
                r.error().orElseThrow().getMessage());
    }

    @Test
    void lastConfirmedSurvivesALaterFailure() {
        keeper.tick(0, LOCKED);
        ptp4l.down = true;
        KeeperReport r = keeper.tick(5 * S, LOCKED);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(LOCKED, r.lastConfirmed().orElseThrow());
        assertEquals(0, r.lastConfirmedMonoNs());
    }

    @Test
    void shutdownLeavesTheNotInSyncSettings() {
        keeper.tick(0, LOCKED);
        GrandmasterSettings notInSync = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults())
                .notInSync(org.pps2phc.core.LeapState.fixed(37, "test"), 0);
        ptp4l.requests.clear();
        assertEquals(Outcome.SENT, keeper.shutdown(S, notInSync).outcome());
        assertEquals(248, ptp4l.settings.clockClass());
        assertEquals(List.of("SET"), ptp4l.requests, "the stop waits for one reply at most: the SET's echo");
    }

    @Test
    void shutdownToAPtp4lThatDoesNotAnswerFailsAfterOneRequest() {
        keeper.tick(0, LOCKED);
        ptp4l.down = true;
        ptp4l.requests.clear();
        GrandmasterSettings notInSync = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults())
                .notInSync(org.pps2phc.core.LeapState.fixed(37, "test"), 0);
        assertEquals(Outcome.FAILED, keeper.shutdown(S, notInSync).outcome());
        assertEquals(List.of("SET"), ptp4l.requests);
    }

    @Test
    void facadeTurnsStatesIntoSettingsAndStopsNotInSync() {
        org.pps2phc.core.LeapState leap = org.pps2phc.core.LeapState.fixed(37, "test");
        boolean[] closed = {false};
        Ptp4lGrandmaster gm = new Ptp4lGrandmaster(new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()),
                new GrandmasterKeeper(ptp4l), () -> closed[0] = true);
        assertEquals(Outcome.SENT, gm.update(0, org.pps2phc.core.State.LOCKED, true, leap, 0).outcome());
        assertEquals(6, ptp4l.settings.clockClass());
        assertEquals(0x21, ptp4l.settings.clockAccuracy(), "default accuracy 100 ns");
        assertEquals(Outcome.SENT, gm.update(S, org.pps2phc.core.State.HOLDOVER, true, leap, 0).outcome());
        assertEquals(7, ptp4l.settings.clockClass());
        assertEquals(Outcome.SENT, gm.shutdown(2 * S, leap, 0).outcome());
        assertEquals(248, ptp4l.settings.clockClass());
        gm.close();
        assertTrue(closed[0]);
    }
}
