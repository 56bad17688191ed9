package org.pps2phc.linux;

/**
 * What a PHC says it can do (struct ptp_clock_caps).
 *
 * @param maxAdjPpb          largest frequency adjustment the driver accepts, ppb
 * @param externalTimestamps number of external-timestamp (extts) channels
 * @param crossTimestamping  the driver implements PTP_SYS_OFFSET_PRECISE
 */
public record PhcCapabilities(int maxAdjPpb, int alarms, int externalTimestamps, int periodicOutputs, boolean pps,
                              int pins, boolean crossTimestamping, boolean adjustPhase) {
    static PhcCapabilities of(PtpIoctls.ClockCaps c) {
        return new PhcCapabilities(c.max_adj, c.n_alarm, c.n_ext_ts, c.n_per_out, c.pps != 0, c.n_pins,
                c.cross_timestamping != 0, c.adjust_phase != 0);
    }
}
