package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pps2phc.core.FixtureWorld.S;
import static org.pps2phc.core.FixtureWorld.START_TAI;

import java.util.List;
import org.junit.jupiter.api.Test;

class DisciplineTest {
    private static DisciplineConfig config() {
        return DisciplineConfig.defaults();
    }

    private static FixtureWorld world(double thetaNs, double freqPpb, EdgeMode mode, DisciplineConfig config) {
        FixtureWorld w = new FixtureWorld(thetaNs, freqPpb).engine(config, mode);
        w.trustTod(10e6);
        return w;
    }

    private static void run(FixtureWorld w, int fromPulse, int toPulse) {
        for (int k = fromPulse; k < toPulse; k++) {
            w.edgeAt(START_TAI + k * S);
        }
    }

    @Test
    void locksFromThePhcStartingOnUtc() {
        FixtureWorld w = world(-37.2 * S, 23_700, EdgeMode.SINGLE, config());
        run(w, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertEquals(1, w.steps(), "one step, at the second pulse, as ts2phc does");
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
        assertTrue(w.engine.snapshot().frequencyPpb() < -23_000);
    }

    @Test
    void firstStepIsTheSecondPulseWithTheTwoSampleFrequencyEstimate() {
        FixtureWorld w = world(-37.2 * S, 23_700, EdgeMode.SINGLE, config());
        assertEquals(PulseVerdict.UNCLASSIFIED, w.pulse(1).verdict(), "one pulse is not yet a pulse train");
        Observation.Pulse p2 = w.pulse(2);
        assertEquals(PulseVerdict.ACCEPTED, p2.verdict());
        assertEquals(0, w.steps(), "the servo needs two samples");
        w.pulse(3);
        assertEquals(1, w.steps());
        Action.Step step = (Action.Step) w.actions.stream().filter(a -> a instanceof Action.Step).findFirst()
                .orElseThrow();
        assertEquals(1, step.newEra());
        assertEquals(-23_700, w.dialledPpb, 1);
    }

    @Test
    void noTrustedTimeOfDayNoStepAndPulsesAreUnlabelled() {
        FixtureWorld w = new FixtureWorld(-37.2 * S, 0).engine(config(), EdgeMode.SINGLE);
        run(w, 1, 3);
        Observation.Pulse p = w.pulse(3);
        assertEquals(PulseVerdict.UNLABELLED, p.verdict());
        w.distrustTod();
        run(w, 4, 20);
        assertEquals(0, w.steps());
        assertEquals(State.FREE_RUNNING, w.state());
        w.trustTod(1e6);
        run(w, 20, 40);
        assertEquals(State.LOCKED, w.state());
    }

    @Test
    void lateDeliveryDoesNotChangeTheLabel() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        w.deliveryNs = 700_000_000; // 0.7 s late: reading the clock at delivery would name the next second
        run(w, 1, 40);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 10, "theta " + w.thetaNs);
    }

    @Test
    void timeOfDayOffByFourTenthsOfASecondStillNamesTheRightSecond() {
        for (long err : new long[] {400_000_000L, -400_000_000L}) {
            FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
            w.sysErrorNs = err;
            run(w, 1, 40);
            assertEquals(State.LOCKED, w.state());
            assertTrue(Math.abs(w.thetaNs) < 10, "sys error " + err + ": theta " + w.thetaNs);
        }
    }

    @Test
    void aSystemClockYearsOffNamesTheRightSecondWhenTheVerdictCarriesItsMeasuredOffset() {
        long yearsAndAFraction = 3 * 365 * 86_400L * S + 300_000_000L; // a fresh boot on a wrong RTC
        FixtureWorld w = new FixtureWorld(-37.2 * S, 0).engine(config(), EdgeMode.SINGLE);
        w.sysErrorNs = yearsAndAFraction;
        w.feed(w.engine.onTimeOfDay(TodVerdict.trusted(2e6, FixtureWorld.LEAP, "receiver", yearsAndAFraction)));
        run(w, 1, 40);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 10, "theta " + w.thetaNs);
        assertTrue(w.engine.snapshot().tod().summary().contains("system clock +94608000.300 s off UTC"),
                w.engine.snapshot().tod().summary());
    }

    @Test
    void errorBoundOverTheLimitIsNotTrusted() {
        FixtureWorld w = new FixtureWorld(-37.2 * S, 0).engine(config(), EdgeMode.SINGLE);
        w.trustTod(150e6); // bound 150 ms > the 100 ms default limit
        run(w, 1, 10);
        assertEquals(PulseVerdict.UNLABELLED, w.pulse(10).verdict());
        assertEquals(0, w.steps());
    }

    @Test
    void glitchesAreRejectedOnASingleEdgeNic() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 30);
        long before = w.engine.snapshot().glitches();
        Observation.Pulse g = FixtureWorld.lastPulse(w.edgeAt(START_TAI + 30 * S + 123_456_789));
        assertEquals(PulseVerdict.GLITCH, g.verdict());
        assertEquals(before + 1, w.engine.snapshot().glitches());
        assertEquals(PulseVerdict.ACCEPTED, w.pulse(31).verdict());
        assertEquals(State.LOCKED, w.state());
    }

    private static void runBoth(FixtureWorld w, long widthNs, int from, int to) {
        for (int k = from; k < to; k++) {
            w.edgeAt(START_TAI + k * S);
            w.edgeAt(START_TAI + k * S + widthNs);
        }
    }

    @Test
    void bothEdgesWithAConfiguredWidthLockOnTheLeadingEdge() {
        long width = 100_000_000;
        FixtureWorld w = world(-37.2 * S, 23_700, EdgeMode.BOTH, config().withPulseWidthNs(width));
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
        Observation.Pulse trailing = FixtureWorld.lastPulse(w.edgeAt(START_TAI + 60 * S + width));
        assertEquals(PulseVerdict.TRAILING_EDGE, trailing.verdict());
    }

    @Test
    void bothEdgesWhenTheFirstEventSeenIsTheTrailingOne() {
        long width = 200_000_000;
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.BOTH, config().withPulseWidthNs(width));
        w.edgeAt(START_TAI + width); // the trailing edge of pulse 0 comes first
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void halfDutyCycleTellsTheEdgesApartByTheTimeOfDay() {
        long width = 500_000_000;
        FixtureWorld w = world(-37.2 * S, 5_000, EdgeMode.BOTH, config().withPulseWidthNs(width));
        w.sysErrorNs = 120_000_000; // 120 ms off, still nearer the leading edge than the trailing one
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void unknownWidthIsLearnedFromThePulseTrain() {
        long width = 300_000_000;
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.BOTH, config());
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertEquals(width, w.engine.snapshot().pulseWidthNs(), 1000);
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void glitchesBetweenBothEdgesAreRejected() {
        long width = 100_000_000;
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.BOTH, config().withPulseWidthNs(width));
        for (int k = 1; k < 60; k++) {
            w.edgeAt(START_TAI + k * S);
            if (k % 7 == 0) {
                w.edgeAt(START_TAI + k * S + 40_000_000 + k * 1_000_000L);
            }
            w.edgeAt(START_TAI + k * S + width);
        }
        assertEquals(State.LOCKED, w.state());
        assertTrue(w.engine.snapshot().glitches() > 0);
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void pulseLossGoesToHoldoverThenFreeRunningAfterTheBudget() {
        FixtureWorld w = world(-37.2 * S, 1_000, EdgeMode.SINGLE, config().withHoldoverBudgetNs(60 * S));
        run(w, 1, 60);
        assertEquals(State.LOCKED, w.state());
        double held = w.dialledPpb;
        w.tick(START_TAI + 62 * S);
        assertEquals(State.LOCKED, w.state(), "one missing pulse is not holdover");
        w.tick(START_TAI + 64 * S);
        assertEquals(State.HOLDOVER, w.state());
        assertEquals(held, w.dialledPpb, 5, "holdover keeps the frequency estimate");
        assertEquals(1_000, -w.dialledPpb, 5, "which is the PHC's own frequency error");
        w.tick(START_TAI + 100 * S);
        assertEquals(State.HOLDOVER, w.state());
        w.tick(START_TAI + 130 * S);
        assertEquals(State.FREE_RUNNING, w.state());
        long stepsBefore = w.steps();
        run(w, 131, 160);
        assertEquals(State.LOCKED, w.state());
        assertEquals(stepsBefore, w.steps(), "recovery slews, it never steps");
        assertTrue(w.engine.snapshot().missingPulses() >= 70);
    }

    @Test
    void transientTimeOfDayDisagreementNeverSteps() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 40);
        long steps = w.steps();
        w.sysErrorNs = S; // chrony jumps a whole second for a few pulses
        run(w, 40, 45);
        w.sysErrorNs = 0;
        run(w, 45, 60);
        assertEquals(steps, w.steps());
        assertEquals(State.LOCKED, w.state());
        assertTrue(w.observations.stream().anyMatch(o -> o instanceof Observation.Disagreement));
    }

    @Test
    void persistentTimeOfDayDisagreementReanchors() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 40);
        w.thetaNs += S; // the PHC is a second off (say, a wrong initial label from a bad source)
        run(w, 40, 80);
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
        assertEquals(State.LOCKED, w.state());
    }

    @Test
    void untrustedTimeOfDayDoesNotStopALockedPhc() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 40);
        w.distrustTod();
        w.sysErrorNs = 3 * S; // and wrong: it must be ignored
        run(w, 40, 100);
        assertEquals(State.LOCKED, w.state());
        assertTrue(Math.abs(w.thetaNs) < 50);
    }

    @Test
    void samplesArePublishedOnlyWhileLockedAndWithdrawnOnLoss() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 60);
        List<Observation.Sample> samples = w.observations.stream()
                .filter(o -> o instanceof Observation.Sample).map(o -> (Observation.Sample) o).toList();
        assertTrue(samples.size() > 30);
        assertTrue(samples.stream().allMatch(s -> s.sample() == null || s.sample().state() == State.LOCKED));
        w.tick(START_TAI + 65 * S);
        Observation last = w.observations.get(w.observations.size() - 1);
        assertTrue(last instanceof Observation.Sample s && s.sample() == null, "withdrawn: " + last);
    }

    @Test
    void outlierWhileLockedIsNotFedToTheServo() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 60);
        double freq = w.dialledPpb;
        Observation.Pulse p = FixtureWorld.lastPulse(w.edgeAt(START_TAI + 60 * S + 900_000));
        assertEquals(PulseVerdict.OUTLIER, p.verdict());
        assertEquals(freq, w.dialledPpb, 1e-9);
        assertEquals(PulseVerdict.ACCEPTED, w.pulse(61).verdict());
    }

    @Test
    void staleEventsFromBeforeAStepAreIgnored() {
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.SINGLE, config());
        run(w, 1, 4); // pulse 1 starts the train, 2 is the servo's first sample, 3 makes the step
        assertEquals(1, w.steps());
        // An event stamped on the old timeline but read after the step: its age is huge and negative.
        CrossTimestamp xts = new CrossTimestamp(w.phcNow(), w.trueNs - 37 * S, 1500, "fixture");
        Output out = w.engine.onEdge(new ExttsEvent(START_TAI + 3 * S - 37_200_000_000L, 0, xts, 4 * S));
        assertEquals(PulseVerdict.STALE, FixtureWorld.lastPulse(out.observations()).verdict());
    }

    @Test
    void theSecondsAroundALeapSecondAreNotLabelledFromTheSystemClock() {
        // A leap second inserted at the UTC midnight 20 s after the start: the system clock repeats 23:59:59.
        long leapAtUtc = (START_TAI / S) - 37 + 20;
        LeapState leap = new LeapState(37, Leap.INSERT, leapAtUtc, "test");
        FixtureWorld w = new FixtureWorld(-37.2 * S, 0).engine(config(), EdgeMode.SINGLE);
        w.worldLeap = leap;
        w.feed(w.engine.onTimeOfDay(TodVerdict.trusted(1e6, leap, "test")));
        run(w, 1, 18);
        assertEquals(1, w.steps());
        assertEquals(PulseVerdict.ACCEPTED, w.pulse(18).verdict(), "anchored: the PHC names the second");
        assertTrue(w.observations.stream().noneMatch(o -> o instanceof Observation.Disagreement),
                "no disagreement is reported from the ambiguous seconds");
        run(w, 19, 60);
        assertEquals(1, w.steps(), "the PHC passes through the leap second without a step");
    }

    @Test
    void anUnconfiguredShortPulseLeadsWhenTheTimeOfDayIsTooLooseToTell() {
        long width = 100_000_000;
        FixtureWorld w = new FixtureWorld(-37.2 * S, 0).engine(config(), EdgeMode.BOTH);
        w.trustTod(90e6); // 90 ms: too loose to tell edges 100 ms apart
        w.sysErrorNs = -60_000_000;
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertEquals(width, w.engine.snapshot().pulseWidthNs(), 1000);
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void anUnconfiguredPulseThatTheTimeOfDayContradictsIsNeverGuessed() {
        // A 900 ms pulse (its short side is the gap) with a good time of day, and a 100 ms pulse with a time of day
        // 99 ms off that claims 10 ms: from the edges alone the two look the same. Neither may lock a pulse width off.
        for (long[] c : new long[][] {{900_000_000, 4_000_000}, {100_000_000, -99_000_000}}) {
            FixtureWorld w = world(-37.2 * S, 0, EdgeMode.BOTH, config());
            w.sysErrorNs = c[1];
            runBoth(w, c[0], 1, 60);
            assertEquals(State.FREE_RUNNING, w.state(), "width " + c[0]);
            assertEquals(0, w.steps());
            assertEquals(PulseVerdict.UNCLASSIFIED, FixtureWorld.lastPulse(w.edgeAt(START_TAI + 60 * S)).verdict());
            // the configured width settles it
            FixtureWorld configured = world(-37.2 * S, 0, EdgeMode.BOTH, config().withPulseWidthNs(c[0]));
            configured.sysErrorNs = c[1];
            runBoth(configured, c[0], 1, 60);
            assertEquals(State.LOCKED, configured.state(), "width " + c[0] + " configured");
            assertTrue(Math.abs(configured.thetaNs) < 50, "theta " + configured.thetaNs);
        }
    }

    @Test
    void anUnconfiguredLongPulseNearHalfDutyNeedsTheTimeOfDay() {
        long width = 600_000_000; // short side 400 ms: no convention applies, the time of day decides
        FixtureWorld w = world(-37.2 * S, 0, EdgeMode.BOTH, config());
        w.sysErrorNs = 150_000_000;
        runBoth(w, width, 1, 60);
        assertEquals(State.LOCKED, w.state());
        assertEquals(width, w.engine.snapshot().pulseWidthNs(), 1000);
        assertTrue(Math.abs(w.thetaNs) < 50, "theta " + w.thetaNs);
    }

    @Test
    void theTimeErrorBoundGrowsThroughHoldover() {
        FixtureWorld w = world(-37.2 * S, 1_000, EdgeMode.SINGLE, config());
        for (int k = 1; k < 400; k++) {
            w.freqErrorPpb = 1_000 + 2 * Math.sin(k / 30.0); // a little wander for the predictor to score
            w.edgeAt(START_TAI + k * S);
        }
        assertEquals(State.LOCKED, w.state());
        double locked = w.engine.snapshot().timeErrorBoundNs();
        assertTrue(locked >= 0 && locked < 100, "locked bound " + locked);
        w.tick(START_TAI + 404 * S);
        assertEquals(State.HOLDOVER, w.state());
        double early = w.engine.snapshot().timeErrorBoundNs();
        w.tick(START_TAI + 700 * S);
        double late = w.engine.snapshot().timeErrorBoundNs();
        assertTrue(late > early && early >= locked, locked + " < " + early + " < " + late);
        assertTrue(Math.abs(w.thetaNs) < late, "the bound covers the real error: " + w.thetaNs + " vs " + late);
        w.tick(START_TAI + 3000 * S);
        assertEquals(State.FREE_RUNNING, w.state());
        assertTrue(Double.isNaN(w.engine.snapshot().timeErrorBoundNs()), "no bound once free-running");
    }
}
