package org.pps2phc.core.port;

/** A clock or device operation the system refused; the message is meant for the operator. */
public class ClockException extends Exception {
    public ClockException(String message) {
        super(message);
    }

    public ClockException(String message, Throwable cause) {
        super(message, cause);
    }
}
