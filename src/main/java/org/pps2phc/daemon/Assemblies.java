package org.pps2phc.daemon;

import java.util.List;
import java.util.Optional;
import org.pps2phc.cli.ExitCodes;
import org.pps2phc.cli.UserError;
import org.pps2phc.config.Settings;

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

    /** Simulated hardware in real time, for {@code run --simulate [--scenario NAME] [--set KEY=VALUE]...}. */
    public static DaemonAssembly simulated(String scenario, List<String> sets) {
        return StandInSimulation.of(scenario, sets);
    }
}
