package org.pps2phc.daemon;

import org.pps2phc.config.Settings;

/**
 * Opens the ports a configuration names. This is the seam where adapters plug in: the Linux device, chrony, the
 * NTP sinks and the ptp4l keeper for {@code pps2phc run}, the simulator for {@code pps2phc run --simulate}.
 * Implementations throw {@link org.pps2phc.cli.UserError} with a sysexits code (69 device or peer missing, 77 no
 * permission, 78 config that does not fit the hardware) and close whatever they had opened before throwing.
 */
@FunctionalInterface
public interface DaemonAssembly {
    Ports open(Settings settings);
}
