package org.pps2phc.daemon;

import java.io.IOException;
import java.time.LocalDate;
import org.pps2phc.config.ReceiverSettings;
import org.pps2phc.config.Settings;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.receiver.ByteTransport;
import org.pps2phc.receiver.PulsePairing;
import org.pps2phc.receiver.ReceiverTimeOfDay;
import org.pps2phc.sim.GnssLine;
import org.pps2phc.sim.GnssReceiver;
import org.pps2phc.sim.SimHardware;

/**
 * The daemon's own receiver path ({@link ReceiverTimeOfDay}: decoder, bursts, pairing, qErr) driven by the
 * simulator in virtual time ({@code pps2phc simulate} with {@code tod.source=gnss}): the world's clocks are its
 * clocks, each read of the simulated serial line is handed over as it happens, nothing runs on a thread; and
 * ({@link #paced}) the same path on the simulated line of {@code run --simulate}, read on the receiver's thread.
 */
final class SimulatedReceiver implements GnssReceiver {
    static final String PORT = "sim-gnss";
    private final ReceiverTimeOfDay receiver;

    private SimulatedReceiver(Clocks clocks, Settings settings, ReceiverSettings r) {
        receiver = new ReceiverTimeOfDay(SimulatedReceiver::notOpened, PORT, config(clocks.startUtcS(), settings, r),
                clocks::leap, clocks.realtimeNs(), clocks.monotonicNs(), r.qErrCorrection());
        receiver.attach(clocks.byteNs());
    }

    /**
     * The receiver path of {@code pps2phc simulate}, set up from the config as {@link #paced} is for
     * {@code run --simulate}.
     */
    static GnssReceiver.Factory factory(Settings settings, ReceiverSettings r) {
        return clocks -> new SimulatedReceiver(clocks, settings, r);
    }

    /**
     * The pairing's settings for a simulated receiver, from the config as for a real one: ts2phc.nmea_delay and
     * ts2phc.pulsewidth; and a build date no later than the run's start, which a simulation may put before this
     * build.
     */
    static PulsePairing.Config config(long startUtcS, Settings settings, ReceiverSettings r) {
        LocalDate start = LocalDate.ofEpochDay(Math.floorDiv(startUtcS, 86_400L));
        LocalDate built = BuildDate.get();
        return new PulsePairing.Config(r.nmeaDelayNs(), settings.device().pulseWidthNs(),
                start.isBefore(built) ? start : built, "GNSS " + PORT);
    }

    /**
     * The receiver on the simulated serial line of a world paced to the wall clock, for {@code run --simulate} with
     * {@code tod.source=gnss}: read on a thread of its own like a real port, its clocks the world's.
     */
    static ReceiverReader paced(Settings settings, ReceiverSettings r, SimHardware hw) {
        GnssLine line = hw.gnssLine();
        PulsePairing.Config config = config(Math.floorDiv(hw.utcNowNs(), 1_000_000_000L), settings, r);
        return new ReceiverReader(new ReceiverTimeOfDay(() -> new Port(line), PORT, config, hw::leap,
                hw::systemTimeNs, hw.monotonic()::nanos, r.qErrCorrection()));
    }

    /** The simulated serial line as the receiver reads a port. */
    private static final class Port implements ByteTransport {
        private final GnssLine line;
        private volatile boolean closed;

        Port(GnssLine line) {
            this.line = line;
        }

        @Override
        public int read(byte[] buf, int timeoutMs) throws IOException {
            if (closed) {
                throw new IOException(PORT + " closed");
            }
            try {
                return line.read(buf, timeoutMs * 1_000_000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(PORT + ": interrupted", e);
            }
        }

        @Override
        public String name() {
            return PORT;
        }

        @Override
        public long byteNs() {
            return line.byteNs();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ByteTransport notOpened() throws IOException {
        throw new IOException(PORT + " is read in virtual time, not opened");
    }

    @Override
    public ExttsEvent pulse(ExttsEvent event) {
        return receiver.pulse(event);
    }

    @Override
    public void bytes(byte[] data) {
        receiver.read(data, data.length);
    }

    @Override
    public TodVerdict query() {
        return receiver.query();
    }
}
