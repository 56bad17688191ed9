package org.pps2phc.daemon;

import org.pps2phc.config.ChronyAddressParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import org.pps2phc.chrony.ChronyAddress;
import org.pps2phc.chrony.ChronyTimeOfDay;
import org.pps2phc.chrony.ChronyTrustPolicy;
import org.pps2phc.chrony.CmdmonClient;
import org.pps2phc.core.port.KernelTaiSource;
import org.pps2phc.chrony.TaiUtcSource;
import org.pps2phc.config.OutputSettings;
import org.pps2phc.config.Settings;
import org.pps2phc.config.ReceiverSettings;
import org.pps2phc.config.TodSettings;
import org.pps2phc.core.LeapSnapshot;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.port.TimeOfDaySource;
import java.net.InetSocketAddress;
import org.pps2phc.core.port.PulseSource;
import org.pps2phc.receiver.ByteTransport;
import org.pps2phc.receiver.GpsdTimeOfDay;
import org.pps2phc.receiver.PulsePairing;
import org.pps2phc.receiver.PulseTap;
import org.pps2phc.receiver.ReceiverTimeOfDay;
import org.pps2phc.receiver.SerialTransport;
import org.pps2phc.receiver.TcpTransport;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.GnssReceiver;
import org.pps2phc.sim.SimHardware;

/**
 * Where {@code pps2phc run} gets its ports: {@link #device()} for the hardware, {@link #simulated} for
 * {@code --simulate}. Each returns a {@link DaemonAssembly}; plugging in an adapter means building its part of
 * {@link Ports} there.
 */
public final class Assemblies {
    private Assemblies() {
    }

    /**
     * The real hardware: the Linux PHC and its extts channel (Settings.device()), chrony as the time of day
     * (Settings.tod()), the NTP SHM / chrony SOCK sinks (Settings.outputs()) and the ptp4l updater
     * (Settings.ptp4l()).
     */
    public static DaemonAssembly device() {
        return new DeviceAssembly();
    }

    /**
     * The ptp4l grandmaster updater when {@code ptp4l_update 1}, for the device assembly's {@link Ports#keeper()}.
     */
    public static Optional<Ptp4lUpdater> ptp4l(Settings settings) {
        return ptp4l(settings, settings.initialLeap(), Ptp4lGrandmasterUpdater::wallClockUtcNs);
    }

    /** {@link #ptp4l(Settings)} judging leap flags and the UTC offset by {@code utcNowNs} (the simulated UTC). */
    static Optional<Ptp4lUpdater> ptp4l(Settings settings, LeapState initialLeap, LongSupplier utcNowNs) {
        return Ptp4lGrandmasterUpdater.open(settings.ptp4l(), initialLeap, utcNowNs);
    }

    /**
     * chronyd as the time-of-day judge, for the device assembly's {@link Ports#timeOfDay()}: tracking over its
     * command port, trusted by the tod_* keys, TAI-UTC from the kernel ({@code kernelTai}: adjtimex), else
     * leapfile, else utc_offset.
     */
    public static TimeOfDaySource timeOfDay(Settings settings, KernelTaiSource kernelTai) {
        return timeOfDay(settings, (TaiUtcSource.KernelLeapReader) () -> {
            java.util.OptionalInt tai = kernelTai.taiOffset();
            return tai.isPresent() ? Optional.of(LeapSnapshot.Kernel.offsetOnly(tai.getAsInt())) : Optional.empty();
        });
    }

    /** {@link #timeOfDay(Settings, KernelTaiSource)} with the kernel's full leap view (offset and time state). */
    public static TimeOfDaySource timeOfDay(Settings settings, TaiUtcSource.KernelLeapReader kernelTai) {
        TodSettings t = settings.tod();
        Duration first = Duration.ofMillis(t.timeoutMs());
        CmdmonClient client = new CmdmonClient(ChronyAddressParser.parse(t.chronyAddress()),
                List.of(first, first.multipliedBy(2), first.multipliedBy(4)));
        ChronyTrustPolicy policy = new ChronyTrustPolicy(t.maxErrorNs() / 1e9, t.allowLocal(), t.ownRefid(),
                ChronyTrustPolicy.DEFAULT_AGREEMENT_S);
        return new ChronyTimeOfDay(client, policy, taiUtc(settings, kernelTai), System::nanoTime);
    }

    /** TAI-UTC from the kernel ({@code kernelTai}: adjtimex), else leapfile, else utc_offset. */
    private static TaiUtcSource taiUtc(Settings settings, TaiUtcSource.KernelLeapReader kernelTai) {
        return new TaiUtcSource(kernelTai,
                settings.leapfile().isEmpty() ? Optional.empty() : Optional.of(Path.of(settings.leapfile())),
                settings.configuredUtcOffset(), Clock.systemUTC());
    }

    /**
     * The GNSS receiver as the time of day (ts2phc.tod_source nmea): its port read on a thread of its own, its
     * bursts paired with the pulses the returned reader's receiver is tapped with, TAI-UTC from the receiver when it
     * says (UBX), else as for chrony. Opening the port happens on that thread, so a missing port is a verdict
     * ("cannot open"), retried, not a failed start: a USB receiver may come later than the daemon.
     *
     * @param kernelMaxErrorNs the kernel's bound on the system clock's error (Long.MAX_VALUE: not synchronised),
     *                         which checks the receiver's second when the system clock is synchronised by other means
     */
    static ReceiverReader receiver(Settings settings, ReceiverSettings r, TaiUtcSource.KernelLeapReader kernelTai,
                                   LongSupplier kernelMaxErrorNs) {
        TaiUtcSource taiUtc = taiUtc(settings, kernelTai);
        ByteTransport.Opener opener = r.remote().map(x -> TcpTransport.opener(x.host(), x.port()))
                .orElseGet(() -> r.ubxSetup() ? SerialTransport.withUbxSetup(r.serialPort(), r.baud(), System::nanoTime)
                        : SerialTransport.opener(r.serialPort(), r.baud()));
        PulsePairing.Config config = new PulsePairing.Config(r.nmeaDelayNs(), settings.device().pulseWidthNs(),
                BuildDate.get(), "GNSS " + r.portName());
        return new ReceiverReader(new ReceiverTimeOfDay(opener, r.portName(), config,
                () -> taiUtc.current(OptionalInt.empty()).state(), Assemblies::realtimeNs, System::nanoTime,
                r.qErrCorrection(), kernelMaxErrorNs));
    }

    /**
     * gpsd as the time of day (ts2phc.tod_source gpsd): its TOFF reports paired with the pulses, read on a thread of
     * its own that reconnects when gpsd restarts. TAI-UTC as for chrony (gpsd's times are UTC).
     */
    static ReceiverReader gpsd(Settings settings, ReceiverSettings r, TaiUtcSource.KernelLeapReader kernelTai,
                               LongSupplier kernelMaxErrorNs) {
        TaiUtcSource taiUtc = taiUtc(settings, kernelTai);
        InetSocketAddress address = ChronyAddressParser.hostPort("gpsd address", r.gpsdAddress(), 2947);
        PulsePairing.Config config = new PulsePairing.Config(r.nmeaDelayNs(), settings.device().pulseWidthNs(),
                BuildDate.get(), "gpsd " + r.gpsdAddress());
        return new ReceiverReader(new GpsdTimeOfDay(address, config,
                () -> taiUtc.current(OptionalInt.empty()).state(), Assemblies::realtimeNs, System::nanoTime,
                kernelMaxErrorNs));
    }

    /**
     * The receiver path for {@code pps2phc simulate} with {@code tod.source=gnss}: the daemon's own, in virtual time,
     * with the receiver keys of {@code settings} that {@code run --simulate} takes (ts2phc.nmea_delay,
     * ts2phc.pulsewidth, qerr_correction).
     *
     * @param qErrCorrection overrides the config's qerr_correction when present (simulate's --qerr-correction)
     * @throws UserError 78 when the config's receiver keys do not fit together
     */
    public static GnssReceiver.Factory simulatedReceiver(Settings settings, Optional<Boolean> qErrCorrection) {
        ReceiverSettings r = DeviceAssembly.receiverSettings(settings);
        return SimulatedReceiver.factory(settings, qErrCorrection.map(r::withQErrCorrection).orElse(r));
    }

    /** The receiver path for {@code pps2phc simulate} on the built-in config, its qerr_correction as given. */
    public static GnssReceiver.Factory simulatedReceiver(boolean qErrCorrection) {
        return simulatedReceiver(Settings.defaults(), Optional.of(qErrCorrection));
    }

    /** CLOCK_REALTIME, ns: the clock of the pulses' cross-timestamps. */
    private static long realtimeNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Simulated hardware paced to the wall clock, for {@code run --simulate [--scenario NAME] [--set KEY=VALUE]...}:
     * the simulator's world (package sim) behind the same ports as the device.
     *
     * @param feed the config's outputs to feed with simulated time, as named on the command line ({@code --feed}):
     *             simulated time must never reach a consumer the user did not name for it
     * @throws UserError 64 for an unknown scenario or key, or a bad value (before anything runs); 64 when the
     *                   config does not set up an output named in {@code feed}
     */
    public static DaemonAssembly simulated(String scenario, List<String> sets, long seed,
                                           Set<SimulatedOutput> feed) {
        String name = scenario == null ? Scenarios.DEFAULT : scenario;
        Map<String, String> overrides;
        try {
            overrides = Scenarios.parseAssignments(sets);
            Scenarios.resolve(name, overrides);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return settings -> {
            SimHardware hw = startOnTheWallClock(name, overrides, seed);
            List<AutoCloseable> opened = new ArrayList<>();
            try {
                List<SampleSink> sinks = DeviceAssembly.sinks(fedOutputs(settings, feed), opened);
                Optional<Ptp4lUpdater> ptp4l = feed.contains(SimulatedOutput.PTP4L)
                        ? ptp4l(settings, hw.leap(), hw::utcNowNs) : Optional.empty();
                ptp4l.ifPresent(opened::add);
                TimeOfDaySource tod = hw.timeOfDay();
                PulseSource pulses = hw.pulses();
                String todDescription = "";
                if (hw.world().parameters().gnss().gnssTimeOfDay()) {
                    ReceiverReader reader = SimulatedReceiver.paced(settings, DeviceAssembly.receiverSettings(settings),
                            hw);
                    opened.add(reader);
                    tod = reader;
                    pulses = new PulseTap(hw.pulses(), reader.receiver()::pulse);
                    todDescription = ", time of day from the simulated receiver";
                }
                OpenDevice device = new OpenDevice(hw.phc(), pulses, Optional.of(hw::crossTimestamp),
                        "simulated", hw.pulses()::close);
                return new Ports(PulseDevice.fixed(device), tod, sinks, ptp4l, hw.monotonic(),
                        "simulated PHC (scenario " + name + ", seed " + seed + (sets.isEmpty() ? "" : ", " + sets)
                                + ")" + todDescription);
            } catch (RuntimeException e) {
                DeviceAssembly.closeAll(opened);
                throw e;
            }
        };
    }

    /** The config's NTP outputs cut down to those named in {@code feed}, each of which the config must set up. */
    static OutputSettings fedOutputs(Settings settings, Set<SimulatedOutput> feed) {
        OutputSettings o = settings.outputs();
        if (feed.contains(SimulatedOutput.NTPSHM) && !o.shmEnabled()) {
            throw new UserError(ExitCodes.USAGE, "--feed ntpshm: " + settings.source() + " sets no NTP SHM segment "
                    + "(ntpshm_segment)");
        }
        if (feed.contains(SimulatedOutput.SOCK) && !o.sockEnabled()) {
            throw new UserError(ExitCodes.USAGE, "--feed sock: " + settings.source() + " sets no chrony SOCK "
                    + "(sock_path)");
        }
        if (feed.contains(SimulatedOutput.PTP4L) && !settings.ptp4l().enabled()) {
            throw new UserError(ExitCodes.USAGE, "--feed ptp4l: " + settings.source() + " does not set ptp4l_update 1");
        }
        return new OutputSettings(feed.contains(SimulatedOutput.NTPSHM) ? o.shmUnit() : -1, o.shmPerm(), o.shmTai(),
                feed.contains(SimulatedOutput.SOCK) ? o.sockPath() : "");
    }

    /**
     * Starts the simulated world at the next whole second of real time (unless sim.start is set), so that its
     * system clock is this machine's within the scenario's sys.offset_ms: the SHM and SOCK samples it writes are
     * then ones a real chronyd or ntpd on this machine accepts. With sim.start set the world keeps its own UTC
     * (e.g. just before a sim.leap midnight), which is the UTC ptp4l's leap flags and offset are judged by.
     */
    private static SimHardware startOnTheWallClock(String name, Map<String, String> overrides, long seed) {
        if (overrides.containsKey("sim.start")) {
            return SimHardware.paced(name, overrides, seed, 1.0);
        }
        Instant now = Instant.now();
        long startNanoTime = System.nanoTime() + (1_000_000_000L - now.getNano());
        try {
            for (long left = startNanoTime - System.nanoTime(); left > 0; left = startNanoTime - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, String> values = new LinkedHashMap<>(overrides);
        LeapState leap = Scenarios.resolve(name, values).leap();
        long startUtcNs = (now.getEpochSecond() + 1) * 1_000_000_000L;
        values.put("sim.start", Long.toString(Math.floorDiv(leap.utcToTai(startUtcNs), 1_000_000_000L)));
        // anchored to that instant, not to when the world is built: a late start would put the simulated system
        // clock behind this machine's by the delay (tens of ms in a fresh JVM)
        return SimHardware.startedAt(name, values, seed, startNanoTime);
    }
}
