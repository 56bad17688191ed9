package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.Leap;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ClockException;

class SimWorldTest {
    private static final long S = 1_000_000_000L;
    private static final long START = 1_780_272_037L * S;

    /** A quiet world: no noise at all unless {@code kv} adds it. */
    private static SimParameters quiet(String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("osc.rw_ppb_per_sqrt_s", "0");
        o.put("osc.wfm_adev", "0");
        o.put("pps.jitter_ns", "0");
        o.put("phc.initial_offset_s", "0");
        o.put("sys.jitter_ms", "0");
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return Scenarios.resolve(Scenarios.DEFAULT, o);
    }

    private static List<ExttsEvent> events(SimWorld world, long untilS) throws Exception {
        List<ExttsEvent> out = new ArrayList<>();
        SimPulseSource source = new SimPulseSource(world);
        while (world.nowNs() < untilS * S) {
            Optional<ExttsEvent> e = source.next(untilS * S - world.nowNs());
            e.ifPresent(out::add);
        }
        return out;
    }

    @Test
    void freeRunningPhaseGrowsAtTheOscillatorsFrequency() {
        SimWorld world = new SimWorld(quiet("osc.freq_ppb", "1234.5"), 1, 200);
        world.advanceTo(100 * S + S / 2);
        assertEquals(100.5 * 1234.5, world.thetaNs(), 1e-6);
        double[] te = world.groundTruth().teNs();
        assertEquals(101, te.length);
        assertEquals(0, te[0], 1e-9);
        assertEquals(37 * 1234.5, te[37], 1e-6);
    }

    @Test
    void temperatureTermIsTheIntegralOfTheSinusoid() {
        SimWorld world = new SimWorld(quiet("osc.temp_amp_ppb", "20", "osc.temp_period_s", "1800"), 1, 0);
        world.advanceTo(900 * S);
        // integral of A sin(2 pi t / P) over half a period = A P / pi
        assertEquals(20 * 1800 / Math.PI, world.thetaNs(), 1e-6);
        world.advanceTo(1800 * S);
        assertEquals(0, world.thetaNs(), 1e-6);
    }

    @Test
    void randomWalkAndWhiteFmHaveTheirVariance() {
        SimWorld world = new SimWorld(quiet("osc.wfm_adev", "1e-9"), 7, 10_001);
        world.advanceTo(10_000 * S);
        double[] te = world.groundTruth().teNs();
        double sumSq = 0;
        for (int k = 1; k < te.length; k++) {
            double d = te[k] - te[k - 1];
            sumSq += d * d;
        }
        double sigma = Math.sqrt(sumSq / (te.length - 1));
        assertEquals(1.0, sigma, 0.05, "white FM: 1 s phase increments of 1 ns rms");
    }

    @Test
    void frequencyIsQuantisedToTheKernelsUnitAndTakesEffectWhenDialled() throws ClockException {
        SimWorld world = new SimWorld(quiet(), 1, 0);
        SimPhcClock phc = new SimPhcClock(world);
        world.advanceTo(10 * S);
        phc.setFrequencyPpb(1.0);
        double unit = 1000.0 / 65536.0;
        assertEquals(66 * unit, phc.frequencyPpb(), 1e-12);
        world.advanceTo(20 * S);
        assertEquals(10 * 66 * unit, world.thetaNs(), 1e-9);
    }

    @Test
    void frequencyBeyondMaxAdjIsRefused() throws ClockException {
        SimPhcClock phc = new SimPhcClock(new SimWorld(quiet("phc.max_adj_ppb", "1000000"), 1, 0));
        phc.setFrequencyPpb(-1_000_000);
        ClockException e = assertThrows(ClockException.class, () -> phc.setFrequencyPpb(1_000_001));
        assertTrue(e.getMessage().contains("ERANGE"), e.getMessage());
        assertEquals(-1_000_000, phc.frequencyPpb(), 0.01);
    }

    @Test
    void stepLandsLateByUpToTheStepError() throws ClockException {
        for (long seed = 1; seed <= 20; seed++) {
            SimWorld world = new SimWorld(quiet("phc.step_error_ns", "4500", "phc.initial_offset_s", "-37.2"), seed,
                    0);
            world.advanceTo(S / 3);
            new SimPhcClock(world).step(37_200_000_000L);
            double theta = world.thetaNs();
            assertTrue(theta <= 0 && theta >= -4500, "theta after the step: " + theta);
        }
    }

    @Test
    void timestampsAreTruncatedToTheTick() throws Exception {
        SimWorld world = new SimWorld(quiet("phc.tick_ns", "8", "phc.initial_offset_s", "13e-9"), 1, 0);
        List<ExttsEvent> ev = events(world, 5);
        assertEquals(5, ev.size(), "pulses 0..4");
        for (int k = 0; k < ev.size(); k++) {
            assertEquals(START + k * S + 8, ev.get(k).phcNs(), "x = t_k + 13 ns truncated to 8 ns");
        }
    }

    @Test
    void sawtoothFollowsTheSpecsFormula() throws Exception {
        assertEquals(-0.2 * 21, SimWorld.sawtoothNs(0, 21), 1e-12);
        double x = 0.0137 * 1234 + 0.001 * Math.sin(2 * Math.PI * 1234 / 5000.0) + 0.3;
        assertEquals(21 * (x - Math.floor(x) - 0.5), SimWorld.sawtoothNs(1234, 21), 1e-12);
        SimWorld world = new SimWorld(quiet("pps.sawtooth_ns", "21"), 1, 0);
        List<ExttsEvent> ev = events(world, 30);
        for (int k = 0; k < ev.size(); k++) {
            long expected = (long) Math.floor(SimWorld.sawtoothNs(k + 1L, 21));
            assertEquals(START + (k + 1L) * S + expected, ev.get(k).phcNs(), "pulse " + (k + 1));
        }
    }

    @Test
    void outagesAndMissingPulsesProduceNoEvents() throws Exception {
        SimWorld world = new SimWorld(quiet("pps.outages", "10:5,20:1"), 1, 0);
        List<Long> seconds = events(world, 30).stream().map(e -> (e.phcNs() - START + S / 2) / S).toList();
        List<Long> expected = new ArrayList<>();
        for (long k = 0; k < 30; k++) {
            if (!(k >= 10 && k < 15) && k != 20) {
                expected.add(k);
            }
        }
        assertEquals(expected, seconds);

        SimWorld lossy = new SimWorld(quiet("pps.miss_prob", "0.5"), 3, 0);
        int n = events(lossy, 2000).size();
        assertTrue(n > 900 && n < 1100, "about half of 2000 pulses: " + n);
    }

    @Test
    void bothEdgesComeAWidthApartAndGlitchesAddEvents() throws Exception {
        SimWorld world = new SimWorld(quiet("nic.both_edges", "true", "pps.width_ms", "200"), 1, 0);
        assertEquals(EdgeMode.BOTH, new SimPulseSource(world).edgeMode());
        List<ExttsEvent> ev = events(world, 10);
        assertEquals(20, ev.size());
        for (int i = 1; i < ev.size(); i++) {
            long gap = ev.get(i).phcNs() - ev.get(i - 1).phcNs();
            assertEquals(i % 2 == 1 ? 200_000_000L : 800_000_000L, gap, 1);
        }
        SimWorld glitchy = new SimWorld(quiet("pps.glitch_prob", "0.5"), 1, 0);
        int n = events(glitchy, 1000).size();
        assertTrue(n > 1400 && n < 1600, "1000 pulses and about 500 glitches: " + n);
    }

    @Test
    void eventsArriveWithinTheDeliveryWindowInOrderWithAFreshCrossTimestamp() throws Exception {
        SimWorld world = new SimWorld(quiet("nic.delivery_ms", "1:250", "xts.width_ns", "0",
                "sys.offset_ms", "0", "phc.initial_offset_s", "-37"), 1, 0);
        List<ExttsEvent> ev = events(world, 300);
        long previous = Long.MIN_VALUE;
        for (int k = 0; k < ev.size(); k++) {
            ExttsEvent e = ev.get(k);
            long edgeSim = k * S;
            long delay = e.monoNs() - edgeSim;
            assertTrue(delay >= 1_000_000 && delay <= 250_000_000, "delay " + delay);
            assertTrue(e.monoNs() >= previous);
            previous = e.monoNs();
            assertEquals(delay, e.ageNs());
            // PHC at TAI - 37 s: the cross-timestamp's system time is UTC, the same instant
            assertEquals(e.xts().phcNs(), e.xts().sysNs());
        }
    }

    @Test
    void sameSeedSameWorldOtherSeedOtherWorld() throws Exception {
        SimParameters p = Scenarios.resolve("harsh", Map.of());
        List<ExttsEvent> a = events(new SimWorld(p, 42, 0), 600);
        List<ExttsEvent> b = events(new SimWorld(p, 42, 0), 600);
        List<ExttsEvent> c = events(new SimWorld(p, 43, 0), 600);
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void timeOfDayIsUntrustedInsideItsWindowsAndCarriesTaiMinusUtc() {
        SimWorld world = new SimWorld(quiet("sys.untrusted", "5:3", "sys.bound_ms", "60"), 1, 0);
        SimTimeOfDay tod = new SimTimeOfDay(world);
        TodVerdict v = tod.query();
        assertTrue(v.trusted());
        assertEquals(60e6, v.errorBoundNs(), 1e-6);
        assertEquals(37, v.leap().taiMinusUtcS());
        world.advanceTo(5 * S);
        assertFalse(tod.query().trusted());
        world.advanceTo(8 * S - 1);
        assertFalse(tod.query().trusted());
        world.advanceTo(8 * S);
        assertTrue(tod.query().trusted());
    }

    @Test
    void pacedWorldRunsWithTheWallClock() throws Exception {
        SimWorld world = new SimWorld(quiet(), 1, 0);
        world.pace(20);
        SimPulseSource source = new SimPulseSource(world);
        long wallStart = System.nanoTime();
        int events = 0;
        while (events < 3) {
            if (source.next(S).isPresent()) {
                events++;
            }
        }
        long wallNs = System.nanoTime() - wallStart;
        long simNs = world.nowNs();
        assertTrue(simNs >= 2 * S, "three pulses take two simulated seconds: " + simNs);
        assertTrue(wallNs >= (simNs - S / 10) / 20, "paced at 20x: " + wallNs + " ns of wall for " + simNs);
    }

    @Test
    void aLeapSecondShowsInTheSystemClockAndTheTimeOfDayVerdict() {
        long midnight = 1_798_761_600L; // 2027-01-01
        for (String kind : List.of("insert", "delete")) {
            // TAI 10 s before midnight
            SimWorld world = new SimWorld(quiet("sim.leap", kind + "@" + midnight, "sim.start",
                    Long.toString(midnight - 10 + 37), "sys.offset_ms", "0", "xts.width_ns", "0"), 1, 0);
            TodVerdict tod = world.timeOfDay();
            assertEquals(kind.equals("insert") ? Leap.INSERT : Leap.DELETE, tod.leap().pending());
            assertEquals(midnight, tod.leap().leapAtUtcS());
            assertEquals((midnight - 10) * S, world.utcNowNs());
            assertEquals((midnight - 10) * S, world.crossTimestamp().sysNs());
            boolean insert = kind.equals("insert");
            world.advanceTo(8 * S + S / 2);
            assertEquals((midnight - 2) * S + S / 2, world.utcNowNs(), "23:59:58.5");
            // an inserted 23:59:60 repeats 23:59:59 (as CLOCK_REALTIME does); a deleted 23:59:59 is skipped
            world.advanceTo(9 * S + S / 2);
            assertEquals(insert ? (midnight - 1) * S + S / 2 : midnight * S + S / 2, world.utcNowNs(), kind);
            world.advanceTo(10 * S + S / 2);
            long expected = insert ? (midnight - 1) * S + S / 2 : (midnight + 1) * S + S / 2;
            assertEquals(expected, world.utcNowNs(), kind);
            assertEquals(expected, world.crossTimestamp().sysNs(), kind);
            world.advanceTo(12 * S);
            assertEquals((midnight + (insert ? 1 : 3)) * S, world.utcNowNs(), kind);
            assertEquals(insert ? 38 : 36, world.timeOfDay().leap().taiMinusUtcAtUtc(world.utcNowNs()));
        }
    }

    @Test
    void externalStepsAndFrequenciesChangeThePhcAtTheirInstant() throws ClockException {
        SimWorld world = new SimWorld(quiet("phc.external_steps", "10.5:-1000000000,20:250",
                "phc.external_freq", "30.25:1000"), 1, 0);
        world.advanceTo(10 * S + S / 2 - 1);
        assertEquals(0, world.thetaNs(), 1e-9);
        world.advanceTo(10 * S + S / 2);
        assertEquals(-1e9, world.thetaNs(), 1e-9);
        world.advanceTo(20 * S);
        assertEquals(-1e9 + 250, world.thetaNs(), 1e-9);
        world.advanceTo(31 * S + S / 4);
        assertEquals(-1e9 + 250 + 1000, world.thetaNs(), 1e-6, "1000 ppb for one second");
        assertEquals(1000, new SimPhcClock(world).frequencyPpb(), 0.01, "the other process's frequency shows");
        assertEquals(List.of(), world.stepTimesNs(), "an external step is not the engine's");
    }

    @Test
    void sysStepsShiftTheSystemClockFromTheirInstantOn() {
        SimWorld world = new SimWorld(quiet("sys.offset_ms", "0", "xts.width_ns", "0", "phc.initial_offset_s",
                "-37", "sys.steps", "5:1500,8.5:-2000"), 1, 0);
        world.advanceTo(4 * S);
        CrossTimestamp x = world.crossTimestamp();
        assertEquals(x.phcNs(), x.sysNs());
        world.advanceTo(5 * S);
        x = world.crossTimestamp();
        assertEquals(x.phcNs() + 1_500_000_000L, x.sysNs());
        world.advanceTo(9 * S);
        x = world.crossTimestamp();
        assertEquals(x.phcNs() - 500_000_000L, x.sysNs());
        assertEquals(9 * S + START - 37 * S, world.utcNowNs(), "true UTC is not stepped");
    }

    @Test
    void aTaiGlitchShowsOnlyInTheReportedOffsetInsideItsWindow() {
        SimWorld world = new SimWorld(quiet("tai.glitch", "5:3:-1", "sys.offset_ms", "0", "xts.width_ns", "0",
                "phc.initial_offset_s", "-37"), 1, 0);
        assertEquals(37, world.timeOfDay().leap().taiMinusUtcS());
        world.advanceTo(5 * S);
        TodVerdict v = world.timeOfDay();
        assertTrue(v.trusted(), "chrony is synchronised; only the offset it reports is wrong");
        assertEquals(36, v.leap().taiMinusUtcS());
        CrossTimestamp x = world.crossTimestamp();
        assertEquals(x.phcNs(), x.sysNs(), "the system clock itself is right");
        world.advanceTo(8 * S);
        assertEquals(37, world.timeOfDay().leap().taiMinusUtcS());
    }

    @Test
    void reportedEdgesAreWhatArmingSaysWhateverTheNicDoes() {
        assertEquals(EdgeMode.SINGLE, new SimPulseSource(new SimWorld(quiet("nic.both_edges", "true",
                "nic.reports_edges", "single"), 1, 0)).edgeMode());
        assertEquals(EdgeMode.BOTH, new SimPulseSource(new SimWorld(quiet("nic.reports_edges", "both"), 1, 0))
                .edgeMode());
        assertEquals(EdgeMode.BOTH, new SimPulseSource(new SimWorld(quiet("nic.both_edges", "true"), 1, 0))
                .edgeMode());
    }

    @Test
    void aRemovedDeviceFailsEveryCallAsEnodevThenComesBackWithItsFrequencyCleared() throws Exception {
        SimWorld world = new SimWorld(quiet("nic.removed", "5:3"), 1, 0);
        SimPulseSource source = new SimPulseSource(world);
        SimPhcClock phc = new SimPhcClock(world);
        phc.setFrequencyPpb(500);
        List<ExttsEvent> before = new ArrayList<>();
        ClockException gone = null;
        while (gone == null) {
            try {
                source.next(S).ifPresent(before::add);
            } catch (ClockException e) {
                gone = e;
            }
        }
        assertEquals(5 * S, world.nowNs(), "it fails from the window's start");
        assertEquals(5, before.size(), "pulses 0..4");
        assertTrue(gone.getMessage().contains("ENODEV"), gone.getMessage());
        assertThrows(ClockException.class, () -> phc.setFrequencyPpb(1));
        assertThrows(ClockException.class, () -> phc.step(1));
        assertThrows(ClockException.class, phc::frequencyPpb);
        world.advanceTo(8 * S);
        assertFalse(world.deviceRemoved());
        assertEquals(0, phc.frequencyPpb(), "back with its adjustment cleared");
        List<ExttsEvent> after = events(world, 12);
        assertEquals(4, after.size(), "pulses 8..11; none stamped while it was gone");
        assertEquals(8 * S, after.get(0).phcNs() - START, 1e6);
    }
}

