package org.pps2phc.receiver;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

/**
 * A receiver, its serial line and a NIC's extts events in virtual time, feeding the real decoder, assembler and
 * pairing: pulses at true UTC seconds, seen on a system clock {@code sysErrorNs} off UTC; each burst's sentences
 * arrive at the baud rate from a start delay after the pulse, each read at its last byte (as a paced pty delivers
 * it); each extts event delivered {@code exttsLatencyNs} after its edge, but stamped with the edge's time.
 */
final class VirtualLine {
    static final long S = 1_000_000_000L;
    static final LeapState LEAP = LeapState.fixed(37, "test");
    static final long T0 = LocalDate.of(2026, 12, 1).toEpochDay() * 86_400L + 7 * 3600;

    private record Event(long atTrueNs, long seq, Runnable action) {
    }

    final PulsePairing pairing;
    private final EpochAssembler assembler;
    private final StreamDecoder decoder;
    private final long byteNs;
    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingLong(Event::atTrueNs).thenComparingLong(Event::seq));
    private long seq;
    /** The system clock's error; the monotonic clock reads true time, so a change of it is a step. */
    long sysErrorNs;
    long exttsLatencyNs = 1_000_000;
    /** The kernel's maxerror for the system clock, or {@link PulsePairing#UNSYNCHRONISED}. */
    long kernelMaxErrorNs = PulsePairing.UNSYNCHRONISED;
    private long nowTrueNs = T0 * S;
    /** White noise on each reading of the system clock (the edge's, the offset's, a read's), ns; 0: none. */
    double readingJitterNs;
    private final java.util.Random readingNoise = new java.util.Random(7);
    /** How far the receiver puts its pulses after the top of their second (its time moving against them). */
    long pulseLateNs;

    VirtualLine(int baud, long pulseWidthNs, long nmeaDelayNs) {
        this.pairing = new PulsePairing(new PulsePairing.Config(nmeaDelayNs, pulseWidthNs, LocalDate.of(2026, 11, 1),
                "GNSS test"));
        this.assembler = new EpochAssembler(pairing::epoch);
        this.byteNs = StreamDecoder.byteNs(baud);
        this.decoder = new StreamDecoder(byteNs);
    }

    private void at(long trueNs, Runnable r) {
        events.add(new Event(trueNs, seq++, r));
    }

    /** The pulse of true second {@code utcSecond}, both edges when {@code widthNs} > 0. */
    void pulse(long utcSecond, long widthNs) {
        long edge = utcSecond * S + pulseLateNs;
        at(edge + exttsLatencyNs, () -> pairing.edge(edge + sysErrorNs + noise(), sysErrorNs + noise()));
        if (widthNs > 0) {
            at(edge + widthNs + exttsLatencyNs, () -> pairing.edge(edge + widthNs + sysErrorNs + noise(),
                    sysErrorNs + noise()));
        }
    }

    /** A burst starting {@code delayNs} after the pulse of {@code utcSecond}: the sentences back to back. */
    void burst(long utcSecond, long delayNs, List<byte[]> sentences) {
        long t = utcSecond * S + delayNs;
        for (byte[] s : sentences) {
            t += s.length * byteNs;
            long readAt = t;
            at(readAt, () -> decoder.feed(s, s.length, readAt + sysErrorNs + noise(), assembler::accept));
        }
    }

    private long noise() {
        return readingJitterNs == 0 ? 0 : Math.round(readingNoise.nextGaussian() * readingJitterNs);
    }

    /** At true time {@code trueNs} the system clock is stepped to be {@code errorNs} off (chrony's makestep). */
    void stepSystemClockAt(long trueNs, long errorNs) {
        at(trueNs, () -> sysErrorNs = errorNs);
    }

    /** Runs to true time {@code trueNs} and asks for the verdict there. */
    TodVerdict verdictAt(long trueNs) {
        while (!events.isEmpty() && events.peek().atTrueNs() <= trueNs) {
            Event e = events.poll();
            nowTrueNs = e.atTrueNs();
            e.action().run();
        }
        nowTrueNs = trueNs;
        assembler.idle(trueNs + sysErrorNs);
        return pairing.verdict(trueNs + sysErrorNs, sysErrorNs, LEAP, kernelMaxErrorNs);
    }

    /** The second the engine would name for the edge at true second {@code utcSecond} with this verdict. */
    static long labelOf(TodVerdict v, long edgeSysNs) {
        return Math.floorDiv(v.utcAt(edgeSysNs) + S / 2, S);
    }

    List<String> names() {
        return new ArrayList<>(pairing.lastPairing() == null ? List.of() : pairing.lastPairing().names());
    }
}
