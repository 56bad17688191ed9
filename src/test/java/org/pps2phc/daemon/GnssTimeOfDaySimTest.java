package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.sim.Metrics;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.SimParameters;
import org.pps2phc.sim.SimRunner;

/**
 * The receiver as the only time of day (tod.source=gnss, no chrony at all): the daemon's receiver path reads the
 * simulated byte stream in virtual time, and the run is judged on ground truth.
 */
class GnssTimeOfDaySimTest {
    static SimRunner.Result run(String scenario, long seed, boolean qErrCorrection, String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("tod.source", "gnss");
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        SimParameters p = Scenarios.resolve(scenario, o);
        String servo = DisciplineConfig.defaults().servoName();
        return SimRunner.run(scenario, p, DisciplineConfig.defaults(), servo,
                (config, dialled, maxAdj) -> SimRunner.servo(servo, p, config, dialled, maxAdj), seed, null, null,
                Assemblies.simulatedReceiver(qErrCorrection));
    }

    static void assertRight(SimRunner.Result r) {
        Metrics m = r.metrics();
        String context = m.toJson(r.scenario(), r.servo()) + " state changes " + r.log().stateChanges();
        assertAll(context,
                () -> assertTrue(Double.isFinite(m.value("lockTimeS")), "never locked"),
                () -> assertEquals(0, m.value("wrongSecondCount")),
                () -> assertEquals(0, m.value("wrongEdgeCount")),
                () -> assertEquals(0, m.value("falseLockS")));
    }

    @ParameterizedTest(name = "{0} delay {1}")
    @CsvSource({"i210-f9t, 0:50", "i210-f9t, 100:150", "i210-f9t, 480:520", "i210-f9t, 850:900",
        "e810-gpsdo, 0:50", "e810-gpsdo, 100:150", "e810-gpsdo, 480:520", "e810-gpsdo, 850:900",
        "cm4-m8t, 0:50", "cm4-m8t, 100:150", "cm4-m8t, 480:520", "cm4-m8t, 850:900",
        "harsh, 0:50", "harsh, 100:150", "harsh, 480:520", "harsh, 850:900",
        "default, 0:50", "default, 100:150", "default, 480:520", "default, 850:900"})
    void everyPresetOverTheDelayRange(String scenario, String delay) {
        assertRight(run(scenario, 1, true, "sim.duration", "900", "gnss.delay_ms", delay));
    }
}
