package org.pps2phc.ntpshm;

/**
 * Where to send samples for chrony's {@code refclock SOCK <path>}.
 *
 * @param socketPath the path chronyd binds (for example /run/chrony.pps2phc.sock)
 * @param timescale  UTC (default) or TAI (for chrony's {@code tai} option)
 */
public record ChronySockConfig(String socketPath, Timescale timescale) {
    public ChronySockConfig {
        if (socketPath == null || socketPath.isBlank()) {
            throw new IllegalArgumentException("chrony SOCK socket path is required");
        }
        if (timescale == null) {
            throw new IllegalArgumentException("timescale is required");
        }
    }

    public ChronySockConfig(String socketPath) {
        this(socketPath, Timescale.UTC);
    }
}
