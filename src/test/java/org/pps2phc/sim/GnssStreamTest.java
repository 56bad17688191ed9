package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.receiver.ReceiverMessage;
import org.pps2phc.receiver.StreamDecoder;

/** The simulated receiver's bytes, read back by the daemon's own decoder and parsers. */
class GnssStreamTest {
    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    /** 2026-06-01 00:00:00 UTC, the default sim.start's UTC second. */
    private static final long START_UTC = 1_780_272_000L;
    private static final long GPS_EPOCH = 315_964_800L;

    private static SimParameters params(String scenario, String... kv) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return Scenarios.resolve(scenario, o);
    }

    private static List<StreamDecoder.Decoded> decode(byte[] burst) {
        StreamDecoder d = new StreamDecoder(0);
        List<StreamDecoder.Decoded> out = d.feedAll(burst);
        assertEquals(0, d.counts().badChecksums(), d.counts().toString());
        assertEquals(0, d.counts().malformed(), d.counts().lastProblem());
        return out;
    }

    private static List<ReceiverMessage> messages(byte[] burst) {
        return decode(burst).stream().map(StreamDecoder.Decoded::message).toList();
    }

    @Test
    void aBurstOfBothProtocolsDecodesWithRightChecksumsAndNamesItsPulse() {
        SimParameters p = params("default", "gnss.protocol", "both", "gnss.qerr", "true", "pps.sawtooth_ns", "21",
                "gnss.burst_bytes", "900");
        byte[] burst = new GnssStream(p, 1).epoch(5);
        List<ReceiverMessage> m = messages(burst);
        assertTrue(burst.length >= 900, "padded to gnss.burst_bytes: " + burst.length);
        assertEquals("TIM-TP", m.get(0).name(), "TIM-TP first: it must come before the pulse it describes");
        ReceiverMessage.NextPulse tp = assertInstanceOf(ReceiverMessage.NextPulse.class, m.get(0));
        long gpsSecondOfPulse6 = p.startS() + 6 - 19 - GPS_EPOCH;
        assertEquals(gpsSecondOfPulse6, tp.week() * 604_800L + tp.towMs() / 1000);
        assertEquals(-Math.round(SimWorld.sawtoothNs(6, 21) * 1000), tp.qErrPs());
        assertTrue(tp.qErrValid());
        for (ReceiverMessage x : m) {
            if (x instanceof ReceiverMessage.UtcTime u) {
                assertEquals(START_UTC + 5, u.utcSecond(), u.name());
                assertTrue(u.valid(), u.name());
            }
        }
        ReceiverMessage.GpsTime gps = (ReceiverMessage.GpsTime) m.stream()
                .filter(ReceiverMessage.GpsTime.class::isInstance).findFirst().orElseThrow();
        assertEquals(18, gps.gpsMinusUtc());
        ReceiverMessage.LeapInfo ls = (ReceiverMessage.LeapInfo) m.stream()
                .filter(ReceiverMessage.LeapInfo.class::isInstance).findFirst().orElseThrow();
        assertTrue(ls.fromGnss());
        assertEquals(18, ls.gpsMinusUtc());
        assertEquals("GNZDA", m.get(m.size() - 1).name(), "ZDA last");
        assertTrue(m.stream().anyMatch(x -> x.name().equals("GNRMC")));
        assertTrue(m.stream().anyMatch(x -> x.name().endsWith("GSV")));
    }

    @Test
    void aVoidClearsTheValidityAndBadUtcShiftsTheFirmwaresUtc() {
        SimParameters p = params("default", "gnss.protocol", "both", "gnss.void", "10:5", "gnss.bad_utc", "20:5:-2");
        GnssStream g = new GnssStream(p, 1);
        for (ReceiverMessage x : messages(g.epoch(12))) {
            if (x instanceof ReceiverMessage.UtcTime u) {
                assertTrue(!u.valid() || u.utcSecond() == Long.MIN_VALUE, u + " in a void");
            }
            if (x instanceof ReceiverMessage.GpsTime t) {
                assertTrue(t.whyInvalid() != null, "NAV-TIMEGPS in a void");
            }
        }
        for (ReceiverMessage x : messages(g.epoch(21))) {
            if (x instanceof ReceiverMessage.UtcTime u) {
                assertEquals(START_UTC + 21 - 2, u.utcSecond(), u.name());
                assertTrue(u.valid(), u.name());
            }
            if (x instanceof ReceiverMessage.LeapInfo l) {
                assertFalse(l.fromGnss(), "the firmware's leap seconds, not the constellation's");
                assertEquals(20, l.gpsMinusUtc());
            }
        }
    }

    @Test
    void anInsertedLeapSecondReads235960() {
        // sim.start one minute before the 2027-01-01 midnight; TAI-UTC 37 until then
        long midnight = 1_798_761_600L;
        SimParameters p = params("default", "sim.start", Long.toString(midnight - 60 + 37), "sim.leap",
                "insert@" + midnight);
        GnssStream g = new GnssStream(p, 1);
        ReceiverMessage.UtcTime leap = (ReceiverMessage.UtcTime) messages(g.epoch(60)).get(0);
        assertTrue(leap.leapSecond(), leap.toString());
        ReceiverMessage.UtcTime after = (ReceiverMessage.UtcTime) messages(g.epoch(61)).get(0);
        assertEquals(midnight, after.utcSecond());
        assertFalse(after.leapSecond());
    }

    @Test
    void bytesArePacedAtTenBitsEachFromTheBurstsDelayedStart() {
        SimParameters p = params("default", "gnss.baud", "9600", "gnss.delay_ms", "480:520");
        GnssStream g = new GnssStream(p, 3);
        long byteNs = 10 * S / 9600;
        assertEquals(byteNs, g.byteNs());
        long previous = 0;
        int inBurst = 0;
        long burstStart = -1;
        for (int i = 0; i < 2000; i++) {
            long at = g.nextChunkAtNs();
            byte[] chunk = g.takeChunk();
            if (at - previous > 100 * MS) { // a new burst: its first byte after the delay
                long first = at - chunk.length * byteNs;
                long k = first / S;
                assertTrue(first - k * S >= 480 * MS && first - k * S < 520 * MS, "start " + first);
                burstStart = first;
                inBurst = 0;
            }
            inBurst += chunk.length;
            assertEquals(burstStart + inBurst * byteNs, at, "each chunk when its last byte arrives");
            assertTrue(chunk.length * byteNs <= GnssStream.READ_NS + byteNs);
            previous = at;
        }
    }

    @Test
    void aBurstLongerThanASecondLeavesOutTheEpochsThatFindTheLineBusy() {
        SimParameters p = params("default", "gnss.baud", "9600", "gnss.burst_bytes", "2000",
                "gnss.delay_ms", "120:130");
        GnssStream g = new GnssStream(p, 1);
        List<Long> starts = new ArrayList<>();
        long previous = -S;
        while (starts.size() < 5) {
            long at = g.nextChunkAtNs();
            byte[] chunk = g.takeChunk();
            long first = at - chunk.length * g.byteNs();
            if (first - previous > 100 * MS) {
                starts.add(first / S);
            }
            previous = at;
        }
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L), starts, "every third epoch: 2.1 s on the line each");
        assertEquals(5, g.epochsSent());
        assertEquals(8, g.epochsDropped());
    }

    @Test
    void theSameSeedGivesTheSameBytesAndMissProbDropsBursts() {
        SimParameters p = params("harsh", "gnss.miss_prob", "0.2");
        GnssStream a = new GnssStream(p, 4);
        GnssStream b = new GnssStream(p, 4);
        for (int i = 0; i < 5000; i++) {
            assertEquals(a.nextChunkAtNs(), b.nextChunkAtNs());
            assertArrayEquals(a.takeChunk(), b.takeChunk());
        }
        double dropped = a.epochsDropped() / (double) (a.epochsDropped() + a.epochsSent());
        assertTrue(dropped > 0.1 && dropped < 0.3, "dropped " + dropped);
    }

    @Test
    void withTodSourceSysTheGnssKeysChangeNothing() {
        SimParameters plain = params("cm4-m8t", "sim.duration", "400");
        SimParameters keyed = params("cm4-m8t", "sim.duration", "400", "gnss.protocol", "nmea", "gnss.miss_prob",
                "0.5", "gnss.delay_ms", "850:900");
        String servo = DisciplineConfig.defaults().servoName();
        assertEquals(SimRunner.run("cm4-m8t", plain, servo, 2).metrics(),
                SimRunner.run("cm4-m8t", keyed, servo, 2).metrics());
        assertThrows(ScenarioException.class, () -> SimRunner.run("cm4-m8t",
                params("cm4-m8t", "sim.duration", "10", "tod.source", "gnss"), servo, 2));
    }

    @Test
    void presetsSetTheirReceiversDefaultsButKeepTheSimulatedChrony() {
        for (String preset : Scenarios.presets()) {
            assertFalse(params(preset).gnss().gnssTimeOfDay(), preset);
        }
        GnssSettings cm4 = params("cm4-m8t").gnss();
        assertEquals(9600, cm4.baud());
        assertEquals(GnssSettings.Protocol.BOTH, cm4.protocol());
        assertTrue(cm4.qErr());
        GnssSettings f9t = params("i210-f9t").gnss();
        assertEquals(115_200, f9t.baud());
        assertTrue(params("default", "tod.source", "gnss").gnss().gnssTimeOfDay());
    }

    @Test
    void badGnssValuesAreOneLineNamingTheKey() {
        assertMessage("bad value 'chrony' for tod.source: expected sys", "tod.source", "chrony");
        assertMessage("bad value 'sbf' for gnss.protocol: expected nmea, ubx or both", "gnss.protocol", "sbf");
        assertMessage("bad value '0' for gnss.baud", "gnss.baud", "0");
        assertMessage("bad value '5:1' for gnss.delay_ms", "gnss.delay_ms", "5:1");
        assertMessage("bad value '-1' for gnss.burst_bytes", "gnss.burst_bytes", "-1");
        assertMessage("bad value '2' for gnss.miss_prob", "gnss.miss_prob", "2");
        assertMessage("bad value '10-5' for gnss.void", "gnss.void", "10-5");
        assertMessage("bad value '10:5:0' for gnss.bad_utc: expected none or START_S:LENGTH_S:DELTA_S",
                "gnss.bad_utc", "10:5:0");
        assertMessage("bad value 'on' for gnss.qerr: expected true or false", "gnss.qerr", "on");
    }

    private static void assertMessage(String start, String key, String value) {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> Scenarios.resolve("default", Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
