package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
/**
 * chrony's answer to REQ_TRACKING (what `chronyc tracking` shows), decoded.
 *
 * @param refId               reference ID: a refclock's ASCII refid, an IPv4 address, {@link RefId#LOCAL}, 0 unsynced
 * @param refAddr             the reference's address (family 0 for refclocks and when unsynchronised)
 * @param stratum             chrony's stratum
 * @param leapStatus          0 normal, 1 insert, 2 delete, 3 not synchronised
 * @param refTimeNs           POSIX time of the last clock update, ns
 * @param currentCorrectionS  "System time": positive when the system clock is behind chrony's time, s
 * @param lastOffsetS         offset of the last clock update, s
 * @param rmsOffsetS          long-term average offset, s
 * @param freqPpm             frequency error of the system clock, ppm (positive: fast)
 * @param residFreqPpm        residual frequency of the reference, ppm
 * @param skewPpm             estimated error bound of the frequency, ppm
 * @param rootDelayS          total network path delay to the stratum-1 source, s
 * @param rootDispersionS     total dispersion accumulated up to the stratum-1 source, s (computed when asked)
 * @param lastUpdateIntervalS interval between the last two clock updates, s
 */
public record TrackingReport(int refId, ChronyAddr refAddr, int stratum, int leapStatus, long refTimeNs,
                             double currentCorrectionS, double lastOffsetS, double rmsOffsetS, double freqPpm,
                             double residFreqPpm, double skewPpm, double rootDelayS, double rootDispersionS,
                             double lastUpdateIntervalS) {
    public static final int LEAP_NORMAL = 0;
    public static final int LEAP_INSERT = 1;
    public static final int LEAP_DELETE = 2;
    public static final int LEAP_UNSYNCHRONISED = 3;

    /** |correction| + root dispersion + root delay / 2: how far the system clock may be from true time, s. */
    public double errorBoundS() {
        return Math.abs(currentCorrectionS) + rootDispersionS + rootDelayS / 2;
    }

    /** What chrony is synchronised to, as a person would name it: "PHC0", "192.0.2.1", "local", "none". */
    public String referenceName() {
        if (refId == 0 && leapStatus == LEAP_UNSYNCHRONISED) {
            return "none";
        }
        if (refId == RefId.LOCAL) {
            return "local";
        }
        if (refAddr.family() == ChronyAddr.INET4 || refAddr.family() == ChronyAddr.INET6) {
            return refAddr.toString();
        }
        return RefId.ascii(refId).orElse(String.format("%08X", refId));
    }

    public String leapStatusText() {
        return switch (leapStatus) {
            case LEAP_NORMAL -> "Normal";
            case LEAP_INSERT -> "Insert second";
            case LEAP_DELETE -> "Delete second";
            case LEAP_UNSYNCHRONISED -> "Not synchronised";
            default -> "Invalid (" + leapStatus + ")";
        };
    }
}
