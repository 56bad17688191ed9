package org.pps2phc.ptp4l;

import java.util.Optional;

/**
 * What one {@link GrandmasterKeeper#tick} did, for the daemon to log and show in its status.
 *
 * @param outcome             what happened on this call
 * @param desired             the settings pps2phc wants ptp4l to announce
 * @param found               what ptp4l had instead, when a check found other settings (RESTORED)
 * @param lastConfirmed       the settings ptp4l last confirmed (empty: never)
 * @param lastConfirmedMonoNs monotonic time of that confirmation, or -1
 * @param error               the failure, for FAILED (and kept in later reports until a success)
 * @param consecutiveFailures failed attempts in a row (0 after a success)
 * @param ptp4lIsGrandmaster  whether ptp4l follows itself (only then do its Announce messages carry these settings);
 *                            empty when not asked on this call
 */
public record KeeperReport(Outcome outcome, GrandmasterSettings desired, Optional<GrandmasterSettings> found,
                           Optional<GrandmasterSettings> lastConfirmed, long lastConfirmedMonoNs,
                           Optional<Ptp4lException> error, int consecutiveFailures,
                           Optional<Boolean> ptp4lIsGrandmaster) {

    public enum Outcome {
        /** Nothing to do yet: the settings are confirmed and the next check is not due. */
        IDLE,
        /** Not due to retry yet after a failure. */
        WAITING,
        /** A periodic check found the settings in place. */
        CONFIRMED,
        /** The desired settings changed (or were never sent): sent and confirmed. */
        SENT,
        /** ptp4l had other settings (it restarted, or someone else set them): set again and confirmed. */
        RESTORED,
        /** ptp4l did not answer as asked; see {@link #error()}. */
        FAILED
    }

    /** One line for the log, e.g. "ptp4l settings sent: clockClass 6 ...". */
    public String describe() {
        return switch (outcome) {
            case IDLE -> "ptp4l settings unchanged: " + desired;
            case WAITING -> "ptp4l not reachable, retrying soon (" + consecutiveFailures + " failures): "
                    + error.map(Throwable::getMessage).orElse("");
            case CONFIRMED -> "ptp4l settings confirmed: " + desired + notGrandmaster();
            case SENT -> "ptp4l settings sent: " + desired + notGrandmaster();
            case RESTORED -> "ptp4l had other settings (" + found.map(Object::toString).orElse("?")
                    + "), probably after a restart; set again: " + desired + notGrandmaster();
            case FAILED -> "ptp4l settings not confirmed (" + consecutiveFailures + " failures in a row): "
                    + error.map(Throwable::getMessage).orElse("");
        };
    }

    private String notGrandmaster() {
        return ptp4lIsGrandmaster.orElse(true) ? ""
                : " (ptp4l follows another grandmaster, so its Announce messages do not carry these settings)";
    }
}
