package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pps2phc.core.State;
import org.pps2phc.sim.Metrics;

/** A slice of scripts/fault-sweep.sh runs in every build, and its judge breaks where a claim does. */
class FaultSweepTest {
    /** The sweep's first cases, shortened to 8000 s (faults in the first 4800 s). */
    @ParameterizedTest(name = "case {0}")
    @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7})
    void aCaseOfTheSweepKeepsEveryClaim(long number) {
        FaultSweep.Case c = FaultSweep.draw(number, 8000);
        List<String> broken = FaultSweep.broken(c, FaultSweep.run(c));
        assertTrue(broken.isEmpty(), broken + ": " + c.command());
    }

    @Test
    void aCaseIsDrawnFromItsNumberAlone() {
        assertEquals(FaultSweep.draw(42, 14_000), FaultSweep.draw(42, 14_000));
        assertTrue(FaultSweep.draw(42, 14_000).command().startsWith("pps2phc simulate --scenario "));
    }

    @Test
    void theJudgeNamesEachBrokenClaimAndAllowsTwoSecondsPerChangeFromOutside() {
        FaultSweep.Case external = new FaultSweep.Case(1, "harsh", "kalman", 1, 8000,
                Map.of("phc.external_steps", "1800.5:1000000000"));
        Metrics clean = metrics(0, 0, 2, 2, 10L);
        assertEquals(List.of(), FaultSweep.broken(external, new FaultSweep.Outcome(clean, State.LOCKED)));
        Metrics bad = metrics(3, 1, 3, 3, 500L);
        assertEquals(List.of("wrongEdgeCount 1", "falseLockS 3 > 2", "boundViolationS 3 > 2", "recoveryS 500 > 120"),
                FaultSweep.broken(external, new FaultSweep.Outcome(bad, State.LOCKED)));
        FaultSweep.Case none = new FaultSweep.Case(2, "harsh", "kalman", 1, 8000, Map.of());
        assertEquals(List.of("wrongEdgeCount 1", "wrongSecondCount 3", "falseLockS 3 > 0", "boundViolationS 3 > 0",
                "recoveryS 500 > 120"), FaultSweep.broken(none, new FaultSweep.Outcome(bad, State.LOCKED)));
    }

    @Test
    void aRecoveryWaitsForATrustedTimeOfDayAsLongAsItWasUntrusted() {
        FaultSweep.Case c = new FaultSweep.Case(3, "i210-f9t", "kalman", 1, 8000,
                Map.of("nic.removed", "3924:3000", "sys.untrusted", "4777:5000"));
        assertEquals(List.of(), FaultSweep.broken(c, new FaultSweep.Outcome(metrics(0, 0, 0, 0, -1L), State.ACQUIRING)),
                "the time of day is untrusted to the end: nothing can name the seconds of the device back");
        FaultSweep.Case early = new FaultSweep.Case(4, "i210-f9t", "kalman", 1, 8000,
                Map.of("nic.removed", "715:1", "sys.untrusted", "200:1000"));
        assertEquals(List.of("recoveryS 1121 > 1120"),
                FaultSweep.broken(early, new FaultSweep.Outcome(metrics(0, 0, 0, 0, 1121L), State.LOCKED)));
        assertEquals(List.of("recoveryS never"),
                FaultSweep.broken(early, new FaultSweep.Outcome(metrics(0, 0, 0, 0, -1L), State.LOCKED)));
    }

    private static Metrics metrics(long wrongSeconds, long wrongEdges, long falseLock, long bound, Long recovery) {
        return new Metrics(5L, 1.0, 2.0, 3.0, wrongSeconds, wrongEdges, null, 0, falseLock, recovery, bound);
    }
}
