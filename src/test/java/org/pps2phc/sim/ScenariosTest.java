package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;

class ScenariosTest {
    @Test
    void defaultsAreTheSpecs() {
        SimParameters p = Scenarios.resolve(Scenarios.DEFAULT, Map.of());
        assertEquals(1_780_272_037L, p.startS());
        assertEquals(86_400, p.durationS());
        assertEquals(0.01, p.oscRwPpbPerSqrtS());
        assertEquals(1e-10, p.oscWfmAdev());
        assertEquals(-37.2, p.phcInitialOffsetS());
        assertEquals(62_499_999, p.phcMaxAdjPpb());
        assertEquals(5, p.ppsJitterNs());
        assertEquals(List.of(), p.ppsOutages());
        assertEquals(100, p.ppsWidthMs());
        assertFalse(p.nicBothEdges());
        assertEquals(0.05, p.nicDeliveryMinMs());
        assertEquals(0.5, p.nicDeliveryMaxMs());
        assertEquals(0.5, p.sysOffsetMs());
        assertEquals(10, p.sysBoundMs());
        assertEquals(1500, p.xtsWidthNs());
    }

    @Test
    void presetsOverrideTheirKeys() {
        assertEquals(List.of("i210-f9t", "e810-gpsdo", "cm4-m8t", "harsh"), Scenarios.presets());
        SimParameters i210 = Scenarios.resolve("i210-f9t", Map.of());
        assertEquals(23_700, i210.oscFreqPpb());
        assertTrue(i210.nicBothEdges());
        assertEquals(4500, i210.phcStepErrorNs());
        SimParameters cm4 = Scenarios.resolve("cm4-m8t", Map.of());
        assertEquals(8, cm4.phcTickNs());
        assertEquals(21, cm4.ppsSawtoothNs());
        assertEquals(1, cm4.nicDeliveryMinMs());
        assertEquals(250, cm4.nicDeliveryMaxMs());
        SimParameters harsh = Scenarios.resolve("harsh", Map.of());
        assertEquals(List.of(new Window(3600, 120), new Window(40_000, 900)), harsh.ppsOutages());
        assertEquals(List.of(new Window(20_000, 600)), harsh.sysUntrusted());
        assertEquals(200_000_000L, harsh.ppsWidthNs());
        assertEquals(-87_000, harsh.oscFreqPpb());
        SimParameters e810 = Scenarios.resolve("e810-gpsdo", Map.of());
        assertEquals(50, e810.xtsWidthNs());
        assertEquals(3600, e810.oscTempPeriodS());
    }

    @Test
    void overridesApplyOnTopOfThePreset() {
        SimParameters p = Scenarios.resolve("harsh",
                Scenarios.parseAssignments(List.of("pps.outages=none", "nic.delivery_ms=2:3", "sim.duration=60")));
        assertEquals(List.of(), p.ppsOutages());
        assertEquals(2, p.nicDeliveryMinMs());
        assertEquals(3, p.nicDeliveryMaxMs());
        assertEquals(60, p.durationS());
        assertEquals(-87_000, p.oscFreqPpb());
    }

    @Test
    void mistakesAreOneLineNamingTheKey() {
        assertMessage("unknown scenario 'i211'", () -> Scenarios.resolve("i211", Map.of()));
        assertMessage("unknown simulation key 'osc.freq'", () -> Scenarios.resolve("harsh", Map.of("osc.freq", "1")));
        assertMessage("bad value 'fast' for osc.freq_ppb", () -> Scenarios.resolve("harsh",
                Map.of("osc.freq_ppb", "fast")));
        assertMessage("bad value '1.5' for pps.miss_prob", () -> Scenarios.resolve("harsh",
                Map.of("pps.miss_prob", "1.5")));
        assertMessage("bad value '3600-120' for pps.outages", () -> Scenarios.resolve("harsh",
                Map.of("pps.outages", "3600-120")));
        assertMessage("bad value '10:0' for sys.untrusted", () -> Scenarios.resolve("harsh",
                Map.of("sys.untrusted", "10:0")));
        assertMessage("bad value '5:1' for nic.delivery_ms", () -> Scenarios.resolve("harsh",
                Map.of("nic.delivery_ms", "5:1")));
        assertMessage("bad value 'yes' for nic.both_edges", () -> Scenarios.resolve("harsh",
                Map.of("nic.both_edges", "yes")));
        assertMessage("bad value '0' for phc.tick_ns", () -> Scenarios.resolve("harsh", Map.of("phc.tick_ns", "0")));
        assertMessage("bad value 'insert@1798761601' for sim.leap: expected none, insert@UTC_S or delete@UTC_S",
                () -> Scenarios.resolve("harsh", Map.of("sim.leap", "insert@1798761601")));
        assertMessage("bad value 'add@1798761600' for sim.leap", () -> Scenarios.resolve("harsh",
                Map.of("sim.leap", "add@1798761600")));
        assertMessage("--set needs KEY=VALUE, got 'osc.freq_ppb'",
                () -> Scenarios.parseAssignments(List.of("osc.freq_ppb")));
    }

    @Test
    void simLeapIsNoneOrAnInsertedOrDeletedSecondAtAUtcMidnight() {
        assertEquals(LeapState.fixed(37, "sim"), Scenarios.resolve("e810-gpsdo", Map.of()).leap());
        assertEquals(new LeapState(37, Leap.INSERT, 1_798_761_600L, "sim"),
                Scenarios.resolve("e810-gpsdo", Map.of("sim.leap", "insert@1798761600")).leap());
        assertEquals(new LeapState(37, Leap.DELETE, 1_798_761_600L, "sim"),
                Scenarios.resolve(Scenarios.DEFAULT, Map.of("sim.leap", "delete@1798761600")).leap());
    }

    @Test
    void faultKeysParseToTheirFaults() {
        SimParameters p = Scenarios.resolve("i210-f9t", Map.of(
                "tai.glitch", "3600:20:-1,7200:5:2",
                "sys.steps", "100:1500,200.25:-0.5",
                "phc.external_steps", "300:-1000000000",
                "phc.external_freq", "400.5:50000",
                "nic.reports_edges", "single",
                "nic.removed", "500:30"));
        Faults f = p.faults();
        assertEquals(List.of(new Faults.TaiGlitch(new Window(3600, 20), -1),
                new Faults.TaiGlitch(new Window(7200, 5), 2)), f.taiGlitches());
        assertEquals(List.of(new Faults.At(100_000_000_000L, 1500), new Faults.At(200_250_000_000L, -0.5)),
                f.sysSteps());
        assertEquals(List.of(new Faults.At(300_000_000_000L, -1e9)), f.phcExternalSteps());
        assertEquals(List.of(new Faults.At(400_500_000_000L, 50_000)), f.phcExternalFreq());
        assertEquals(Faults.ReportedEdges.SINGLE, f.reportedEdges());
        assertEquals(List.of(new Window(500, 30)), f.nicRemoved());
        assertEquals(Faults.NONE, Scenarios.resolve("harsh", Map.of()).faults(), "no preset injects a fault");
    }

    @Test
    void badFaultValuesAreOneLineNamingTheKey() {
        assertMessage("bad value '3600:20' for tai.glitch: expected none or START_S:LENGTH_S:DELTA_S",
                () -> Scenarios.resolve("harsh", Map.of("tai.glitch", "3600:20")));
        assertMessage("bad value '3600:20:0' for tai.glitch", () -> Scenarios.resolve("harsh",
                Map.of("tai.glitch", "3600:20:0")));
        assertMessage("bad value '10:x' for sys.steps: expected none or AT_S:DELTA_MS", () -> Scenarios.resolve(
                "harsh", Map.of("sys.steps", "10:x")));
        assertMessage("bad value '-1:5' for sys.steps", () -> Scenarios.resolve("harsh", Map.of("sys.steps", "-1:5")));
        assertMessage("bad value '10:1.5' for phc.external_steps: expected none or AT_S:DELTA_NS", () ->
                Scenarios.resolve("harsh", Map.of("phc.external_steps", "10:1.5")));
        assertMessage("bad value '10:70000000' for phc.external_freq", () -> Scenarios.resolve("harsh",
                Map.of("phc.external_freq", "10:70000000")));
        assertMessage("bad value 'two' for nic.reports_edges: expected auto", () -> Scenarios.resolve("harsh",
                Map.of("nic.reports_edges", "two")));
        assertMessage("bad value '0:30' for nic.removed", () -> Scenarios.resolve("harsh",
                Map.of("nic.removed", "0:30")));
        assertMessage("bad value '10' for nic.removed", () -> Scenarios.resolve("harsh",
                Map.of("nic.removed", "10")));
    }

    @Test
    void docsSimulatorMdSpecifiesEveryKeyAndMetricAndPointsNowhereOutsideTheProject() throws Exception {
        String doc = Files.readString(Path.of("docs/simulator.md"));
        for (String key : Scenarios.keys()) {
            assertTrue(doc.contains("| `" + key + "` |"), key + " has its row in docs/simulator.md");
        }
        for (String metric : Metrics.NAMES) {
            assertTrue(doc.contains("- `" + metric + "`") || doc.contains(", `" + metric + "`"),
                    metric + " is defined in docs/simulator.md");
        }
        for (String preset : Scenarios.presets()) {
            assertTrue(doc.contains("| `" + preset + "` |"), preset + " has its row in docs/simulator.md");
        }
        assertFalse(doc.contains("shared/"), "docs/simulator.md stands alone");
    }

    private static void assertMessage(String start, Runnable r) {
        ScenarioException e = assertThrows(ScenarioException.class, r::run);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
