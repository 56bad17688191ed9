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
import org.pps2phc.sim.Scenarios;
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
        return Ptp4lGrandmasterUpdater.open(settings.ptp4l(), settings.initialLeap());
    }

    /**
     * chronyd as the time-of-day judge, for the device assembly's {@link Ports#timeOfDay()}: tracking over its
     * command port, trusted by the tod_* keys, TAI-UTC from the kernel ({@code kernelTai}: adjtimex), else
     * leapfile, else utc_offset.
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

    /**
     * Simulated hardware paced to the wall clock, for {@code run --simulate [--scenario NAME] [--set KEY=VALUE]...}:
     * the simulator's world (package sim) behind the same ports as the device.
     *
     * @throws UserError 64 for an unknown scenario or key, or a bad value (before anything runs)
     */
    public static DaemonAssembly simulated(String scenario, List<String> sets, long seed) {
        String name = scenario == null ? Scenarios.DEFAULT : scenario;
        SimHardware hw;
        try {
            hw = SimHardware.paced(name, Scenarios.parseAssignments(sets), seed, 1.0);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        return settings -> new Ports(hw.phc(), hw.pulses(), hw.timeOfDay(), List.of(), Optional.empty(),
                hw.monotonic(), Optional.of(hw::crossTimestamp),
                "simulated PHC (scenario " + name + ", seed " + seed + (sets.isEmpty() ? "" : ", " + sets) + ")");
    }
}
