package org.pps2phc.daemon;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.linux.KernelTai;
import org.pps2phc.daemon.UserError;
import org.pps2phc.config.DeviceSettings;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.OutputSettings;
import org.pps2phc.config.ReceiverSettings;
import org.pps2phc.config.Settings;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real hardware for {@code pps2phc run}: the device section's PHC with its extts channel armed, chronyd as the
 * time of day, the NTP SHM segment and/or chrony SOCK socket, and ptp4l when asked. Everything opened is closed
 * again when a later part fails, and every failure is a {@link UserError} with its sysexits code.
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
            PhcDevice phc = PhcDevice.open(d.name());
            opened.add(phc);
            PinChoice pin = d.pinName().isEmpty() ? PinChoice.byIndex(d.pinIndex()) : PinChoice.byName(d.pinName());
            ExttsChannel pulses = phc.armExtts(d.channel(), pin);
            opened.add(pulses);
            ReceiverSettings receiver = receiverSettings(settings);
            TimeOfDaySource tod;
            PulseSource pulseSource = pulses;
            String todDescription = "";
            if (receiver.enabled() || receiver.gpsd()) {
                ReceiverReader reader = receiver.gpsd() ? Assemblies.gpsd(settings, receiver, KernelTai.system())
                        : Assemblies.receiver(settings, receiver, KernelTai.system());
                opened.add(reader);
                tod = receiver.crossCheck() ? new CrossCheckedTimeOfDay(reader,
                        Assemblies.timeOfDay(settings, KernelTai.system()), "chronyd") : reader;
                pulseSource = new PulseTap(pulses, reader.receiver()::pulse);
                todDescription = receiver.gpsd() ? ", time of day from gpsd at " + receiver.gpsdAddress()
                        : ", time of day from the receiver on " + receiver.portName();
            } else {
                tod = Assemblies.timeOfDay(settings, KernelTai.system());
            }
            List<SampleSink> sinks = sinks(settings.outputs(), opened);
            Optional<Ptp4lUpdater> ptp4l = Assemblies.ptp4l(settings);
            ptp4l.ifPresent(opened::add);
            String description = phc.path() + phc.networkInterface().map(i -> " (" + i + ")").orElse("")
                    + ", channel " + d.channel() + ", " + pin + ", " + pulses.edgeRequest().description()
                    + todDescription;
            return new Ports(phc, pulseSource, tod, sinks, ptp4l, System::nanoTime, Optional.of(phc::crossTimestamp),
                    description);
        } catch (PhcException e) {
            closeAll(opened);
            throw new UserError(e.exitCode(), e.getMessage());
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static ReceiverSettings receiverSettings(Settings settings) {
        try {
            return settings.receiver();
        } catch (ConfigException e) {
            throw new UserError(ExitCodes.CONFIG, String.join("; ", e.problems()));
        }
    }

    /** The NTP SHM segment and/or chrony SOCK the config asks for; each one opened is added to {@code opened}. */
    static List<SampleSink> sinks(OutputSettings o, List<AutoCloseable> opened) {
        List<SampleSink> sinks = new ArrayList<>();
        if (o.shmEnabled()) {
            try {
                NtpShmSink shm = NtpShmSink.open(new NtpShmConfig(o.shmUnit(), o.shmPerm(),
                        o.shmTai() ? Timescale.TAI : Timescale.UTC));
                opened.add(shm);
                sinks.add(shm);
            } catch (NtpShmException e) {
                throw new UserError(e.permissionProblem() ? ExitCodes.NOPERM : ExitCodes.UNAVAILABLE, e.getMessage());
            }
        }
        if (o.sockEnabled()) {
            try {
                ChronySockSink sock = ChronySockSink.open(new ChronySockConfig(o.sockPath()), DeviceAssembly::sockStatus);
                opened.add(sock);
                sinks.add(sock);
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
