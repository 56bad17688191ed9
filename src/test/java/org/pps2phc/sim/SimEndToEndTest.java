package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pps2phc.core.Observation;
import org.pps2phc.core.State;

/** The daemon's controller and engine against every preset: lock, stay locked, never a wrong second or edge. */
class SimEndToEndTest {
    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "i210-f9t, pi-linuxptp", "i210-f9t, kalman",
        "e810-gpsdo, pi-linuxptp", "e810-gpsdo, kalman",
        "cm4-m8t, pi-linuxptp", "cm4-m8t, kalman",
        "harsh, pi-linuxptp", "harsh, kalman"})
    void presetLocksAndStaysLocked(String scenario, String servo) {
        SimParameters p = Scenarios.resolve(scenario, Map.of("sim.duration", "7200"));
        SimRunner.Result r = SimRunner.run(scenario, p, servo, 11);
        Metrics m = r.metrics();
        String context = m.toJson(scenario, servo) + " " + r.log();
        assertNotNull(m.lockTimeS(), context);
        assertTrue(m.lockTimeS() <= 120, context);
        assertEquals(0, m.wrongSecondCount(), context);
        assertEquals(0, m.wrongEdgeCount(), context);
        assertEquals(0, m.steps(), context);
        assertTrue(m.maxAbsNs() < 1000, context);
        assertEquals(State.LOCKED, r.last().state(), context);
        long lockNs = m.lockTimeS() * SimWorld.S;
        for (Observation.StateChange c : r.log().stateChanges()) {
            if (c.monoNs() > lockNs + 300 * SimWorld.S && c.from() == State.LOCKED) {
                assertEquals(State.HOLDOVER, c.to(), "only an outage may take it out of lock: " + context);
                assertTrue(p.ppsOutages().stream().anyMatch(w -> w.containsNs(c.monoNs())),
                        "holdover outside an outage: " + context);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"i210-f9t", "harsh"})
    void sameSeedSameRun(String scenario) {
        SimParameters p = Scenarios.resolve(scenario, Map.of("sim.duration", "1800"));
        assertEquals(SimRunner.run(scenario, p, "kalman", 5).metrics(),
                SimRunner.run(scenario, p, "kalman", 5).metrics());
    }
}
