package org.pps2phc.ptp4l;

import java.io.IOException;
import java.util.Optional;

/** A management request to ptp4l that did not get the expected answer; the message says what and what to check. */
public final class Ptp4lException extends IOException {
    /** Why, so the caller can tell "ptp4l is not running" from a configuration fault. */
    public enum Reason {
        /** No socket at uds_address, or nobody bound to it. */
        NOT_RUNNING,
        /** No permission to write to ptp4l's socket (uds_file_mode) or to bind pps2phc's own. */
        PERMISSION,
        /** Sent, but no matching reply before the deadline (wrong domainNumber/transportSpecific, ptp4l busy). */
        NO_REPLY,
        /** ptp4l answered with a MANAGEMENT_ERROR_STATUS. */
        REFUSED,
        /** The reply was not a well-formed answer to the request. */
        BAD_REPLY,
        /** Any other socket failure. */
        IO
    }

    private final Reason reason;
    private final transient ManagementErrorStatus errorStatus;

    Ptp4lException(Reason reason, String message) {
        this(reason, message, null, null);
    }

    Ptp4lException(Reason reason, String message, ManagementErrorStatus errorStatus, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.errorStatus = errorStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** ptp4l's error status, for {@link Reason#REFUSED}. */
    public Optional<ManagementErrorStatus> errorStatus() {
        return Optional.ofNullable(errorStatus);
    }
}
