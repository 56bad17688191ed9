package org.pps2phc.receiver;

import java.io.IOException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

/**
 * The GNSS receiver's own messages (NMEA and UBX, mixed, on a serial port or TCP) as the time of day: a verdict
 * like chrony's, whose offset of the system clock from UTC is measured on every pulse ({@link PulsePairing}). The
 * pulses come from {@link #pulse} (the daemon taps its pulse source), the bytes from {@link #readLoop}, which runs
 * on a thread the daemon starts and reopens the port when it fails. What is wrong reaches the user as the
 * verdict's reason: one line, logged once per change.
 */
public final class ReceiverTimeOfDay implements PairedTimeOfDay {
    private static final long S = 1_000_000_000L;
    /** Silence on the port after which the verdict says there are no bytes. */
    private static final long NO_BYTES_NS = 3 * S;
    /** Messages without one that names a second for this long: no time messages (a slow receiver bursts every 3 s). */
    private static final long NO_TIME_NS = 5 * S;
    /** Bytes without one valid message after which the verdict says so (more than two bursts' worth). */
    private static final long GARBAGE_BYTES = 2048;
    private static final int READ_TIMEOUT_MS = 100;
    private static final long REOPEN_MS = 2000;
    /** An edge this close to the top of a second (by the receiver's time) is a leading edge for qErr. */
    private static final long ON_THE_SECOND_NS = 20_000_000;

    private final ByteTransport.Opener opener;
    private final String portName;
    private final PulsePairing pairing;
    private final Supplier<LeapState> fallbackLeap;
    private final LongSupplier realtimeNs;
    private final LongSupplier monotonicNs;
    private final LongSupplier kernelMaxErrorNs;
    private final byte[] buf = new byte[4096];
    private final boolean qErrCorrection;
    private final Sawtooth sawtooth = new Sawtooth();
    private volatile boolean closed;
    private ByteTransport transport;
    private StreamDecoder decoder;
    private EpochAssembler assembler;
    private String transportProblem;
    private long openedSysNs;
    private long lastByteSysNs = Long.MIN_VALUE;
    private long bytesSinceMessage;
    private long lastMessages;
    /** The last byte of the last burst (bursts are opened by time messages only), or Long.MIN_VALUE. */
    private long lastEpochSysNs = Long.MIN_VALUE;
    private UbxSetup.Report setup;

    /**
     * @param fallbackLeap TAI-UTC when the receiver does not say it (kernel, leap file, utc_offset)
     * @param realtimeNs   CLOCK_REALTIME, the clock the pulses' cross-timestamps are in
     * @param monotonicNs  CLOCK_MONOTONIC, which steps of the system clock do not move
     * @param qErrCorrection apply TIM-TP's qErr to each pulse (off for a GPSDO, whose qErr does not describe it)
     */
    public ReceiverTimeOfDay(ByteTransport.Opener opener, String portName, PulsePairing.Config config,
                             Supplier<LeapState> fallbackLeap, LongSupplier realtimeNs, LongSupplier monotonicNs,
                             boolean qErrCorrection) {
        this(opener, portName, config, fallbackLeap, realtimeNs, monotonicNs, qErrCorrection,
                () -> PulsePairing.UNSYNCHRONISED);
    }

    /**
     * @param kernelMaxErrorNs the kernel's maxerror for the system clock, or {@link PulsePairing#UNSYNCHRONISED}:
     *                         a system clock synchronised by other means checks the receiver's second
     */
    public ReceiverTimeOfDay(ByteTransport.Opener opener, String portName, PulsePairing.Config config,
                             Supplier<LeapState> fallbackLeap, LongSupplier realtimeNs, LongSupplier monotonicNs,
                             boolean qErrCorrection, LongSupplier kernelMaxErrorNs) {
        this.kernelMaxErrorNs = kernelMaxErrorNs;
        this.opener = opener;
        this.portName = portName;
        this.pairing = new PulsePairing(config);
        this.fallbackLeap = fallbackLeap;
        this.realtimeNs = realtimeNs;
        this.monotonicNs = monotonicNs;
        this.qErrCorrection = qErrCorrection;
        this.transportProblem = "not opened yet";
    }

    /**
     * An edge of the pulse train (any edge: the pairing tells the leading one). Returns it corrected by the qErr
     * that TIM-TP announced for it, when qErr correction is on and the edge is, by the trusted receiver time, at the
     * top of the second that TIM-TP named; otherwise unchanged.
     */
    @Override
    public synchronized ExttsEvent pulse(ExttsEvent event) {
        long now = realtimeNs.getAsLong();
        long sysMinusSteady = ClockOffset.realtimeMinusMonotonic(realtimeNs, monotonicNs);
        long edgeSys = event.xts().sysAt(event.phcNs());
        pairing.edge(edgeSys, sysMinusSteady);
        if (!qErrCorrection) {
            return event;
        }
        LeapState leap = fallbackLeap.get();
        TodVerdict v = pairing.verdict(now, sysMinusSteady, leap, kernelMaxErrorNs.getAsLong());
        if (!v.trusted()) {
            return event;
        }
        long utcNs = v.utcAt(edgeSys);
        long second = Math.floorDiv(utcNs + S / 2, S);
        if (Math.abs(utcNs - second * S) > ON_THE_SECOND_NS) {
            return event; // a trailing edge
        }
        long q = sawtooth.correctionNs(second, v.leap().taiMinusUtcS() - 19);
        return q == 0 ? event : new ExttsEvent(event.phcNs() + q, event.channel(), event.xts(), event.monoNs());
    }

    @Override
    public synchronized TodVerdict query() {
        long now = realtimeNs.getAsLong();
        LeapState leap = fallbackLeap.get();
        if (assembler != null) {
            assembler.idle(now);
        }
        TodVerdict paired = pairing.verdict(now, ClockOffset.realtimeMinusMonotonic(realtimeNs, monotonicNs), leap, kernelMaxErrorNs.getAsLong());
        String byteProblem = byteProblem(now);
        if (byteProblem != null) {
            return TodVerdict.untrusted(byteProblem, paired.leap(), paired.reference());
        }
        return paired;
    }

    /** The pairing's remark, else the u-blox set-up's when it did not take (logged once by the daemon). */
    @Override
    public synchronized String note() {
        String n = pairing.note();
        return n.isEmpty() && setup != null && !setup.took() ? setup.summary() : n;
    }

    @Override
    public synchronized java.util.Optional<ReceiverStatus> status() {
        StreamDecoder.Counts counts = decoder != null ? decoder.counts() : new StreamDecoder.Counts(0, 0, 0, 0, null);
        return java.util.Optional.of(pairing.status(fallbackLeap.get(), counts, setup == null ? "" : setup.summary()));
    }

    /** Reads the port until {@link #close}; reopens it {@value #REOPEN_MS} ms after a failure. */
    @Override
    public void readLoop() throws InterruptedException {
        while (!closed) {
            ByteTransport t;
            try {
                t = opener.open();
            } catch (IOException e) {
                failed(e.getMessage());
                Thread.sleep(REOPEN_MS);
                continue;
            }
            opened(t);
            try {
                while (!closed) {
                    int n = t.read(buf, READ_TIMEOUT_MS);
                    received(buf, n);
                }
            } catch (IOException e) {
                failed(e.getMessage());
            } finally {
                t.close();
            }
            if (!closed) {
                Thread.sleep(REOPEN_MS);
            }
        }
    }

    /**
     * Reading in the caller's time instead of {@link #readLoop}: the port counts as opened now, with one byte taking
     * {@code byteNs} on the line; the caller then hands over each read with {@link #read}. For a caller that owns
     * the clocks and the order of events, such as the simulator's virtual time: no thread, no transport.
     */
    public synchronized void attach(long byteNs) {
        start(null, byteNs);
    }

    /**
     * What a read of the port returned, now (by the realtime clock): {@code n} bytes of {@code data}, dated back to
     * the first of them by the byte time; {@code n <= 0} when the read timed out empty. After {@link #attach}.
     */
    public void read(byte[] data, int n) {
        received(data, n);
    }

    synchronized void opened(ByteTransport t) {
        if (closed) {
            t.close();
            return;
        }
        start(t, t.byteNs());
    }

    private void start(ByteTransport t, long byteNs) {
        transport = t;
        setup = t == null ? null : t.setupReport().orElse(null);
        decoder = new StreamDecoder(byteNs);
        assembler = new EpochAssembler(e -> {
            lastEpochSysNs = e.lastByteSysNs();
            pairing.epoch(e);
        });
        openedSysNs = realtimeNs.getAsLong();
        lastEpochSysNs = Long.MIN_VALUE;
        lastByteSysNs = Long.MIN_VALUE;
        bytesSinceMessage = 0;
        lastMessages = 0;
        transportProblem = null;
    }

    synchronized void received(byte[] data, int n) {
        long now = realtimeNs.getAsLong();
        if (n <= 0) {
            assembler.idle(now);
            return;
        }
        lastByteSysNs = now;
        decoder.feed(data, n, now, d -> {
            if (d.message() instanceof ReceiverMessage.NextPulse p) {
                sawtooth.announced(p);
            }
            assembler.accept(d);
        });
        long messages = decoder.counts().messages();
        bytesSinceMessage = messages > lastMessages ? 0 : bytesSinceMessage + n;
        lastMessages = messages;
    }

    synchronized void failed(String why) {
        transport = null;
        transportProblem = why;
        pairing.forget(why);
    }

    private String byteProblem(long now) {
        if (transportProblem != null) {
            return transportProblem;
        }
        long since = lastByteSysNs == Long.MIN_VALUE ? now - openedSysNs : now - lastByteSysNs;
        if (since > NO_BYTES_NS) {
            return "no bytes from " + portName + " (check the wiring, the baud rate, and that the receiver sends on"
                    + " this port)";
        }
        if (bytesSinceMessage > GARBAGE_BYTES) {
            StreamDecoder.Counts c = decoder.counts();
            return "bytes from " + portName + " but no valid messages (" + (c.badChecksums() > 0
                    ? "checksums fail: wrong baud rate?" : "neither NMEA nor UBX: wrong baud rate?") + ")";
        }
        long sinceTime = lastEpochSysNs == Long.MIN_VALUE ? now - openedSysNs : now - lastEpochSysNs;
        if (lastMessages > 0 && sinceTime > NO_TIME_NS) {
            return EpochReading.NO_TIME; // messages, but none that names a second: no burst ever opens
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        ByteTransport t;
        synchronized (this) {
            t = transport;
        }
        if (t != null) {
            t.close();
        }
    }
}
