package org.pps2phc.daemon;

import java.util.List;
import org.pps2phc.cli.ExitCodes;
import org.pps2phc.cli.UserError;

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

    /** Simulated hardware in real time, for {@code run --simulate [--scenario NAME] [--set KEY=VALUE]...}. */
    public static DaemonAssembly simulated(String scenario, List<String> sets) {
        return StandInSimulation.of(scenario, sets);
    }
}
