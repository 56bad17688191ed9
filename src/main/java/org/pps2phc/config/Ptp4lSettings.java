package org.pps2phc.config;

/**
 * The ptp4l grandmaster keeper's settings.
 *
 * @param enabled                 ptp4l_update
 * @param udsAddress              ptp4l's management socket
 * @param clientAddress           pps2phc's reply socket (ptp4l_client_address); empty: the default abstract name
 * @param domainNumber            PTP domain
 * @param transportSpecific       transportSpecific / majorSdoId
 * @param checkPeriodS            how often ptp4l's settings are read back and restored, seconds
 * @param clockClassLocked        clockClass while LOCKED
 * @param clockClassHoldover      clockClass in HOLDOVER
 * @param clockClassFreeRunning   clockClass while ACQUIRING or FREE_RUNNING
 * @param clockAccuracyNs         the PHC's accuracy while LOCKED, ns; negative: unknown
 * @param offsetScaledLogVariance offsetScaledLogVariance
 * @param timeSource              timeSource
 */
public record Ptp4lSettings(boolean enabled, String udsAddress, String clientAddress, int domainNumber, int transportSpecific,
                            double checkPeriodS, int clockClassLocked, int clockClassHoldover,
                            int clockClassFreeRunning, double clockAccuracyNs, int offsetScaledLogVariance,
                            int timeSource) {
}
