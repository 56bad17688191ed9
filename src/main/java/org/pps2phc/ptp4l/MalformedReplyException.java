package org.pps2phc.ptp4l;

/** A reply that is not a well-formed PTP management message of the expected kind. */
public final class MalformedReplyException extends Exception {
    MalformedReplyException(String message) {
        super(message);
    }
}
