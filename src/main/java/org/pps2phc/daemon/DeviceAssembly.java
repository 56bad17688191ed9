package org.pps2phc.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.linux.KernelTai;
import org.pps2phc.daemon.UserError;
import org.pps2phc.config.DeviceSettings;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.OutputSettings;
import org.pps2phc.config.ReceiverSettings;
import org.pps2phc.config.Settings;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PulseSource;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.linux.ExttsChannel;
import org.pps2phc.linux.PhcDevice;
import org.pps2phc.linux.PhcException;
import org.pps2phc.linux.PinChoice;
import org.pps2phc.ntpshm.ChronySockConfig;
import org.pps2phc.ntpshm.ChronySockSink;
import org.pps2phc.ntpshm.NtpShmConfig;
import org.pps2phc.ntpshm.NtpShmException;
import org.pps2phc.ntpshm.NtpShmSink;
import org.pps2phc.ntpshm.SinkStatus;
import org.pps2phc.ntpshm.Timescale;
import org.pps2phc.receiver.PulseTap;
import org.pps2phc.receiver.ReceiverStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real hardware for {@code pps2phc run}: the device section's PHC with its extts channel armed, chronyd as the
 * time of day, the NTP SHM segment and/or chrony SOCK socket, and ptp4l when asked. Everything opened is closed
 * again when a later part fails, and every failure is a {@link UserError} with its sysexits code. The PHC itself is
 * opened by the daemon ({@link LinuxPulseDevice}), which runs on without it while it is absent.
 */
final class DeviceAssembly implements DaemonAssembly {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");

    @Override
    public Ports open(Settings settings) {
        DeviceSettings d = settings.device();
        if (d.name() == null) {
            throw new UserError(ExitCodes.CONFIG, settings.source() + ": no device section: add one naming the NIC "
                    + "or PHC, such as [eth0] or [/dev/ptp0]");
        }
        if (d.polarity().equals("falling")) {
            throw new UserError(ExitCodes.CONFIG, settings.source() + ": ts2phc.extts_polarity falling: pps2phc "
                    + "times the rising (on-time) edge; set rising, or both for NICs that stamp both edges");
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            PinChoice pin = d.pinName().isEmpty() ? PinChoice.byIndex(d.pinIndex()) : PinChoice.byName(d.pinName());
            KernelTai kernel = KernelTai.system();
            ReceiverSettings receiver = receiverSettings(settings);
            TimeOfDaySource tod;
            UnaryOperator<ExttsEvent> pulseTap = null;
            String todDescription = "";
            Supplier<Optional<ReceiverStatus>> receiverStatus = Optional::empty;
            if (receiver.enabled() || receiver.gpsd()) {
                ReceiverReader reader = receiver.gpsd() ? Assemblies.gpsd(settings, receiver, kernel::leapView, kernel::systemClockMaxErrorNs)
                        : Assemblies.receiver(settings, receiver, kernel::leapView, kernel::systemClockMaxErrorNs);
                opened.add(reader);
                tod = receiver.crossCheck() ? new CrossCheckedTimeOfDay(reader,
                        Assemblies.timeOfDay(settings, kernel::leapView), "chronyd") : reader;
                pulseTap = reader.receiver()::pulse;
                receiverStatus = reader.receiver()::status;
                todDescription = receiver.gpsd() ? ", time of day from gpsd at " + receiver.gpsdAddress()
                        : ", time of day from the receiver on " + receiver.portName();
            } else {
                tod = Assemblies.timeOfDay(settings, kernel::leapView);
            }
            List<SampleSink> sinks = sinks(settings.outputs(), opened);
            Optional<Ptp4lUpdater> ptp4l = Assemblies.ptp4l(settings);
            ptp4l.ifPresent(opened::add);
            return new Ports(new LinuxPulseDevice(d.name(), d.channel(), pin, pulseTap), tod, sinks, ptp4l,
                    System::nanoTime, d.name() + ", channel " + d.channel() + ", " + pin + todDescription,
                    receiverStatus);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /** The device section's PHC with its channel armed; absent or gone when the kernel says there is no device. */
    static final class LinuxPulseDevice implements PulseDevice {
        private final String deviceOrInterface;
        private final int channel;
        private final PinChoice pin;
        /** Hands each event to the GNSS receiver's pairing before the engine sees it; null without a receiver. */
        private final UnaryOperator<ExttsEvent> pulseTap;

        LinuxPulseDevice(String deviceOrInterface, int channel, PinChoice pin, UnaryOperator<ExttsEvent> pulseTap) {
            this.deviceOrInterface = deviceOrInterface;
            this.channel = channel;
            this.pin = pin;
            this.pulseTap = pulseTap;
        }

        @Override
        public String name() {
            return deviceOrInterface;
        }

        @Override
        public OpenDevice open() throws PhcException {
            PhcDevice phc = null;
            try {
                phc = PhcDevice.open(deviceOrInterface);
                ExttsChannel pulses = phc.armExtts(channel, pin);
                PhcDevice opened = phc;
                PulseSource source = pulseTap == null ? pulses : new PulseTap(pulses, pulseTap);
                return new OpenDevice(phc, source, Optional.of(phc::crossTimestamp), phc.name() + ", "
                        + pulses.edgeRequest().description(), opened::close);
            } catch (PhcException e) {
                if (phc != null) {
                    phc.close();
                }
                if (e.deviceGone()) {
                    throw e;
                }
                throw new UserError(e.exitCode(), e.getMessage());
            }
        }

        @Override
        public boolean gone(ClockException failure) {
            return failure instanceof PhcException p && p.deviceGone();
        }
    }

    static ReceiverSettings receiverSettings(Settings settings) {
        try {
            return settings.receiver();
        } catch (ConfigException e) {
            throw new UserError(ExitCodes.CONFIG, String.join("; ", e.problems()));
        }
    }

    /**
     * The NTP SHM segment and/or chrony SOCK the config asks for, each behind a {@link LeapWindowGuard}; each one
     * opened is added to {@code opened}.
     */
    static List<SampleSink> sinks(OutputSettings o, List<AutoCloseable> opened) {
        List<SampleSink> sinks = new ArrayList<>();
        if (o.shmEnabled()) {
            try {
                NtpShmSink shm = NtpShmSink.open(new NtpShmConfig(o.shmUnit(), o.shmPerm(),
                        o.shmTai() ? Timescale.TAI : Timescale.UTC), LOG::warn);
                opened.add(shm);
                sinks.add(new LeapWindowGuard(shm));
            } catch (NtpShmException e) {
                throw new UserError(e.permissionProblem() ? ExitCodes.NOPERM : ExitCodes.UNAVAILABLE, e.getMessage());
            }
        }
        if (o.sockEnabled()) {
            try {
                ChronySockSink sock = ChronySockSink.open(new ChronySockConfig(o.sockPath()), DeviceAssembly::sockStatus);
                opened.add(sock);
                sinks.add(new LeapWindowGuard(sock));
            } catch (IOException e) {
                throw new UserError(ExitCodes.UNAVAILABLE, "chrony SOCK " + o.sockPath() + ": " + e.getMessage());
            }
        }
        return sinks;
    }

    private static void sockStatus(SinkStatus status) {
        if (status.delivering()) {
            LOG.info(Priorities.NOTICE, status.detail());
        } else {
            LOG.warn(status.detail());
        }
    }

    static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing after a failed start: {}", e.getMessage());
            }
        }
    }
}
