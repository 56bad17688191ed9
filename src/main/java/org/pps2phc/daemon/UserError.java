package org.pps2phc.daemon;

/**
 * A problem the user can fix (bad value, missing device, no permission): printed as one line, never with a stack
 * trace, and mapped to its sysexits code.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
