package org.pps2phc.sim;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.pps2phc.core.LeapState;

/**
 * The receiver's serial output in virtual time (docs/simulator.md, "The receiver's byte stream"): after pulse k, a
 * burst that starts {@code gnss.delay_ms} later and describes pulse k (NMEA RMC, GGA, GSA/GSV padding to
 * {@code gnss.burst_bytes}, ZDA last; UBX TIM-TP for pulse k + 1, NAV-TIMEUTC, NAV-TIMEGPS, NAV-TIMELS), paced at
 * 10 bits a byte. The line carries one burst at a time: an epoch whose output would start while the previous burst
 * is still on the line is dropped whole (the receiver's transmit buffer is full), so a burst longer than a second
 * leaves out epochs, as a real receiver does.
 *
 * <p>The stream is read as a serial port is: a read returns the bytes that arrived in the last
 * {@value #READ_NS} ns, at the arrival of the last of them ({@link #nextChunkAtNs}, {@link #takeChunk}). Its random
 * draws (each epoch's delay, then whether it is dropped) come from a stream of their own, so the pulses and the
 * oscillator do not depend on the receiver's settings. Single-threaded: one reader at a time.
 */
public final class GnssStream {
    /** How much line time one read gathers (a UART's FIFO and the tty layer hand bytes over in small groups). */
    static final long READ_NS = 10_000_000;
    private static final long S = SimWorld.S;
    /** Keeps this stream's draws apart from SimWorld's, which split the same seed. */
    private static final long STREAM_SALT = 0x676E_7373L;

    private final SimParameters p;
    private final GnssSettings g;
    private final LeapState leap;
    private final SplittableRandom rng;
    private final long byteNs;
    private final int chunkBytes;
    private long nextEpoch;
    private long lineFreeNs;
    private byte[] burst;
    private long burstStartNs;
    private int sent;
    private long epochsSent;
    private long epochsDropped;

    public GnssStream(SimParameters p, long seed) {
        this.p = p;
        this.g = p.gnss();
        this.leap = p.leap();
        this.rng = new SplittableRandom(seed ^ STREAM_SALT);
        this.byteNs = g.byteNs();
        this.chunkBytes = (int) Math.max(1, READ_NS / byteNs);
    }

    /** One byte's time on the line, ns. */
    public long byteNs() {
        return byteNs;
    }

    /** When the next read returns (virtual ns since the start): the arrival of its last byte. */
    public long nextChunkAtNs() {
        fill();
        return burstStartNs + (long) (sent + Math.min(chunkBytes, burst.length - sent)) * byteNs;
    }

    /** The bytes of the read due at {@link #nextChunkAtNs}. */
    public byte[] takeChunk() {
        fill();
        int n = Math.min(chunkBytes, burst.length - sent);
        byte[] out = new byte[n];
        System.arraycopy(burst, sent, out, 0, n);
        sent += n;
        return out;
    }

    /** Epochs whose burst went out, and those dropped (gnss.miss_prob, or the line still busy). */
    public long epochsSent() {
        return epochsSent;
    }

    public long epochsDropped() {
        return epochsDropped;
    }

    private void fill() {
        while (burst == null || sent == burst.length) {
            long k = nextEpoch++;
            double delayMs = g.delayMinMs() + rng.nextDouble() * (g.delayMaxMs() - g.delayMinMs());
            boolean missed = rng.nextDouble() < g.missProb();
            long start = k * S + Math.round(delayMs * 1e6);
            if (missed || start < lineFreeNs) {
                epochsDropped++;
                continue;
            }
            burst = epoch(k);
            burstStartNs = start;
            sent = 0;
            lineFreeNs = start + burst.length * byteNs;
            epochsSent++;
        }
    }

    /** The burst that describes pulse k. */
    byte[] epoch(long k) {
        long tai = p.startS() + k;
        long utc = utcSecond(tai);
        boolean leapSecond = utc == utcSecond(tai - 1);
        int taiMinusUtc = (int) (tai - utc);
        int delta = 0;
        for (GnssSettings.BadUtc b : g.badUtc()) {
            if (b.window().containsSecond(k)) {
                delta += b.deltaS();
            }
        }
        boolean fix = !inAny(g.voids(), k) && !inAny(p.ppsOutages(), k);
        GnssEncoder.UtcFields t = delta == 0 && leapSecond ? GnssEncoder.UtcFields.of(utc + 1, true)
                : GnssEncoder.UtcFields.of(utc + delta, false);
        long gps = GnssEncoder.gpsSecond(tai);
        int leapS = taiMinusUtc - 19 - delta;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (g.protocol().ubx()) {
            if (g.qErr()) {
                long qErrPs = -Math.round(SimWorld.sawtoothNs(k + 1, p.ppsSawtoothNs()) * 1000);
                out.writeBytes(GnssEncoder.timTp(gps + 1, qErrPs, fix));
            }
            out.writeBytes(GnssEncoder.navTimeUtc(gps, t, fix));
            out.writeBytes(GnssEncoder.navTimeGps(gps, leapS, fix));
            out.writeBytes(GnssEncoder.navTimeLs(gps, leapS, fix && delta == 0));
        }
        if (g.protocol().nmea()) {
            out.writeBytes(GnssEncoder.rmc("GN", t, fix));
            out.writeBytes(GnssEncoder.gga("GN", t, fix));
            byte[] zda = GnssEncoder.zda("GN", t, fix);
            int gsa = 0;
            while (out.size() + zda.length < g.burstBytes() && gsa < 2) {
                out.writeBytes(GnssEncoder.gsa("GN", ++gsa));
            }
            for (int i = 1; out.size() + zda.length < g.burstBytes(); i++) {
                out.writeBytes(GnssEncoder.gsv(i % 2 == 1 ? "GP" : "GL", (i + 1) / 2, 9));
            }
            out.writeBytes(zda);
        }
        return out.toByteArray();
    }

    private long utcSecond(long taiSecond) {
        return Math.floorDiv(leap.taiToUtc(taiSecond * S), S);
    }

    private static boolean inAny(java.util.List<Window> windows, long k) {
        for (Window w : windows) {
            if (w.containsSecond(k)) {
                return true;
            }
        }
        return false;
    }
}
