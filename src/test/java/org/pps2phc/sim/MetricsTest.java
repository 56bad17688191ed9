package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.State;

class MetricsTest {
    private static final long S = 1_000_000_000L;
    private static final long WIDTH = 100_000_000L;

    private static GroundTruth truth(double[] te, List<Long> steps, List<Window> outages) {
        BitSet emitted = new BitSet();
        emitted.set(0, te.length);
        for (Window w : outages) {
            emitted.clear((int) w.startS(), (int) w.endS());
        }
        return new GroundTruth(te, steps, emitted, outages, WIDTH);
    }

    @Test
    void lockTimeIsTheStartOfTheFirst300SecondsUnder100Ns() {
        double[] te = new double[1000];
        Arrays.fill(te, 0, 50, 5000);
        te[250] = -100; // not under 100 ns: breaks the run that started at 50
        assertEquals(251L, Metrics.lockTime(te));
        te[250] = 99.9;
        assertEquals(50L, Metrics.lockTime(te));
        Arrays.fill(te, 500, 1000, 200);
        te[250] = 100;
        assertNull(Metrics.lockTime(te), "no 300 s run under 100 ns");
    }

    @Test
    void steadyStateStartsAtLockPlus300AndSkipsOutagesAndTheir600SecondsAfter() {
        double[] te = new double[3000];
        Arrays.fill(te, 0, 10, 1e6);
        // steady window: [310, 3000) without [1000, 1100 + 600)
        for (int k = 310; k < 3000; k++) {
            te[k] = k % 2 == 0 ? 3 : -4;
        }
        for (int k = 1000; k < 1700; k++) {
            te[k] = 90;
        }
        te[2000] = -50;
        Metrics m = Metrics.of(truth(te, List.of(), List.of(new Window(1000, 100))));
        assertEquals(10L, m.lockTimeS());
        assertEquals(50, m.maxAbsNs(), 1e-12);
        int n = 3000 - 310 - 700;
        double sumSq = 0;
        for (int k = 310; k < 3000; k++) {
            if (k < 1000 || k >= 1700) {
                sumSq += te[k] * te[k];
            }
        }
        assertEquals(Math.sqrt(sumSq / n), m.rmsNs(), 1e-9);
        assertEquals(4, m.p99AbsNs(), 1e-12, "99 % of |TE| are 3 or 4, one is 50");
        assertEquals(90, m.holdoverMaxAbsNs(), 1e-12, "outage from 1000 to the first pulse after it (1100)");
    }

    @Test
    void holdoverRunsToTheFirstPulseAfterTheOutageIncludingIt() {
        double[] te = new double[2000];
        for (int k = 1500; k <= 1510; k++) {
            te[k] = 10 * (k - 1499);
        }
        BitSet emitted = new BitSet();
        emitted.set(0, 2000);
        emitted.clear(1500, 1510); // outage [1500, 1505) and pulses 1505..1509 missed
        GroundTruth t = new GroundTruth(te, List.of(), emitted, List.of(new Window(1500, 5)), WIDTH);
        assertEquals(110, Metrics.of(t).holdoverMaxAbsNs(), 1e-12);
        assertNull(Metrics.of(truth(te, List.of(), List.of())).holdoverMaxAbsNs(), "no outage");
    }

    @Test
    void wrongSecondsWrongEdgesAndStepsCountOnlyAfterTheFirstLock() {
        double[] te = new double[1000];
        te[0] = 2e9;
        te[1] = -WIDTH; // before the lock: not counted
        te[600] = 0.6e9;
        te[601] = -0.7e9;
        te[700] = -WIDTH + 999_000;
        te[701] = -WIDTH - 999_000;
        te[702] = -WIDTH + 1_000_000;
        Metrics m = Metrics.of(truth(te, List.of(0L, 2 * S, 500 * S + 1), List.of()));
        assertEquals(2L, m.lockTimeS());
        assertEquals(2, m.wrongSecondCount());
        assertEquals(2, m.wrongEdgeCount());
        assertEquals(1, m.steps(), "only the step after t = 2 s");
    }

    @Test
    void aFreeRunningEngineDisciplinesNothingSoItsDriftingPhcIsNoWrongSecondOrEdge() {
        Scorecard card = new Scorecard(1000, List.of(), List.of(new Window(400, 300)), WIDTH);
        for (int k = 0; k < 1000; k++) {
            boolean gone = k >= 400 && k < 700;
            double te = gone ? -WIDTH - 0.7e9 + (k - 400) * 1e6 * 3 : 0; // through 0.5 s off and the trailing edge
            card.second(k, te, gone ? State.FREE_RUNNING : State.LOCKED, Double.NaN, true);
        }
        Metrics free = card.metrics(List.of());
        assertEquals(0, free.wrongSecondCount());
        assertEquals(0, free.wrongEdgeCount());
        Scorecard acquiring = new Scorecard(1000, List.of(), List.of(), WIDTH);
        for (int k = 0; k < 1000; k++) {
            acquiring.second(k, k >= 400 && k < 402 ? -WIDTH : 0, k < 300 ? State.LOCKED : State.ACQUIRING,
                    Double.NaN, true);
        }
        assertEquals(2, acquiring.metrics(List.of()).wrongEdgeCount(), "a disciplined PHC on the trailing edge");
    }

    @Test
    void recoveryCountsFromTheFirstPulseAfterOverlappingInterruptions() {
        // an outage inside a device removal: the PHC cannot recover before the device is back
        Scorecard card = new Scorecard(3000, List.of(new Window(600, 100)), List.of(new Window(500, 1000)), WIDTH);
        for (int k = 0; k < 3000; k++) {
            card.second(k, k >= 500 && k < 1510 ? 5e6 : 0, State.LOCKED, Double.NaN, true);
        }
        Metrics m = card.metrics(List.of());
        assertEquals(10L, m.recoveryS(), "from the pulse at 1500, not from 700");
        assertNull(m.holdoverMaxAbsNs(), "no holdover while the device is gone");
    }

    @Test
    void neverLockedLeavesTheSteadyStateMetricsUndefined() {
        double[] te = new double[500];
        Arrays.fill(te, 1000);
        Metrics m = Metrics.of(truth(te, List.of(S), List.of()));
        assertNull(m.lockTimeS());
        assertNull(m.rmsNs());
        assertEquals(0, m.steps());
        assertEquals("{\"scenario\":\"x\",\"servo\":\"pi-linuxptp\",\"lockTimeS\":null,\"rmsNs\":null,"
                + "\"p99AbsNs\":null,\"maxAbsNs\":null,\"wrongSecondCount\":0,\"wrongEdgeCount\":0,"
                + "\"holdoverMaxAbsNs\":null,\"steps\":0,\"falseLockS\":0,\"recoveryS\":null,"
                + "\"boundViolationS\":0}", m.toJson("x", "pi-linuxptp"));
    }

    /** Feeds a scorecard: TE, state and bound per second; every pulse emitted except in the windows. */
    private static Metrics score(double[] te, State[] state, double[] bound, List<Window> outages,
                                 List<Window> removals) {
        Scorecard card = new Scorecard(te.length, outages, removals, WIDTH);
        for (int k = 0; k < te.length; k++) {
            int second = k;
            boolean silent = outages.stream().anyMatch(w -> w.containsSecond(second))
                    || removals.stream().anyMatch(w -> w.containsSecond(second));
            card.second(k, te[k], state[k], bound[k], !silent);
        }
        return card.metrics(List.of());
    }

    @Test
    void falseLockCountsLockedSecondsBeyondOneMicrosecondAndBoundViolationsOnlyFiniteBounds() {
        int n = 1000;
        double[] te = new double[n];
        State[] state = new State[n];
        double[] bound = new double[n];
        Arrays.fill(state, State.LOCKED);
        Arrays.fill(bound, 50);
        te[400] = 1001; // locked and beyond 1 us: a false lock, and beyond the bound
        te[401] = -2000;
        state[401] = State.ACQUIRING; // not claimed locked; but the bound still claims 50 ns
        te[402] = 1000; // exactly 1 us: not false; beyond the bound
        te[403] = 5000;
        bound[403] = Double.NaN; // no claim at all
        te[404] = 40; // within the bound
        te[405] = 5000;
        bound[405] = 6000;
        Metrics m = score(te, state, bound, List.of(), List.of());
        assertEquals(3, m.falseLockS(), "400, 403 and 405: locked beyond 1 us, whatever the bound says");
        assertEquals(3, m.boundViolationS(), "400, 401 and 402 exceed 50 ns; 403 claims nothing; 405 is within");
        assertNull(m.recoveryS(), "nothing to recover from");
    }

    @Test
    void recoveryRunsFromTheFirstPulseAfterAnOutageOrRemovalToSixtySecondsUnder100NsAndTheWorstIsReported() {
        int n = 3000;
        double[] te = new double[n];
        State[] state = new State[n];
        double[] bound = new double[n];
        Arrays.fill(state, State.ACQUIRING);
        Arrays.fill(bound, Double.NaN);
        // outage [500, 600): TE large until 629, then under 100 ns, but 650 breaks the first run
        Arrays.fill(te, 500, 630, 5000);
        te[650] = 100;
        // removal [1500, 1510): TE never leaves 100 ns: recovery 0
        Metrics m = score(te, state, bound, List.of(new Window(500, 100)), List.of(new Window(1500, 10)));
        assertEquals(651 - 600, m.recoveryS(), "first pulse 600, 60 s under 100 ns from 651");
        Arrays.fill(te, 2000, 3000, 1e4); // a third window that never recovers
        m = score(te, state, bound, List.of(new Window(500, 100), new Window(1900, 50)), List.of());
        assertEquals(Metrics.NEVER, m.recoveryS());
        assertEquals(Double.POSITIVE_INFINITY, m.value("recoveryS"));
    }

    @Test
    void aPulseAfterTheRunsEndIsNoRecoveryToScore() {
        double[] te = new double[700];
        State[] state = new State[700];
        Arrays.fill(state, State.FREE_RUNNING);
        double[] bound = new double[700];
        Arrays.fill(bound, Double.NaN);
        assertNull(score(te, state, bound, List.of(new Window(600, 100)), List.of()).recoveryS());
    }
}
