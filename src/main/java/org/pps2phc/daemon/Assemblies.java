package org.pps2phc.daemon;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pps2phc.cli.ExitCodes;
import org.pps2phc.cli.UserError;
import org.pps2phc.chrony.ChronyAddress;
import org.pps2phc.chrony.ChronyTimeOfDay;
import org.pps2phc.chrony.ChronyTrustPolicy;
import org.pps2phc.chrony.CmdmonClient;
import org.pps2phc.chrony.KernelTaiSource;
import org.pps2phc.chrony.TaiUtcSource;
import org.pps2phc.config.Settings;
import org.pps2phc.config.TodSettings;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * Where {@code pps2phc run} gets its ports. The two methods are the wiring seam: each returns a
 * {@link DaemonAssembly}, and plugging in an adapter means building its part of {@link Ports} here.
 */
public final class Assemblies {
    private Assemblies() {
    }

    /**
     * The real hardware: the Linux PHC and its extts channel (Settings.device()), chrony as the time of day
     * (Settings.tod()), the NTP SHM / chrony SOCK sinks (Settings.outputs()) and the ptp4l keeper
     * (Settings.ptp4l()). Not wired on this branch: the adapters come from their own branches.
     */
    public static DaemonAssembly device() {
        return settings -> {
            throw new UserError(ExitCodes.UNAVAILABLE, "this build has no device adapter wired in yet; "
                    + "use 'pps2phc run --simulate'");
        };
    }

    /**
     * The ptp4l grandmaster updater when {@code ptp4l_update 1}, for the device assembly's {@link Ports#keeper()}.
     */
    public static Optional<Ptp4lUpdater> ptp4l(Settings settings) {
        return Ptp4lGrandmasterUpdater.open(settings.ptp4l(), settings.initialLeap());
    }

    /**
     * chronyd as the time-of-day judge, for the device assembly's {@link Ports#timeOfDay()}: tracking over its
     * command port, trusted by the tod_* keys, TAI-UTC from the kernel (once the Linux adapter's adjtimex reader is
     * passed as {@code kernelTai}), else leapfile, else utc_offset.
     */
    public static TimeOfDaySource timeOfDay(Settings settings, KernelTaiSource kernelTai) {
        TodSettings t = settings.tod();
        Duration first = Duration.ofMillis(t.timeoutMs());
        CmdmonClient client = new CmdmonClient(ChronyAddress.parse(t.chronyAddress()),
                List.of(first, first.multipliedBy(2), first.multipliedBy(4)));
        ChronyTrustPolicy policy = new ChronyTrustPolicy(t.maxErrorNs() / 1e9, t.allowLocal(), t.ownRefid(),
                ChronyTrustPolicy.DEFAULT_AGREEMENT_S);
        TaiUtcSource taiUtc = new TaiUtcSource(kernelTai,
                settings.leapfile().isEmpty() ? Optional.empty() : Optional.of(Path.of(settings.leapfile())),
                settings.configuredUtcOffset(), Clock.systemUTC());
        return new ChronyTimeOfDay(client, policy, taiUtc, System::nanoTime);
    }

    /** Simulated hardware in real time, for {@code run --simulate [--scenario NAME] [--set KEY=VALUE]...}. */
    public static DaemonAssembly simulated(String scenario, List<String> sets) {
        return StandInSimulation.of(scenario, sets);
    }
}
