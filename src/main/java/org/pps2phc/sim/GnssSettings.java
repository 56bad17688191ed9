package org.pps2phc.sim;

import java.util.List;

/**
 * The simulated receiver's byte stream (docs/simulator.md, "The receiver's byte stream"): what it sends, how fast,
 * how long after each pulse, and its faults. Used only when {@code tod.source=gnss}; with {@code sys} the time of
 * day is the simulated chrony and none of this is drawn.
 *
 * @param gnssTimeOfDay {@code tod.source}: true for gnss (the receiver's stream is the time of day), false for sys
 * @param protocol      {@code gnss.protocol}
 * @param baud          {@code gnss.baud}: bytes are paced at 10 bits each (8N1)
 * @param delayMinMs    {@code gnss.delay_ms}: the start of each burst after its pulse, uniform in [min, max) ms
 * @param delayMaxMs    see {@code delayMinMs}
 * @param burstBytes    {@code gnss.burst_bytes}: the burst is padded with GSV/GSA sentences to at least this length
 * @param missProb      {@code gnss.miss_prob}: each burst is dropped with this probability
 * @param voids         {@code gnss.void}: windows without a fix (RMC status V, UBX valid flags clear)
 * @param badUtc        {@code gnss.bad_utc}: windows in which the firmware's UTC is off by a whole number of seconds
 * @param qErr          {@code gnss.qerr}: UBX TIM-TP announces each next pulse's sawtooth
 */
public record GnssSettings(boolean gnssTimeOfDay, Protocol protocol, int baud, double delayMinMs, double delayMaxMs,
                           int burstBytes, double missProb, List<Window> voids, List<BadUtc> badUtc, boolean qErr) {

    /** What the receiver sends: NMEA sentences, UBX frames, or both (UBX first). */
    public enum Protocol {
        NMEA, UBX, BOTH;

        boolean nmea() {
            return this != UBX;
        }

        boolean ubx() {
            return this != NMEA;
        }
    }

    /** The receiver reports UTC {@code deltaS} off during {@code window} (old firmware before its leap almanac). */
    public record BadUtc(Window window, int deltaS) {
    }

    public GnssSettings {
        voids = List.copyOf(voids);
        badUtc = List.copyOf(badUtc);
    }

    /** One byte's time on the line, ns: 10 bit times. */
    public long byteNs() {
        return 10_000_000_000L / baud;
    }
}
