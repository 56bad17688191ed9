package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pps2phc.receiver.VirtualLine.S;
import static org.pps2phc.receiver.VirtualLine.T0;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pps2phc.core.TodVerdict;

/**
 * The pairing of bursts with pulses in virtual time, on the cases where ts2phc names the wrong second or edge
 * (docs/receiver.md), and the receiver's validity. Every trusted verdict must name each pulse's true second and put
 * the leading edge within its bound of the top of the second.
 */
class PulsePairingTest {
    private static final long MS = 1_000_000L;

    /** u-blox's default burst: RMC, VTG-sized filler, GGA, GSA/GSV-sized filler. */
    private static List<byte[]> ubloxBurst(long utc) {
        return List.of(Sentences.rmc(utc), Sentences.filler(40), Sentences.gga(utc, 1), Sentences.filler(70),
                Sentences.filler(70));
    }

    /** Runs {@code seconds} pulses and bursts; returns how many trusted verdicts named a wrong second or edge. */
    private static int run(VirtualLine line, int seconds, long widthNs, long delayNs, long queryPhaseNs,
                           java.util.function.LongFunction<List<byte[]>> burst, List<TodVerdict> verdicts) {
        int wrong = 0;
        for (int k = 0; k < seconds; k++) {
            long utc = T0 + k;
            line.pulse(utc, widthNs);
            line.burst(utc, delayNs, burst.apply(utc));
        }
        for (int k = 1; k < seconds; k++) {
            TodVerdict v = line.verdictAt((T0 + k) * S + queryPhaseNs);
            verdicts.add(v);
            if (v.trusted()) {
                long edgeSys = (T0 + k) * S + line.sysErrorNs;
                long label = VirtualLine.labelOf(v, edgeSys);
                long off = Math.abs(v.utcAt(edgeSys) - (T0 + k) * S);
                if (label != T0 + k || off > v.errorBoundNs()) {
                    wrong++;
                }
            }
        }
        return wrong;
    }

    private static void assertLocksRight(VirtualLine line, long widthNs, long delayNs,
                                         java.util.function.LongFunction<List<byte[]>> burst) {
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, run(line, 20, widthNs, delayNs, 300 * MS, burst, verdicts));
        assertTrue(verdicts.get(verdicts.size() - 1).trusted(), verdicts.get(verdicts.size() - 1).summary());
        assertTrue(verdicts.stream().filter(TodVerdict::trusted).count() >= 12, verdicts.toString());
    }

    @Test
    void rmcComplete150msAfterA100msPulseOnADualEdgeNic() {
        // ts2phc pairs the RMC's end (150 ms) with the edge before it: the trailing one at 100 ms
        VirtualLine line = new VirtualLine(9600, -1, 0);
        long rmcBytes = Sentences.rmc(T0).length;
        long start = 150 * MS - rmcBytes * StreamDecoder.byteNs(9600);
        assertTrue(start < 100 * MS, "the burst starts before the trailing edge");
        assertLocksRight(line, 100 * MS, start, PulsePairingTest::ubloxBurst);
        assertEquals(start, line.pairing.lastPairing().delayNs(), 2 * MS);
    }

    @Test
    void anExttsEventDelivered250msLateAfterTheMessage() {
        VirtualLine line = new VirtualLine(115_200, 100 * MS, 0);
        line.exttsLatencyNs = 250 * MS; // the CM4
        assertLocksRight(line, 100 * MS, 40 * MS, PulsePairingTest::ubloxBurst);
        assertEquals(40 * MS, line.pairing.lastPairing().delayNs(), 2 * MS);
    }

    @Test
    void zdaLastInATwoSecondBurstAt9600() {
        // a ZED-F9P with GST, ZDA and GBS on: 2 s per burst at 9600, so the receiver drops epochs and sends every
        // third; the burst's first byte, not the ZDA's last, dates it
        VirtualLine line = new VirtualLine(9600, -1, 0);
        java.util.function.LongFunction<List<byte[]>> burst = utc -> {
            List<byte[]> b = new ArrayList<>();
            b.add(Sentences.gga(utc, 1));
            for (int i = 0; i < 26; i++) {
                b.add(Sentences.filler(72));
            }
            b.add(Sentences.zda(utc));
            return b;
        };
        int wrong = 0;
        List<TodVerdict> verdicts = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            line.pulse(T0 + k, 0);
            if (k % 3 == 0) {
                line.burst(T0 + k, 120 * MS, burst.apply(T0 + k));
            }
        }
        for (int k = 1; k < 30; k++) {
            TodVerdict v = line.verdictAt((T0 + k) * S + 500 * MS);
            verdicts.add(v);
            if (v.trusted() && VirtualLine.labelOf(v, (T0 + k) * S) != T0 + k) {
                wrong++;
            }
        }
        assertEquals(0, wrong);
        assertTrue(verdicts.get(verdicts.size() - 1).trusted(), verdicts.toString());
        assertEquals(120 * MS, line.pairing.lastPairing().delayNs(), 2 * MS);
        assertEquals("bursts longer than a second (raise the baud or drop messages)", line.pairing.note());
    }

    @Test
    void outputStarting480msAfterThePulse() {
        for (long width : new long[] {0, 100 * MS}) {
            VirtualLine line = new VirtualLine(38_400, -1, 0);
            assertLocksRight(line, width, 480 * MS, PulsePairingTest::ubloxBurst);
            assertEquals(480 * MS, line.pairing.lastPairing().delayNs(), 2 * MS);
        }
    }

    @Test
    void everyDelayFrom0To900msOnBothKindsOfNic() {
        for (long delay = 10 * MS; delay <= 900 * MS; delay += 89 * MS) {
            for (long width : new long[] {0, 100 * MS, 200 * MS}) {
                VirtualLine line = new VirtualLine(115_200, -1, 0);
                List<TodVerdict> verdicts = new ArrayList<>();
                assertEquals(0, run(line, 12, width, delay, 950 * MS, PulsePairingTest::ubloxBurst, verdicts),
                        "delay " + delay + " width " + width);
                assertTrue(verdicts.get(verdicts.size() - 1).trusted(),
                        "delay " + delay + " width " + width + ": " + verdicts.get(verdicts.size() - 1).summary());
            }
        }
    }

    @Test
    void aSystemClockYearsOffGetsTheRightSecondsAndSaysHowFarOff() {
        VirtualLine line = new VirtualLine(9600, -1, 0);
        line.sysErrorNs = -(3L * 365 * 86_400 * S) + 437 * MS; // an RTC three years behind, on a fresh boot
        assertLocksRight(line, 0, 150 * MS, PulsePairingTest::ubloxBurst);
        TodVerdict v = line.verdictAt((T0 + 21) * S);
        assertEquals(line.sysErrorNs, v.systemMinusUtcNs(), 1 * MS);
        assertTrue(v.errorBoundNs() < 5 * MS, v.summary());
    }

    @Test
    void aStepOfTheSystemClockIsFollowedAtOnceNotMistakenForTheReceiver() {
        // the fresh boot again: chronyd, fed by pps2phc's samples, steps the system clock by three years
        VirtualLine line = new VirtualLine(9600, -1, 0);
        line.sysErrorNs = -(3L * 365 * 86_400 * S);
        for (int k = 0; k < 20; k++) {
            line.pulse(T0 + k, 0);
            line.burst(T0 + k, 150 * MS, ubloxBurst(T0 + k));
        }
        line.stepSystemClockAt((T0 + 10) * S + 600 * MS, 2 * MS);
        assertTrue(line.verdictAt((T0 + 10) * S + 500 * MS).trusted());
        for (int k = 11; k < 20; k++) {
            TodVerdict v = line.verdictAt((T0 + k) * S + (k == 11 ? 0 : 500 * MS));
            assertTrue(v.trusted(), k + ": " + v.summary());
            assertEquals(2 * MS, v.systemMinusUtcNs(), 1 * MS, v.summary());
            assertEquals(T0 + k, VirtualLine.labelOf(v, (T0 + k) * S + 2 * MS));
        }
    }

    /** Seconds 1..{@code seconds} with the pulses {@code lateNs} after the top of the second from {@code from}. */
    private static List<TodVerdict> pulsesMovingAt(VirtualLine line, int seconds, int from, long lateNs) {
        List<TodVerdict> verdicts = new ArrayList<>();
        for (int k = 0; k < seconds; k++) {
            line.pulseLateNs = k >= from ? lateNs : 0;
            line.pulse(T0 + k, 0);
            line.burst(T0 + k, 500 * MS, ubloxBurst(T0 + k));
            verdicts.add(line.verdictAt((T0 + k) * S + 900 * MS));
        }
        return verdicts;
    }

    private static boolean afresh(TodVerdict v) {
        return v.summary().contains("against the pulses") && v.summary().contains("measuring afresh");
    }

    @Test
    void readingJitterIsMeasuredAndNoLongerResetsThePairing() {
        // 5 ms of white noise on every reading of the system clock (harsh): the offset steps by about 10 ms from one
        // pulse to the next. Once the pairing has measured that, it resets on none of them
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        line.readingJitterNs = 5 * MS;
        List<TodVerdict> verdicts = pulsesMovingAt(line, 300, 300, 0);
        for (int k = 12; k < 300; k++) {
            assertTrue(verdicts.get(k).trusted(), k + ": " + verdicts.get(k).summary());
        }
    }

    @ParameterizedTest(name = "reading jitter {0} ms, the pulses moving {1} ms")
    @CsvSource({"0, 10", "0, 150", "5, 150", "20, 150", "20, 300"})
    void theReceiversTimeMovingAgainstThePulsesStillResetsThePairing(long jitterMs, long moveMs) {
        // the floor (5 ms) holds on a clean clock; the ceiling (100 ms), well inside the 0.5 s between a second's
        // edges, on any: a move past it is never taken for reading jitter, however noisy the readings
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        line.readingJitterNs = jitterMs * MS;
        List<TodVerdict> verdicts = pulsesMovingAt(line, 120, 60, moveMs * MS);
        assertTrue(verdicts.get(59).trusted(), verdicts.get(59).summary());
        // the burst of second 60 is paired once the next edge is in
        assertTrue(afresh(verdicts.get(61)), verdicts.get(61).summary());
    }

    @Test
    void aVoidFixIsNeverTrusted() {
        VirtualLine line = new VirtualLine(9600, -1, 0);
        List<TodVerdict> verdicts = new ArrayList<>();
        run(line, 10, 0, 100 * MS, 500 * MS, utc -> List.of(Sentences.rmc(
                java.time.LocalDateTime.ofEpochSecond(utc, 0, java.time.ZoneOffset.UTC), 'V')), verdicts);
        assertTrue(verdicts.stream().noneMatch(TodVerdict::trusted));
        assertEquals("untrusted (time not valid: GNRMC status V (void: no fix))", verdicts.get(8).summary());
    }

    @Test
    void utcRepeatingASecondIsUntrustedUntilConsistentAgain() {
        // old firmware learning the leap second: its UTC repeats a second
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        for (int k = 0; k < 20; k++) {
            long said = k < 10 ? T0 + k + 1 : T0 + k; // one second fast, then right
            line.pulse(T0 + k, 0);
            line.burst(T0 + k, 100 * MS, List.of(Sentences.rmc(said)));
        }
        TodVerdict before = line.verdictAt((T0 + 9) * S + 500 * MS);
        assertTrue(before.trusted());
        TodVerdict repeated = line.verdictAt((T0 + 11) * S + 500 * MS);
        assertFalse(repeated.trusted());
        assertEquals("untrusted (the receiver's UTC went backwards or repeated a second)", repeated.summary());
        TodVerdict again = line.verdictAt((T0 + 19) * S + 500 * MS);
        assertTrue(again.trusted(), again.summary());
        assertEquals(T0 + 19, VirtualLine.labelOf(again, (T0 + 19) * S));
    }

    @Test
    void aDateBeforeTheBuildIsAWeekRolloverAndSaidSo() {
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        long rolledBack = 1024L * 7 * 86_400;
        List<TodVerdict> verdicts = new ArrayList<>();
        run(line, 8, 0, 100 * MS, 500 * MS, utc -> List.of(Sentences.rmc(utc - rolledBack)), verdicts);
        assertTrue(verdicts.stream().noneMatch(TodVerdict::trusted));
        assertTrue(verdicts.get(6).summary().contains("the receiver's date 2007-04-17 is implausibly far from this "
                + "build's 2026-11-01 (GPS week rollover"), verdicts.get(6).summary());
    }

    @Test
    void messagesMoreThanASecondLateNeedNmeaDelayAndWithItAreRight() {
        // a GPSDO whose NMEA comes 1.3 s after its pulse: with nmea_delay 1 s the pulse is found a second earlier
        VirtualLine line = new VirtualLine(115_200, -1, 1_000_000_000L);
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, run(line, 20, 0, 1300 * MS, 900 * MS, utc -> List.of(Sentences.rmc(utc)), verdicts));
        assertTrue(verdicts.get(verdicts.size() - 1).trusted());
    }

    /** Counts the trusted verdicts whose label for the pulse of true second T0+k is not T0+k. */
    private static int wrongLabels(VirtualLine line, int seconds, long queryPhaseNs, List<TodVerdict> verdicts) {
        int wrong = 0;
        for (int k = 1; k < seconds; k++) {
            TodVerdict v = line.verdictAt((T0 + k) * S + queryPhaseNs);
            verdicts.add(v);
            if (v.trusted() && VirtualLine.labelOf(v, (T0 + k) * S + line.sysErrorNs) != T0 + k) {
                wrong++;
            }
        }
        return wrong;
    }

    private static final String MORE_THAN_A_SECOND_LATE = PulsePairing.MORE_THAN_A_SECOND_LATE;

    /** Pulses of the first {@code pulses} of {@code seconds} seconds, and each second's burst at its delay. */
    private static void feed(VirtualLine line, int seconds, int pulses, java.util.function.LongUnaryOperator delay,
                             java.util.function.LongFunction<List<byte[]>> burst) {
        for (int k = 0; k < seconds; k++) {
            if (k < pulses) {
                line.pulse(T0 + k, 0);
            }
            line.burst(T0 + k, delay.applyAsLong(k), burst.apply(T0 + k));
        }
    }

    @Test
    void messagesASecondLateWhoseDelayJittersAcrossTheSecondAreNeverTrusted() {
        // a GPSDO whose NMEA starts 1.00 s +- 40 ms after its pulse, nmea_delay unset: some bursts start just
        // before the next pulse, some just after it; pairing the latter with that next pulse names it 1 s low
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        java.util.Random jitter = new java.util.Random(12);
        feed(line, 60, 60, k -> 1000 * MS + (long) (jitter.nextGaussian() * 40 * MS),
                utc -> List.of(Sentences.rmc(utc)));
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, 60, 900 * MS, verdicts));
        assertEquals("untrusted (" + MORE_THAN_A_SECOND_LATE + ")", verdicts.get(verdicts.size() - 1).summary());
    }

    /** A 50 % square wave whose messages start 600 ms after its leading edge, after the trailing one. */
    private static List<TodVerdict> squareWaveLate(long nmeaDelayNs, long kernelMaxErrorNs) {
        VirtualLine line = new VirtualLine(115_200, -1, nmeaDelayNs);
        line.kernelMaxErrorNs = kernelMaxErrorNs;
        for (int k = 0; k < 30; k++) {
            line.pulse(T0 + k, 500 * MS);
            line.burst(T0 + k, 600 * MS, List.of(Sentences.rmc(T0 + k)));
        }
        List<TodVerdict> verdicts = new ArrayList<>();
        for (int k = 2; k < 30; k++) {
            verdicts.add(line.verdictAt((T0 + k) * S + 900 * MS));
        }
        return verdicts;
    }

    @ParameterizedTest(name = "nmea_delay {0} ns, kernel maxerror {1} ns")
    @CsvSource({"0, " + Long.MAX_VALUE, "0, 20000000", "500000000, " + Long.MAX_VALUE})
    void aSquareWaveWithMessagesAfterItsTrailingEdgeIsNeverTrustedOnTheWrongEdge(long nmeaDelayNs, long maxErrorNs) {
        List<TodVerdict> verdicts = squareWaveLate(nmeaDelayNs, maxErrorNs);
        for (TodVerdict v : verdicts) {
            assertTrue(!v.trusted() || Math.abs(v.systemMinusUtcNs()) < 10 * MS, "half a second off: " + v.summary()
                    + " " + v.systemMinusUtcNs());
        }
        TodVerdict last = verdicts.get(verdicts.size() - 1);
        if (nmeaDelayNs == 0 && maxErrorNs == Long.MAX_VALUE) {
            assertTrue(last.summary().contains("cannot tell the pulse's leading edge (50 % duty cycle"),
                    last.summary());
        } else {
            assertTrue(last.trusted(), "nmea_delay or a synchronised clock tells the edge: " + last.summary());
        }
    }

    @Test
    void aLateAmbiguityEndsOnceTheReceiverSendsWellInsideTheWindowForTenMinutes() {
        // a second late, jittering across the pulse, for a minute; then the receiver is set to send 300 ms after
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        java.util.Random jitter = new java.util.Random(12);
        feed(line, 800, 800, k -> k < 60 ? 1000 * MS + (long) (jitter.nextGaussian() * 40 * MS) : 300 * MS,
                utc -> List.of(Sentences.rmc(utc)));
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, 800, 900 * MS, verdicts));
        assertEquals("untrusted (" + MORE_THAN_A_SECOND_LATE + ")", verdicts.get(500).summary());
        assertTrue(verdicts.get(verdicts.size() - 1).trusted(), verdicts.get(verdicts.size() - 1).summary());
    }

    @Test
    void messagesRightAtThePulseReadWithTheSystemClocksJitterAreNotMistakenForLateOnes() {
        // harsh: bursts 0-50 ms after the pulse, read with a few ms of system-clock jitter: now and then one seems
        // to start just before its pulse. That is noise, not a second late: the receiver is trusted again at once
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        java.util.Random jitter = new java.util.Random(5);
        feed(line, 120, 120, k -> k % 10 == 3 ? -3 * MS : (long) (jitter.nextDouble() * 50 * MS),
                utc -> List.of(Sentences.rmc(utc)));
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, 120, 900 * MS, verdicts));
        assertTrue(verdicts.get(verdicts.size() - 1).trusted(), verdicts.get(verdicts.size() - 1).summary());
        assertTrue(verdicts.stream().filter(TodVerdict::trusted).count() > 60, "trusted most of the time");
    }

    @Test
    void messagesMoreThanASecondLateAgainstASynchronisedSystemClockAreNeverTrusted() {
        // gpsd's failure: the burst 1.2 s after its pulse is paired with the next pulse (0.2 s before it), steady,
        // and names it one second low; the system clock, synchronised within 20 ms (NTP), shows the 1 s
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        line.kernelMaxErrorNs = 20 * MS;
        line.sysErrorNs = 3 * MS;
        feed(line, 20, 20, k -> 1200 * MS, PulsePairingTest::ubloxBurst);
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, 20, 900 * MS, verdicts));
        assertEquals("untrusted (" + MORE_THAN_A_SECOND_LATE + " (the system clock, synchronised within 20 ms, puts"
                + " the receiver's seconds 1 s low))", verdicts.get(verdicts.size() - 1).summary());
    }

    @Test
    void anNmeaDelayMoreThanTheMessagesDelayAgainstASynchronisedSystemClockIsNeverTrusted() {
        // nmea_delay 1 s on a receiver whose messages come 300 ms after the pulse: paired with the pulse before,
        // which would be named one second high
        VirtualLine line = new VirtualLine(115_200, -1, 1_000_000_000L);
        line.kernelMaxErrorNs = 20 * MS;
        feed(line, 20, 20, k -> 300 * MS, utc -> List.of(Sentences.rmc(utc)));
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, 20, 900 * MS, verdicts));
        assertEquals("untrusted (the system clock, synchronised within 20 ms, puts the receiver's seconds 1 s high "
                + "(ts2phc.nmea_delay more than the messages' delay, or the receiver's UTC off))",
                verdicts.get(verdicts.size() - 1).summary());
    }

    @Test
    void aSynchronisedSystemClockThatAgreesChangesNothingAndAnUnsynchronisedOneChecksNothing() {
        for (long maxError : new long[] {20 * MS, 450 * MS, PulsePairing.UNSYNCHRONISED}) {
            VirtualLine line = new VirtualLine(115_200, -1, 0);
            line.kernelMaxErrorNs = maxError;
            line.sysErrorNs = maxError == PulsePairing.UNSYNCHRONISED ? 7 * S : 12 * MS;
            assertLocksRight(line, 0, 150 * MS, PulsePairingTest::ubloxBurst);
        }
    }

    @Test
    void withNothingToCheckTheSecondTheVerdictSaysItRestsOnTheMessagesComingWithinASecond() {
        // a burst 150 ms after its pulse and one 1.15 s after it look alike to the pairing alone: without a
        // synchronised system clock nothing here can tell them apart, and the pairing says so
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        feed(line, 10, 10, k -> 150 * MS, PulsePairingTest::ubloxBurst);
        assertTrue(line.verdictAt((T0 + 9) * S + 900 * MS).trusted());
        assertEquals("the second rests on the messages coming less than a second after their pulse (no synchronised"
                + " system clock to check it)", line.pairing.secondCheck());
        line.kernelMaxErrorNs = 20 * MS;
        assertTrue(line.verdictAt((T0 + 9) * S + 950 * MS).trusted());
        assertEquals("checked against the system clock (synchronised within 20 ms)", line.pairing.secondCheck());
    }

    @Test
    void theStatusSaysTheMessagesTheirDelayAfterThePulseAndTheirValidity() {
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        java.util.Random jitter = new java.util.Random(3);
        feed(line, 20, 20, k -> 150 * MS + jitter.nextInt(10) * MS, PulsePairingTest::ubloxBurst);
        for (int k = 1; k < 20; k++) {
            line.verdictAt((T0 + k) * S + 900 * MS);
        }
        assertTrue(line.verdictAt((T0 + 19) * S + 950 * MS).trusted());
        ReceiverStatus s = line.pairing.status(VirtualLine.LEAP, new StreamDecoder.Counts(10, 5, 1, 0, null), "");
        assertEquals(line.pairing.lastPairing().delayNs(), s.delayNs());
        assertTrue(s.minDelayNs() >= 150 * MS && s.maxDelayNs() < 160 * MS && s.minDelayNs() < s.maxDelayNs(),
                s.toString());
        assertEquals(16, s.pairings());
        assertEquals(5, s.lastBurst().size(), s.lastBurst().toString());
        assertEquals("GNRMC", s.lastBurst().get(0));
        assertEquals(null, s.validity());
        assertEquals(37, s.taiMinusUtcS());
        assertEquals("test", s.taiUtcSource());
        assertEquals(10, s.bytes());
    }

    /** The last verdict after {@code seconds} pulses, each with the burst {@code burst} gives at {@code delay}. */
    private static TodVerdict lastVerdict(int seconds, java.util.function.LongUnaryOperator delay,
                                          java.util.function.LongFunction<List<byte[]>> burst) {
        return lastVerdict(seconds, delay, burst, seconds);
    }

    /** The same with pulses only for the first {@code pulses} seconds. */
    private static TodVerdict lastVerdict(int seconds, java.util.function.LongUnaryOperator delay,
                                          java.util.function.LongFunction<List<byte[]>> burst, int pulses) {
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        feed(line, seconds, pulses, delay, burst);
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, wrongLabels(line, seconds, 990 * MS, verdicts));
        if (pulses == seconds) {
            assertTrue(verdicts.stream().noneMatch(TodVerdict::trusted), verdicts.toString());
        }
        return verdicts.get(verdicts.size() - 1);
    }

    @Test
    void eachThingWrongWithTheBurstsIsOneLine() {
        assertEquals("untrusted (time of day without a date (GNGGA only: enable RMC or ZDA))",
                lastVerdict(8, k -> 100 * MS, utc -> List.of(Sentences.gga(utc, 1))).summary());
        // NAV-TIMELS from the firmware's default (source 0): its UTC may be off by the leap seconds it lacks
        assertEquals("untrusted (the receiver does not know the leap seconds yet (its UTC may be off by seconds))",
                lastVerdict(8, k -> 30 * MS, utc -> List.of(Sentences.navTimeUtc(utc, 0x07),
                        Sentences.navTimeLs(18, 0, true))).summary());
        // a USB adapter buffering: the bursts' start wanders by 150 ms and more
        assertEquals("untrusted (the messages' delay after the pulse is not steady)",
                lastVerdict(12, k -> (k % 2 == 0 ? 100 : 400) * MS, utc -> List.of(Sentences.rmc(utc))).summary());
        // the PPS lost while the receiver goes on: a second's window holds a pulse of a 1 Hz train unless it is lost
        assertEquals("untrusted (no pulse in the second before the messages (is the PPS still reaching the PHC?))",
                lastVerdict(12, k -> 100 * MS, utc -> List.of(Sentences.rmc(utc)), 4).summary());
        // 1.3 s of messages each second at 9600 baud: each burst runs into the next
        assertEquals("untrusted (the bursts follow each other with no gap (longer than a second: raise the baud or "
                + "drop messages))", lastVerdict(8, k -> 100 * MS, utc -> {
                    List<byte[]> b = new ArrayList<>(List.of(Sentences.rmc(utc)));
                    for (int i = 0; i < 160; i++) { // 160 x 80 bytes at 115200 baud: 1.1 s
                        b.add(Sentences.filler(80));
                    }
                    return b;
                }).summary());
    }

    @Test
    void ubxTimeMessagesAloneNameTheSecondAndTaiUtcComesFromNavTimeLs() {
        VirtualLine line = new VirtualLine(115_200, -1, 0);
        List<TodVerdict> verdicts = new ArrayList<>();
        assertEquals(0, run(line, 10, 0, 30 * MS, 500 * MS, utc -> List.of(Sentences.navTimeUtc(utc, 0x07),
                Sentences.navTimeGps(utc - 315_964_800L + 18, 18), Sentences.navTimeLs(18, 2, true),
                Sentences.timTp(0, 0, 5000, false)), verdicts));
        TodVerdict last = verdicts.get(verdicts.size() - 1);
        assertTrue(last.trusted(), last.summary());
        assertEquals(37, last.leap().taiMinusUtcS());
        assertEquals("receiver NAV-TIMELS", last.leap().source());
        List<String> expected = List.of("NAV-TIMEUTC", "NAV-TIMEGPS");
        assertEquals(expected, line.names());
    }
}
