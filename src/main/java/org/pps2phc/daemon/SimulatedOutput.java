package org.pps2phc.daemon;

import java.util.Arrays;
import java.util.Locale;

/**
 * An output of the config file that {@code run --simulate --feed} may feed with simulated time. Simulation feeds
 * only what is named: a config file alone (even /etc/pps2phc/pps2phc.conf) never puts simulated time into a real
 * chronyd, ntpd or ptp4l.
 */
public enum SimulatedOutput {
    /** The NTP SHM segment ({@code ntpshm_segment}). */
    NTPSHM,
    /** chrony's SOCK refclock ({@code sock_path}). */
    SOCK,
    /** ptp4l's grandmaster settings ({@code ptp4l_update 1}). */
    PTP4L;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known outputs */
    public static SimulatedOutput parse(String text) {
        for (SimulatedOutput o : values()) {
            if (o.label().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown output '" + text + "' (known: "
                + String.join(", ", Arrays.stream(values()).map(SimulatedOutput::label).toList()) + ")");
    }
}
