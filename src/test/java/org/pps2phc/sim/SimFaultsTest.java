package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.HoldoverMode;
import org.pps2phc.core.Observation;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;

/**
 * Every fault key against the daemon's own engine, judged on ground truth: never a wrong second or edge, never
 * LOCKED while the PHC is more than 1 µs off and never an announced bound that the true error exceeds (except, for
 * both, the few seconds it takes to notice a change made to the PHC from outside, which no engine can see before
 * the next pulse), and back under 100 ns (for 60 s) within 120 s of the
 * first pulse after any interruption. The limits are those docs/design.md states ("Noticing a fault from outside":
 * at most 2 s per external fault); it states none for recovery yet, so recoveryS is held to 120 s.
 */
class SimFaultsTest {
    private static final long SEED = 7;
    /** docs/design.md, "Noticing a fault from outside". */
    static final long FALSE_LOCK_PER_EXTERNAL_STEP_S = 2;
    static final long RECOVERY_LIMIT_S = 120;

    /** A run and what it saw each second. */
    private record Run(Metrics metrics, SimRunner.Result result, double[] te, State[] state, double[] frequency) {
        String context() {
            return metrics.toJson(result.scenario(), result.servo()) + " state changes "
                    + result.log().stateChanges() + " failures " + result.log().failures();
        }
    }

    private static Run run(String scenario, String... kv) {
        return run(scenario, SEED, kv);
    }

    private static Run run(String scenario, long seed, String... kv) {
        return run(DisciplineConfig.defaults(), scenario, seed, kv);
    }

    private static Run run(DisciplineConfig base, String scenario, long seed, String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        SimParameters p = Scenarios.resolve(scenario, o);
        int n = (int) p.durationS();
        double[] te = new double[n];
        State[] state = new State[n];
        double[] frequency = new double[n];
        String servo = base.servoName();
        SimRunner.Result r = SimRunner.run(scenario, p, base, servo,
                (config, dialled, maxAdj) -> SimRunner.servo(servo, p, config, dialled, maxAdj), seed, null,
                (long k, double teNs, Snapshot s) -> {
                    te[(int) k] = teNs;
                    state[(int) k] = s.state();
                    frequency[(int) k] = s.frequencyPpb();
                });
        return new Run(r.metrics(), r, te, state, frequency);
    }

    /** The invariants of every fault: {@code externalSteps} faults made from outside that take time to notice. */
    private static void assertInvariants(Run run, int externalSteps) {
        Metrics m = run.metrics();
        String context = run.context();
        assertAll(
                () -> assertNotNull(m.lockTimeS(), "locks: " + context),
                () -> assertEquals(0, m.wrongSecondCount(), "wrong seconds: " + context),
                () -> assertEquals(0, m.wrongEdgeCount(), "wrong edges: " + context),
                () -> assertTrue(m.falseLockS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S * externalSteps,
                        "falseLockS: " + context),
                () -> assertTrue(m.recoveryS() == null || m.recoveryS() >= 0 && m.recoveryS() <= RECOVERY_LIMIT_S,
                        "recoveryS: " + context),
                () -> assertTrue(m.boundViolationS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S * externalSteps,
                        "boundViolationS: " + context));
    }

    /** Seconds from {@code fromS} until |TE| stays under 100 ns for 60 s; -1 if it never does. */
    private static long settledAfter(Run run, long fromS) {
        int inside = 0;
        for (int k = (int) fromS; k < run.te().length; k++) {
            inside = Math.abs(run.te()[k]) < 100 ? inside + 1 : 0;
            if (inside == 60) {
                return k - 59 - fromS;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"i210-f9t", "e810-gpsdo", "cm4-m8t", "harsh"})
    void everyPresetHoldsItsClaimsWithoutAnyFault(String scenario) {
        assertInvariants(run(scenario, "sim.duration", "7200"), 0);
    }

    @ParameterizedTest(name = "TAI-UTC {0} s for 20 s")
    @CsvSource({"-1", "1"})
    void aShortTaiGlitchOnALockedGrandmasterStepsNothing(int delta) {
        // issue 10, trap 3: a wrong TAI-UTC for 20 s stepped a locked PHC by a second and re-locked it there
        Run r = run("i210-f9t", "sim.duration", "3600", "tai.glitch", "1800:20:" + delta);
        assertInvariants(r, 0);
        assertEquals(0, r.metrics().steps(), "a locked PHC is never stepped on a TAI-UTC change: " + r.context());
    }

    /** docs/design.md, "The state machine": the same whole-second disagreement for this long relabels. */
    private static final int OVERRULE_S = (int) (DisciplineConfig.defaults().todOverruleNs() / DisciplineConfig.SECOND_NS);

    @ParameterizedTest(name = "sys.steps={0}")
    @CsvSource({"1800:1500;2400:-1500", "1800:-300;2400:300", "1800.4:-2000;2600:2000", "1800:3000;1810:-3000"})
    void aSteppedSystemClockSetRightWithinTheOverruleNeverRenamesALockedSecond(String steps) {
        // a system clock stepped by whole seconds and set right again (by chronyd, within minutes) is outlasted:
        // the seconds are disputed meanwhile (not locked), and come back locked without a step
        Run r = run("i210-f9t", "sim.duration", "3600", "sys.steps", steps.replace(';', ','));
        assertInvariants(r, 0);
        assertEquals(0, r.metrics().steps(), "the PPS-locked PHC kept its seconds: " + r.context());
        assertEquals(State.LOCKED, r.state()[3599], r.context());
    }

    @Test
    void aSystemClockSteppedForLongerThanTheOverruleIsFollowed() {
        // the residual risk of docs/design.md: a sole time of day that stays wrong for longer than tod_overrule,
        // after a right anchor, wins. Never locked while disputed; no step before the window is over
        int at = 1800;
        Run r = run("i210-f9t", "sim.duration", "3600", "sys.steps", at + ".4:-2000");
        for (int k = at + 2; k < at + OVERRULE_S; k++) {
            assertTrue(r.state()[k] != State.LOCKED, "disputed, not locked: second " + k + " " + r.context());
            assertTrue(Math.abs(r.te()[k]) < 1e3, "the PHC kept its seconds: second " + k + " " + r.context());
        }
        assertEquals(1, r.metrics().steps(), r.context());
        assertEquals(2e9, Math.abs(r.te()[3599]), 1e3, "followed the time of day: " + r.context());
    }

    @ParameterizedTest(name = "sys.offset_ms={0}, set right at {1} s")
    @CsvSource({"2000, 300", "-3000, 300", "1000, 1200"})
    void aSystemClockWrongWhenThePhcWasAnchoredAndSetRightLaterIsFollowedAfterTheOverrule(long offsetMs, int rightAtS) {
        // chronyd claimed sync on a bad server (or the RTC was off) when the PHC was anchored, and set the clock
        // right later: nothing can tell the anchor was wrong until then. From then on never locked while wrong;
        // relabelled after tod_overrule of the same disagreement, and locked right
        int n = rightAtS + OVERRULE_S + 400;
        Run r = run("i210-f9t", "sim.duration", Integer.toString(n), "sys.offset_ms", Long.toString(offsetMs),
                "sys.steps", rightAtS + ":" + -offsetMs);
        int relabelled = -1;
        for (int k = rightAtS + 2; k < n; k++) {
            assertTrue(Math.abs(r.te()[k]) < 1e3 || r.state()[k] != State.LOCKED,
                    "locked while " + r.te()[k] + " ns off at second " + k + " " + r.context());
            if (relabelled < 0 && Math.abs(r.te()[k]) < 0.5e9) {
                relabelled = k;
            }
        }
        assertTrue(relabelled >= rightAtS + OVERRULE_S && relabelled <= rightAtS + OVERRULE_S + 2,
                "relabelled at " + relabelled + " " + r.context());
        assertTrue(r.metrics().lockTimeS() != null && r.metrics().lockTimeS() >= relabelled,
                "first right at the relabel: " + r.context());
        assertTrue(settledAfter(r, relabelled) >= 0 && settledAfter(r, relabelled) <= RECOVERY_LIMIT_S,
                "settled " + settledAfter(r, relabelled) + " s after the relabel " + r.context());
        assertEquals(State.LOCKED, r.state()[n - 1], r.context());
    }

    @ParameterizedTest(name = "{0} phc.external_steps=1800.5:{1}")
    @CsvSource({"i210-f9t, 1000000", "i210-f9t, -250000", "i210-f9t, -1000000000", "harsh, 1000000",
        "harsh, -1000000000"})
    void aPhcSteppedFromOutsideIsNoticedAndPutBack(String scenario, long deltaNs) {
        Run r = run(scenario, "sim.duration", "3600", "phc.external_steps", "1800.5:" + deltaNs);
        Metrics m = r.metrics();
        String context = r.context();
        assertTrue(Math.abs(r.te()[1801]) >= Math.abs(deltaNs) / 2.0, "the step happened: " + context);
        long wholeSeconds = Math.abs(deltaNs) >= 500_000_000L ? FALSE_LOCK_PER_EXTERNAL_STEP_S : 0;
        long settled = settledAfter(r, 1801);
        assertAll(
                () -> assertTrue(m.wrongSecondCount() <= wholeSeconds,
                        "wrong seconds only while the step goes unnoticed: " + context),
                () -> assertEquals(0, m.wrongEdgeCount(), context),
                () -> assertTrue(m.falseLockS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S, "falseLockS: " + context),
                () -> assertTrue(settled >= 0 && settled <= RECOVERY_LIMIT_S,
                        "back under 100 ns for 60 s after " + settled + " s: " + context),
                () -> assertTrue(m.boundViolationS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S,
                        "the bound is wrong only until the step is noticed: " + context));
    }

    @ParameterizedTest(name = "phc.external_freq={0}")
    @CsvSource({"1800.5:50000", "1800.5:-62000000", "1800.9:3000;1900.2:-3000"})
    void aFrequencyDialledFromOutsideIsNoticedAndUndone(String events) {
        Run r = run("i210-f9t", "sim.duration", "3600", "phc.external_freq", events.replace(';', ','));
        Metrics m = r.metrics();
        String context = r.context();
        int count = events.split(";").length;
        long settled = settledAfter(r, 1801);
        assertAll(
                () -> assertEquals(0, m.wrongSecondCount(), context),
                () -> assertEquals(0, m.wrongEdgeCount(), context),
                () -> assertTrue(m.falseLockS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S * count, "falseLockS: " + context),
                () -> assertTrue(settled >= 0 && settled <= RECOVERY_LIMIT_S + (count - 1) * 100L,
                        "back under 100 ns for 60 s after " + settled + " s: " + context),
                () -> assertTrue(m.boundViolationS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S * count,
                        "the bound is wrong only until the change is noticed: " + context));
    }

    @Test
    void aBothEdgeNicWhoseArmingReportsOneEdgeStillLocksToTheLeadingEdge() {
        // issue 10, trap 2: the v1 extts fallback assumed one edge; igb stamps both and the PHC ran to -max_adj
        Run r = run("i210-f9t", "sim.duration", "3600", "nic.reports_edges", "single");
        assertInvariants(r, 0);
        double last = r.frequency()[r.frequency().length - 1];
        assertTrue(Math.abs(last + 23_700) < 1000, "the dialled frequency cancels the oscillator's 23700 ppb, "
                + "not max_adj: " + last + " " + r.context());
        assertEquals(State.LOCKED, r.result().last().state(), r.context());
    }

    @ParameterizedTest(name = "phc.external_steps=1800.5:{0}")
    @CsvSource({"-2000000000", "1000000000", "500000000"})
    void aSingleEdgeNicSaidToStampBothIsNoticedSteppedFromOutsideAtTheNextEvent(long deltaNs) {
        // scripts/fault-sweep.sh cases 26 and 139: after the step the edges went unclassified for 3 s, and the
        // engine stayed LOCKED through them; the PHC against CLOCK_MONOTONIC shows it at the first event
        Run r = run("e810-gpsdo", 796, "sim.duration", "3600", "nic.reports_edges", "both", "phc.external_steps",
                "1800.5:" + deltaNs);
        Metrics m = r.metrics();
        String context = r.context();
        assertAll(
                () -> assertTrue(m.falseLockS() <= 1, "falseLockS: " + context),
                () -> assertTrue(m.boundViolationS() <= 1, "boundViolationS: " + context),
                () -> assertEquals(0, m.wrongEdgeCount(), context),
                () -> assertTrue(settledAfter(r, 1801) >= 0 && settledAfter(r, 1801) <= RECOVERY_LIMIT_S, context),
                () -> assertEquals(State.LOCKED, r.result().last().state(), context));
    }

    @Test
    void aSingleEdgeNicWhoseArmingReportsBothEdgesStillLocks() {
        Run r = run("e810-gpsdo", "sim.duration", "3600", "nic.reports_edges", "both");
        assertInvariants(r, 0);
        assertEquals(State.LOCKED, r.result().last().state(), r.context());
    }

    @ParameterizedTest(name = "{0} nic.removed={1}")
    @CsvSource({"i210-f9t, 1800:30", "i210-f9t, 1800:900", "i210-f9t, 600:5;2400:120", "e810-gpsdo, 1800:30",
        "cm4-m8t, 1800:30", "harsh, 1800:30"})
    void aRemovedDeviceIsLostThenRelockedByItself(String scenario, String windows) {
        // the device comes back with its frequency adjustment cleared: harsh's PHC then runs 87 ppm off
        Run r = run(scenario, "sim.duration", "4200", "nic.removed", windows.replace(';', ','));
        assertInvariants(r, 0);
        assertNotNull(r.metrics().recoveryS(), r.context());
        long lost = r.result().log().stateChanges().stream()
                .filter(c -> c.to() == State.FREE_RUNNING && c.reason().contains("device lost")).count();
        assertEquals(windows.split(";").length, lost, "the engine was told each time: " + r.context());
        assertEquals(State.LOCKED, r.result().last().state(), r.context());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"i210-f9t", "harsh"})
    void aThirtyThousandSecondOutageWithAWanderingOscillatorEndsLockedAgain(String scenario) {
        // issue 10, trap 1: the free-running PHC drifted past the +-2 ms gate and every later pulse was rejected
        Run r = run(scenario, "sim.duration", "34000", "osc.rw_ppb_per_sqrt_s", "1",
                "pps.outages", "1800:30000");
        double drift = Math.abs(r.te()[31_800]);
        assertTrue(drift > 2e6, "the world drifts past the gate, else this tests nothing: " + drift + " ns");
        assertInvariants(r, 0);
        assertNotNull(r.metrics().recoveryS(), r.context());
        assertEquals(State.LOCKED, r.result().last().state(), r.context());
    }

    /** The second at which the engine first reports LOCKED in a fault-free i210-f9t run of this seed. */
    private static long engineLockS() {
        Run r = run("i210-f9t", "sim.duration", "300");
        for (int k = 0; k < r.state().length; k++) {
            if (r.state()[k] == State.LOCKED) {
                return k;
            }
        }
        throw new AssertionError("never locked: " + r.context());
    }

    static Stream<Arguments> outagesAfterLock() {
        List<Arguments> out = new ArrayList<>();
        for (long after : new long[] {5, 20, 59, 300, 3000}) {
            for (long length : new long[] {3, 37, 600, 3000}) {
                out.add(Arguments.of(after, length));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "outage {0} s after the engine locked, {1} s long")
    @MethodSource("outagesAfterLock")
    void anOutageAtAnyTimeAfterLockKeepsTheBoundAndRecovers(long afterLockS, long lengthS) {
        // issue 15: an outage less than ~60 pulses after lock left the announced bound frozen below the truth
        long start = engineLockS() + afterLockS;
        Run r = run("i210-f9t", "sim.duration", Long.toString(start + lengthS + 900),
                "pps.outages", start + ":" + lengthS);
        assertInvariants(r, 0);
        assertNotNull(r.metrics().recoveryS(), r.context());
        boolean holdover = r.result().log().stateChanges().stream()
                .anyMatch((Observation.StateChange c) -> c.to() == State.HOLDOVER);
        assertTrue(holdover, "the locked engine went into holdover: " + r.context());
    }

    @ParameterizedTest(name = "{0} phc.external_steps=1800.5:{1} while the time of day is untrusted")
    @CsvSource({"e810-gpsdo, 1000000000", "e810-gpsdo, 37000000000", "harsh, -1000000000", "i210-f9t, -2000000000"})
    void aPhcSteppedByWholeSecondsWhileNoTrustedTimeOfDayCanTellLeavesLockAndIsRelabelledWhenOneCan(String scenario,
                                                                                                long deltaNs) {
        // a random sweep: the PHC's seconds were followed, LOCKED, for as long as the time of day was untrusted
        // (875 s on harsh), because only the time of day was ever compared with them
        Run r = run(scenario, "sim.duration", "4000", "sys.untrusted", "1000:1500", "phc.external_steps",
                "1800.5:" + deltaNs);
        Metrics m = r.metrics();
        String context = r.context();
        assertTrue(Math.abs(r.te()[1801]) >= Math.abs(deltaNs) / 2.0, "the step happened: " + context);
        long settled = settledAfter(r, 2500);
        assertAll(
                () -> assertEquals(0, m.wrongEdgeCount(), context),
                () -> assertTrue(m.falseLockS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S, "falseLockS: " + context),
                () -> assertTrue(m.boundViolationS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S, "boundViolationS: " + context),
                () -> assertTrue(r.state()[1900] != State.LOCKED && r.state()[1900] != State.HOLDOVER,
                        "nothing announced while the PHC's seconds are unknown: " + r.state()[1900] + " " + context),
                () -> assertTrue(settled >= 0 && settled <= RECOVERY_LIMIT_S,
                        "under 100 ns for 60 s after " + settled + " s of a trusted time of day: " + context),
                () -> assertEquals(State.LOCKED, r.state()[r.state().length - 1], context));
    }

    @ParameterizedTest(name = "{0} phc.external_steps=2000.5:{1} in an outage")
    @CsvSource({"i210-f9t, 1000000000", "i210-f9t, -500000000", "e810-gpsdo, 37000000000", "harsh, -2000000000"})
    void aPhcSteppedFromOutsideInAnOutageIsNoticedAtOnceWhenTheMonotonicClockCanTell(String scenario, long deltaNs) {
        // a random sweep (scripts/fault-sweep.sh case 7): stepped a second in holdover, the PHC was announced
        // within 3 us for the 196 s the outage had left
        Run r = run(scenario, "sim.duration", "4000", "pps.outages", "1800:600", "phc.external_steps",
                "2000.5:" + deltaNs);
        Metrics m = r.metrics();
        String context = r.context();
        assertTrue(Math.abs(r.te()[2001]) >= Math.abs(deltaNs) / 2.0, "the step happened: " + context);
        assertAll(
                () -> assertEquals(0, m.wrongEdgeCount(), context),
                () -> assertTrue(m.boundViolationS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S, "boundViolationS: " + context),
                () -> assertTrue(r.state()[2003] != State.HOLDOVER && r.state()[2003] != State.LOCKED,
                        "nothing announced once the jump is seen: " + r.state()[2003] + " " + context),
                () -> assertTrue(settledAfter(r, 2400) >= 0 && settledAfter(r, 2400) <= RECOVERY_LIMIT_S,
                        "under 100 ns for 60 s after " + settledAfter(r, 2400) + " s of pulses: " + context),
                () -> assertEquals(State.LOCKED, r.state()[r.state().length - 1], context));
    }

    @ParameterizedTest(name = "{0} tai.glitch=1500:800:{1} with nic.removed=1800:300")
    @CsvSource({"e810-gpsdo, 1", "i210-f9t, -1", "harsh, 18"})
    void aDeviceBackWhileTheTimeOfDaysTaiUtcIsWrongKeepsTheTaiUtcItHeld(String scenario, int delta) {
        // scripts/fault-sweep.sh case 95: the device came back during a TAI-UTC glitch, the engine took the
        // glitch's offset with its new anchor, and stayed LOCKED a second off for the 6500 s left
        Run r = run(scenario, "sim.duration", "4000", "tai.glitch", "1500:800:" + delta, "nic.removed", "1800:300");
        assertInvariants(r, 0);
        assertEquals(State.LOCKED, r.state()[r.state().length - 1], r.context());
    }

    @Test
    void aTaiUtcWrongWhenThePhcWasAnchoredIsOverruledByTheSameClaimForTodOverrule() {
        // every state has an exit: the value that named the PHC's seconds was the wrong one (a kernel offset not
        // yet set at boot), and the right one the only one claimed since
        Run r = run("e810-gpsdo", "sim.duration", "3000", "tai.glitch", "0:600:1");
        long overrule = DisciplineConfig.defaults().todOverruleNs() / 1_000_000_000L;
        String context = r.context();
        assertTrue(Math.abs(Math.abs(r.te()[300]) - 1e9) < 1e6, "anchored on the wrong offset: " + r.te()[300] + " "
                + context);
        assertTrue(settledAfter(r, 600 + overrule) >= 0 && settledAfter(r, 600 + overrule) <= RECOVERY_LIMIT_S,
                "right within " + RECOVERY_LIMIT_S + " s of the overrule: " + settledAfter(r, 600 + overrule) + " "
                        + context);
        assertTrue(r.metrics().falseLockS() <= 600 + overrule + RECOVERY_LIMIT_S, context);
        assertEquals(State.LOCKED, r.state()[r.state().length - 1], context);
        assertTrue(r.result().log().stateChanges().stream().anyMatch(c -> c.reason().contains("TAI-UTC overruled")),
                context);
    }

    @ParameterizedTest(name = "holdover_mode {0}")
    @CsvSource({"PREDICT", "FREEZE"})
    void aFrequencyDialledFromOutsideInAnOutageIsUndoneAtTheNextSecond(HoldoverMode mode) {
        // scripts/fault-sweep.sh case 128: in a frozen hold nothing was dialled, so 100 ppm dialled from outside
        // ran for the rest of the outage (14 ms)
        Run r = run(DisciplineConfig.defaults().withHoldoverMode(mode), "cm4-m8t", 197, "sim.duration", "2000",
                "pps.outages", "776:300", "phc.external_freq", "950.5:100000");
        String context = r.context();
        assertTrue(r.metrics().holdoverMaxAbsNs() < 150_000, "at most a second of 100 ppm: " + context);
        // the phase it left shows only when the pulses are back, 126 s later
        assertTrue(r.metrics().boundViolationS() <= 126 + FALSE_LOCK_PER_EXTERNAL_STEP_S, context);
        assertTrue(r.metrics().falseLockS() <= FALSE_LOCK_PER_EXTERNAL_STEP_S, context);
        assertEquals(0, r.metrics().wrongSecondCount(), context);
        assertEquals(State.LOCKED, r.state()[r.state().length - 1], context);
    }

    @ParameterizedTest(name = "{0} pps.miss_prob={1} seed {2}")
    @CsvSource({"e810-gpsdo, 0.3, 311", "e810-gpsdo, 0.3, 7", "cm4-m8t, 0.3, 971", "i210-f9t, 0.3, 7"})
    void aPulseTrainMissingMostPulsesNeverBreaksTheAnnouncedBound(String scenario, double missProb, long seed) {
        // a random sweep: relocking after a holdover, a missed pulse left the servo's kick unchecked, and the
        // holdover bound that followed counted only the predicted frequency's miss
        Run r = run(scenario, seed, "sim.duration", "14000", "pps.miss_prob", Double.toString(missProb));
        assertInvariants(r, 0);
    }

    /** Seeds and presets on which a sweep (every preset, 15 faults, seeds 1 to 3, 5400 s) found a claim broken. */
    @ParameterizedTest(name = "{0} {1}={2} seed {3}")
    @CsvSource({
        "e810-gpsdo, phc.external_steps, 1800.5:3000000, 3",
        "e810-gpsdo, phc.external_freq, 1800.5:50000, 1",
        "cm4-m8t, phc.external_steps, 1800.5:3000000, 3",
        "cm4-m8t, phc.external_freq, 1800.5:50000, 3",
        "cm4-m8t, pps.outages, 1800:3000, 3",
        "harsh, nic.removed, 1800:1200, 2",
        "harsh, nic.removed, 1800:30, 1",
        "harsh, nic.removed, 1800:3000, 78",
        "e810-gpsdo, phc.external_steps, 2922.5:1000, 683",
        "e810-gpsdo, phc.external_steps, 2546.5:1000, 598",
        "cm4-m8t, phc.external_steps, 2584.5:1000, 49"})
    void claimsASweepOfPresetsAndSeedsFoundBroken(String scenario, String key, String value, long seed) {
        Run r = run(scenario, seed, "sim.duration", "5400", key, value);
        assertInvariants(r, key.startsWith("phc.external_") ? 1 : 0);
    }
}
