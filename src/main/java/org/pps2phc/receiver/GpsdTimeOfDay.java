package org.pps2phc.receiver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

/**
 * gpsd as the time of day: {@code ?WATCH} with {@code pps}, and each TOFF (gpsd's receive time of an epoch, in
 * this machine's system clock, and that epoch's UTC second) paired with the pulse as a burst is
 * ({@link PulsePairing}): the TOFF's clock is the burst's start. gpsd must run on this machine (its clock is the
 * one the pulses' cross-timestamps are in). The last TPV's mode says whether gpsd has a fix. When gpsd restarts,
 * the connection is made again every 2 s with one stable reason in the verdict, and what was measured on the pulses
 * is kept.
 */
public final class GpsdTimeOfDay implements PairedTimeOfDay {
    private static final long S = 1_000_000_000L;
    private static final String WATCH = "?WATCH={\"enable\":true,\"json\":true,\"pps\":true};\n";
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final int READ_TIMEOUT_MS = 200;
    private static final long RECONNECT_MS = 2000;
    private static final long NO_TOFF_NS = 3 * S;
    /** A TOFF further than this from a whole second describes no pulse. */
    private static final long OFF_SECOND_NS = 10_000_000;

    private final InetSocketAddress address;
    private final String name;
    private final PulsePairing pairing;
    private final Supplier<LeapState> fallbackLeap;
    private final LongSupplier realtimeNs;
    private final LongSupplier monotonicNs;
    private final LongSupplier kernelMaxErrorNs;
    private volatile boolean closed;
    private Socket socket;
    private String problem = "not connected yet";
    private long connectedSysNs;
    private long lastToffSysNs = Long.MIN_VALUE;
    private int lastMode = -1;

    public GpsdTimeOfDay(InetSocketAddress address, PulsePairing.Config config, Supplier<LeapState> fallbackLeap,
                         LongSupplier realtimeNs, LongSupplier monotonicNs) {
        this(address, config, fallbackLeap, realtimeNs, monotonicNs, () -> PulsePairing.UNSYNCHRONISED);
    }

    /** @param kernelMaxErrorNs as for {@link ReceiverTimeOfDay}: a synchronised system clock checks the second */
    public GpsdTimeOfDay(InetSocketAddress address, PulsePairing.Config config, Supplier<LeapState> fallbackLeap,
                         LongSupplier realtimeNs, LongSupplier monotonicNs, LongSupplier kernelMaxErrorNs) {
        this.kernelMaxErrorNs = kernelMaxErrorNs;
        this.address = address;
        this.name = "gpsd at " + (address.getAddress() != null ? address.getAddress().getHostAddress()
                : address.getHostString()) + ":" + address.getPort();
        this.pairing = new PulsePairing(config);
        this.fallbackLeap = fallbackLeap;
        this.realtimeNs = realtimeNs;
        this.monotonicNs = monotonicNs;
    }

    @Override
    public synchronized ExttsEvent pulse(ExttsEvent event) {
        pairing.edge(event.xts().sysAt(event.phcNs()), ClockOffset.realtimeMinusMonotonic(realtimeNs, monotonicNs));
        return event;
    }

    /** The pairing of gpsd's TOFF reports (gpsd reads the bytes: none are counted here). */
    @Override
    public synchronized java.util.Optional<ReceiverStatus> status() {
        return java.util.Optional.of(pairing.status(fallbackLeap.get(), new StreamDecoder.Counts(-1, 0, 0, 0, null),
                ""));
    }

    @Override
    public synchronized TodVerdict query() {
        long now = realtimeNs.getAsLong();
        TodVerdict paired = pairing.verdict(now, ClockOffset.realtimeMinusMonotonic(realtimeNs, monotonicNs), fallbackLeap.get(),
                kernelMaxErrorNs.getAsLong());
        String why = problem;
        if (why == null) {
            long since = lastToffSysNs == Long.MIN_VALUE ? now - connectedSysNs : now - lastToffSysNs;
            if (since > NO_TOFF_NS) {
                why = "no TOFF from " + name + " (its device silent, or gpsd's time not valid yet)";
            }
        }
        return why == null ? paired : TodVerdict.untrusted(why, paired.leap(), paired.reference());
    }

    @Override
    public void readLoop() throws InterruptedException {
        while (!closed) {
            try (Socket s = new Socket()) {
                s.connect(address, CONNECT_TIMEOUT_MS);
                s.setSoTimeout(READ_TIMEOUT_MS);
                connected(s);
                OutputStream out = s.getOutputStream();
                out.write(WATCH.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.UTF_8), FlatJson.MAX_LENGTH + 2);
                while (!closed) {
                    String line;
                    try {
                        line = in.readLine();
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (line == null) {
                        throw new IOException("gpsd closed the connection");
                    }
                    line(line);
                }
            } catch (IOException e) {
                disconnected(name + ": " + e.getMessage() + "; reconnecting");
            }
            if (!closed) {
                Thread.sleep(RECONNECT_MS);
            }
        }
    }

    /** One line from gpsd. */
    synchronized void line(String line) {
        Map<String, String> o;
        try {
            o = FlatJson.parse(line);
        } catch (MalformedMessageException e) {
            return; // a line cut by a reconnect, or garbage: the next TOFF counts
        }
        String cls = o.getOrDefault("class", "");
        if (cls.equals("TPV")) {
            lastMode = intOr(o.get("mode"), -1);
        } else if (cls.equals("TOFF")) {
            toff(o);
        }
    }

    private void toff(Map<String, String> o) {
        long realSec = longOr(o.get("real_sec"), Long.MIN_VALUE);
        long realNsec = longOr(o.get("real_nsec"), Long.MIN_VALUE);
        long clockSec = longOr(o.get("clock_sec"), Long.MIN_VALUE);
        long clockNsec = longOr(o.get("clock_nsec"), Long.MIN_VALUE);
        if (realSec == Long.MIN_VALUE || realNsec == Long.MIN_VALUE || clockSec == Long.MIN_VALUE
                || clockNsec == Long.MIN_VALUE) {
            return;
        }
        long second = realSec + (realNsec >= S / 2 ? 1 : 0);
        long residual = realSec * S + realNsec - second * S;
        if (Math.abs(residual) > OFF_SECOND_NS) {
            return;
        }
        long clock = clockSec * S + clockNsec;
        lastToffSysNs = realtimeNs.getAsLong();
        String why = lastMode >= 0 && lastMode < 2 ? "mode " + lastMode + " (no fix)" : null;
        pairing.epoch(new Epoch(clock, clock, true, false,
                List.of(new ReceiverMessage.UtcTime("gpsd TOFF", second, false, why))));
    }

    private synchronized void connected(Socket s) {
        socket = s;
        connected();
    }

    /** A connection to gpsd is up (its socket, if any, set by the caller). */
    synchronized void connected() {
        problem = null;
        connectedSysNs = realtimeNs.getAsLong();
        lastToffSysNs = Long.MIN_VALUE;
    }

    synchronized void disconnected(String why) {
        socket = null;
        problem = why;
    }

    private static long longOr(String v, long otherwise) {
        try {
            return v == null ? otherwise : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static int intOr(String v, int otherwise) {
        long l = longOr(v, otherwise);
        return l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? otherwise : (int) l;
    }

    @Override
    public void close() {
        closed = true;
        Socket s;
        synchronized (this) {
            s = socket;
        }
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closed either way
            }
        }
    }
}
