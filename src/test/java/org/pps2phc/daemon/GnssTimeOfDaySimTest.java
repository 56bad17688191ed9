package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pps2phc.config.Settings;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.sim.Metrics;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.SimParameters;
import org.pps2phc.sim.SimRunner;

/**
 * The receiver as the only time of day (tod.source=gnss, no chrony at all): the daemon's receiver path reads the
 * simulated byte stream in virtual time, and the run is judged on ground truth.
 */
class GnssTimeOfDaySimTest {
    /** What the engine said each second of a run. */
    record Seen(SimRunner.Result result, Snapshot[] snapshots, double[] te) {
        String context() {
            return result.metrics().toJson(result.scenario(), result.servo()) + " state changes "
                    + result.log().stateChanges();
        }
    }

    static SimRunner.Result run(String scenario, long seed, boolean qErrCorrection, String... kv) {
        return watch(scenario, seed, qErrCorrection, kv).result();
    }

    static Seen watch(String scenario, long seed, boolean qErrCorrection, String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("tod.source", "gnss");
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        SimParameters p = Scenarios.resolve(scenario, o);
        String servo = DisciplineConfig.defaults().servoName();
        int n = (int) p.durationS();
        Snapshot[] snapshots = new Snapshot[n];
        double[] te = new double[n];
        SimRunner.Result r = SimRunner.run(scenario, p, DisciplineConfig.defaults(), servo,
                (config, dialled, maxAdj) -> SimRunner.servo(servo, p, config, dialled, maxAdj), seed, null,
                (k, teNs, snapshot) -> {
                    snapshots[(int) k] = snapshot;
                    te[(int) k] = teNs;
                }, Assemblies.simulatedReceiver(qErrCorrection));
        return new Seen(r, snapshots, te);
    }

    /** The first second from which the time of day stayed trusted to the end, or -1. */
    static int trustedFrom(Seen seen, int from, int to) {
        int since = -1;
        for (int k = from; k < to; k++) {
            boolean t = seen.snapshots()[k].tod() != null && seen.snapshots()[k].tod().trusted();
            since = t ? (since < 0 ? k : since) : -1;
        }
        return since;
    }

    /** The seconds in [from, to) at which the time of day was trusted. */
    static int trustedSeconds(Seen seen, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            n += seen.snapshots()[k].tod() != null && seen.snapshots()[k].tod().trusted() ? 1 : 0;
        }
        return n;
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

    /** The pairing's reset on an offset it took for a move of the receiver's time against the pulses. */
    static final String AFRESH = "measuring afresh";

    /** The times in [from, to) the time of day turned to "measuring afresh" (each reset, however long). */
    static int resets(Seen seen, int from, int to) {
        int n = 0;
        boolean before = false;
        for (int k = from; k < to; k++) {
            boolean now = seen.snapshots()[k].tod() != null && seen.snapshots()[k].tod().summary().contains(AFRESH);
            n += now && !before ? 1 : 0;
            before = now;
        }
        return n;
    }

    /** The second the run locked at. */
    static int locked(Seen seen) {
        return (int) seen.result().metrics().value("lockTimeS");
    }

    @ParameterizedTest(name = "harsh delay {0}")
    @CsvSource({"0:50", "100:150", "250:300", "350:450", "480:520", "700:750", "850:900"})
    void harshsReadingJitterNeitherResetsThePairingNorSlowsTheLock(String delay) {
        // harsh reads the system clock with 5 ms of white noise on each reading (the edge's and the offset's): the
        // pairing must tell that from a receiver whose time moves against the pulses, and lock about as fast as
        // elsewhere (7-14 s). It measures the readings' spread from its first steps on, so a reset in the first
        // seconds, on a spread measured from two or three steps, is allowed; none once locked
        for (long seed = 1; seed <= 3; seed++) {
            Seen seen = watch("harsh", seed, true, "sim.duration", "600", "gnss.delay_ms", delay);
            assertRight(seen.result());
            assertEquals(0, resets(seen, locked(seen), 600), "seed " + seed + " " + seen.context());
            assertTrue(seen.result().metrics().value("lockTimeS") <= 15, "seed " + seed + " " + seen.context());
        }
    }

    @ParameterizedTest(name = "{0} sys.jitter_ms {1} delay {2}")
    @CsvSource({"harsh, 10, 100:150", "harsh, 10, 480:520", "harsh, 20, 100:150", "harsh, 20, 350:450",
        "harsh, 20, 850:900", "i210-f9t, 10, 250:300", "i210-f9t, 20, 250:300", "i210-f9t, 20, 700:750"})
    void readingJitterUpTo20msLocksWithNoWrongSecond(String scenario, double jitterMs, String delay) {
        // the old fixed 5 ms reset the pairing on most pulses here and locked after minutes, or never. Up to 10 ms
        // three times the spread is under the 100 ms ceiling: no reset once locked. At 20 ms each offset step
        // scatters by 40 ms (two readings on each side) and the ceiling is 2.5 of that: about 1 % of the pairings
        // reset, a few in ten minutes
        int allowed = jitterMs <= 10 ? 0 : 15;
        for (long seed = 1; seed <= 3; seed++) {
            Seen seen = watch(scenario, seed, true, "sim.duration", "600", "sys.jitter_ms", Double.toString(jitterMs),
                    "gnss.delay_ms", delay);
            assertRight(seen.result());
            int resets = resets(seen, locked(seen), 600);
            assertTrue(resets <= allowed, "seed " + seed + ": " + resets + " resets " + seen.context());
            assertTrue(seen.result().metrics().value("lockTimeS") <= 20, "seed " + seed + " " + seen.context());
        }
    }

    @Test
    void aVoidIsHeldThroughAndTheReceiverTrustedAgainAfterIt() {
        for (String protocol : new String[] {"nmea", "ubx", "both"}) {
            Seen seen = watch("default", 2, true, "sim.duration", "900", "gnss.protocol", protocol,
                    "gnss.void", "300:120");
            SimRunner.Result r = seen.result();
            assertRight(r);
            assertEquals(0, r.metrics().value("steps"), seen.context());
            assertEquals(0, trustedSeconds(seen, 303, 420), protocol + ": untrusted through the void (from the first void burst"
                    + " paired, within 2 s)");
            int back = trustedFrom(seen, 420, 900);
            assertTrue(back >= 420 && back < 430, protocol + ": trusted again " + back + " " + seen.context());
            for (int k = 300; k < 900; k++) {
                assertEquals(State.LOCKED, seen.snapshots()[k].state(), protocol + " second " + k);
            }
        }
    }

    @Test
    void aVoidFromTheStartKeepsTheEngineUnlabelledUntilTheFix() {
        Seen seen = watch("cm4-m8t", 1, true, "sim.duration", "900", "gnss.void", "0:200");
        assertRight(seen.result());
        assertTrue(seen.result().metrics().value("lockTimeS") >= 200, seen.context());
        for (int k = 0; k < 200; k++) {
            assertEquals(State.FREE_RUNNING, seen.snapshots()[k].state(), "second " + k);
        }
    }

    @ParameterizedTest(name = "{0} bad_utc {1}")
    @CsvSource({"default, 300:120:1", "default, 300:120:-1", "default, 300:120:5", "default, 300:120:-37",
        "cm4-m8t, 300:120:1", "cm4-m8t, 300:120:-18", "harsh, 300:120:-1", "i210-f9t, 300:120:2"})
    void aFirmwaresWrongUtcOnceAnchoredIsKeptOut(String scenario, String badUtc) {
        Seen seen = watch(scenario, 1, true, "sim.duration", "900", "gnss.bad_utc", badUtc);
        assertRight(seen.result());
        assertEquals(0, seen.result().metrics().value("steps"), seen.context());
        for (int k = 300; k < 900; k++) {
            assertTrue(Math.abs(seen.te()[k]) < 1e6, "second " + k + " TE " + seen.te()[k]);
        }
    }

    @ParameterizedTest(name = "{0} bad_utc {1}")
    @CsvSource({"cm4-m8t, 0:200:1", "cm4-m8t, 0:200:-1", "i210-f9t, 0:200:3", "i210-f9t, 0:200:-18"})
    void aFirmwaresWrongUtcBeforeAnchoringIsUntrustedWhereUbxTellsTheLeapSource(String scenario, String badUtc) {
        // NAV-TIMELS names the firmware as the source of its leap seconds: the receiver is untrusted until it learns
        // them from the constellation, so the engine labels nothing on the wrong UTC
        Seen seen = watch(scenario, 1, true, "sim.duration", "900", "gnss.bad_utc", badUtc);
        assertRight(seen.result());
        assertEquals(0, trustedSeconds(seen, 0, 200), seen.context());
        assertTrue(seen.result().metrics().value("lockTimeS") >= 200, seen.context());
    }

    @Test
    void aFirmwaresWrongUtcFromPowerOnIsNotKeptForGoodOnceTheReceiverIsRight() {
        // with NMEA alone nothing can tell the firmware's UTC is wrong: the PHC is anchored (and locked) 2 s off.
        // Once the receiver is right again the seconds are disputed (not locked) and, after tod_overrule of the
        // same disagreement, relabelled. The receiver path needs a few bursts to show the new UTC (up to 5 s)
        int rightFromS = 200;
        long overruleS = DisciplineConfig.defaults().todOverruleNs() / DisciplineConfig.SECOND_NS;
        int n = (int) (rightFromS + overruleS + 200);
        Seen seen = watch("default", 1, true, "sim.duration", Integer.toString(n), "gnss.bad_utc",
                "0:" + rightFromS + ":2");
        int relabelledS = -1;
        for (int k = rightFromS + 5; k < n; k++) {
            boolean right = Math.abs(seen.te()[k]) < 1e3;
            assertTrue(right || seen.snapshots()[k].state() != State.LOCKED,
                    "locked while " + seen.te()[k] + " ns off at second " + k + " " + seen.context());
            if (relabelledS < 0 && Math.abs(seen.te()[k]) < 0.5e9) {
                relabelledS = k;
            }
        }
        assertTrue(relabelledS >= rightFromS + overruleS && relabelledS <= rightFromS + overruleS + 5,
                "relabelled at " + relabelledS + " " + seen.context());
        assertEquals(State.LOCKED, seen.snapshots()[n - 1].state(), seen.context());
        assertTrue(Math.abs(seen.te()[n - 1]) < 100, "TE at the end " + seen.te()[n - 1]);
    }

    @Test
    void aReceiverWrongForLessThanTheOverruleOnceLockedIsOutlastedWithoutAStep() {
        // the same receiver after a reboot: wrong for its almanac wait (at most 12.5 min), after a right anchor
        Seen seen = watch("default", 1, true, "sim.duration", "1500", "gnss.bad_utc", "300:750:2");
        assertRight(seen.result());
        assertEquals(0, seen.result().metrics().value("steps"), seen.context());
        for (int k = 305; k < 1050; k++) {
            assertTrue(seen.snapshots()[k].state() != State.LOCKED, "disputed, not locked: second " + k);
        }
        for (int k = 1060; k < 1500; k++) {
            assertEquals(State.LOCKED, seen.snapshots()[k].state(), "second " + k + " " + seen.context());
            assertTrue(Math.abs(seen.te()[k]) < 100, "second " + k + " TE " + seen.te()[k]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"default", "harsh", "cm4-m8t", "i210-f9t"})
    void aFifthOfTheBurstsMissing(String scenario) {
        assertRight(run(scenario, 3, true, "sim.duration", "900", "gnss.miss_prob", "0.2"));
    }

    @Test
    void zdaLastInATwoSecondBurstAt9600() {
        // 2.1 s on the line per burst: the receiver sends every third epoch; the burst's first byte dates it
        Seen seen = watch("default", 1, true, "sim.duration", "900", "gnss.protocol", "nmea", "gnss.baud", "9600",
                "gnss.burst_bytes", "2000", "gnss.delay_ms", "120:130");
        assertRight(seen.result());
        assertTrue(seen.result().metrics().value("lockTimeS") < 120, seen.context());
    }

    @Test
    void rmcComplete150msAfterA100msPulseOnADualEdgeNic() {
        // the RMC (about 70 bytes, 73 ms at 9600) ends 150 ms after the pulse, after the trailing edge at 100 ms:
        // ts2phc pairs it with that edge; the pairing here starts from the burst's first byte
        assertRight(run("i210-f9t", 1, true, "sim.duration", "900", "gnss.protocol", "nmea", "gnss.baud", "9600",
                "gnss.delay_ms", "76:78", "pps.width_ms", "100"));
    }

    @Test
    void anExttsEventDelivered250msLateAfterTheMessages() {
        assertRight(run("cm4-m8t", 1, true, "sim.duration", "900", "gnss.baud", "115200",
                "gnss.delay_ms", "40:60", "nic.delivery_ms", "250:260"));
    }

    @Test
    void qErrCorrectionTakesTheSawtoothOut() {
        double on = run("cm4-m8t", 1, true, "sim.duration", "1800").metrics().value("rmsNs");
        double off = run("cm4-m8t", 1, false, "sim.duration", "1800").metrics().value("rmsNs");
        assertTrue(on < 0.8 * off, "rms with qErr " + on + " ns, without " + off + " ns");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"i210-f9t, insert", "cm4-m8t, insert", "default, insert", "cm4-m8t, delete", "default, delete"})
    void throughALeapSecond(String scenario, String kind) {
        // five minutes before the 2027-01-01 midnight: 23:59:60 in every message, or 23:59:59 left out
        long midnight = 1_798_761_600L;
        Seen seen = watch(scenario, 1, true, "sim.duration", "900", "sim.leap", kind + "@" + midnight,
                "sim.start", Long.toString(midnight - 300 + 37));
        assertRight(seen.result());
        assertEquals(0, seen.result().metrics().value("steps"), seen.context());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"sys.offset_ms, 86400000", "sys.offset_ms, -3000", "sys.steps, 300:2000"})
    void aSystemClockThatIsWrongOrSteppedChangesNothing(String key, String value) {
        // the receiver measures the system clock against UTC on every pulse: no chrony to set it right
        assertRight(run("default", 1, true, "sim.duration", "900", key, value));
    }

    @ParameterizedTest(name = "delay {0} ms")
    @CsvSource({"350:450", "600:650"})
    void aSquareWaveWithNoNmeaDelayAndNoSynchronisedClockIsNeverLockedOnAGuessedEdge(String delay) {
        // 50 % duty: messages 400 ms after the leading edge and 600 ms after it (100 ms after the trailing one)
        // look alike; with nothing to tell them apart the receiver names no second, and says why
        Seen seen = watch("i210-f9t", 1, true, "sim.duration", "300", "pps.width_ms", "500", "gnss.delay_ms", delay);
        Metrics m = seen.result().metrics();
        assertEquals(0, m.value("falseLockS"), seen.context());
        assertEquals(0, m.value("wrongSecondCount"), seen.context());
        assertEquals(0, trustedSeconds(seen, 0, 300), seen.context());
        assertTrue(seen.snapshots()[299].tod().summary().contains("cannot tell the pulse's leading edge"),
                seen.snapshots()[299].tod().summary());
    }

    @Test
    void runSimulateReadsThePacedLineOnTheReceiversThreadAndTrustsIt() throws Exception {
        Ports ports = Assemblies.simulated("cm4-m8t", List.of("tod.source=gnss"), 1, Set.of())
                .open(Settings.defaults());
        assertTrue(ports.description().endsWith("time of day from the simulated receiver"), ports.description());
        OpenDevice device = ports.device().open();
        AtomicBoolean stop = new AtomicBoolean();
        Thread loop = new Thread(() -> {
            try {
                while (!stop.get()) {
                    device.pulses().next(100_000_000L); // the tap hands each edge to the pairing
                }
            } catch (Exception e) {
                // closed
            }
        });
        loop.start();
        try {
            assertTrue(Poll.until(() -> ports.timeOfDay().query().trusted(), 60_000),
                    ports.timeOfDay().query().summary());
            // the receiver measures the simulated system clock against UTC: sys.offset_ms 0.5 with a 0.2 ms jitter on
            // each reading (the bytes dated on the wall clock's pace would be milliseconds off)
            assertEquals(0.5e6, ports.timeOfDay().query().systemMinusUtcNs(), 1.0e6);
        } finally {
            stop.set(true);
            loop.join(5000);
            device.closer().close();
            ((AutoCloseable) ports.timeOfDay()).close();
        }
    }
}
