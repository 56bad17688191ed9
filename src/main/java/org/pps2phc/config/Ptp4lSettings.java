package org.pps2phc.config;

/**
 * The ptp4l grandmaster keeper's settings.
 *
 * @param enabled                 ptp4l_update
 * @param udsAddress              ptp4l's management socket
 * @param domainNumber            PTP domain
 * @param transportSpecific       transportSpecific / majorSdoId
 * @param resendPeriodS           resend period, seconds
 * @param clockClassLocked        clockClass while LOCKED
 * @param clockClassHoldover      clockClass in HOLDOVER
 * @param clockClassFreeRunning   clockClass while ACQUIRING or FREE_RUNNING
 * @param clockAccuracy           clockAccuracy while LOCKED
 * @param offsetScaledLogVariance offsetScaledLogVariance
 * @param timeSource              timeSource
 */
public record Ptp4lSettings(boolean enabled, String udsAddress, int domainNumber, int transportSpecific,
                            double resendPeriodS, int clockClassLocked, int clockClassHoldover,
                            int clockClassFreeRunning, int clockAccuracy, int offsetScaledLogVariance,
                            int timeSource) {
}
