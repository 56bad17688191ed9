package org.pps2phc.ntpshm;

import java.io.IOException;

/** The NTP SHM segment cannot be used; the message is one line that says why and what to do. */
public final class NtpShmException extends IOException {
    private final boolean permissionProblem;

    NtpShmException(String message, boolean permissionProblem) {
        super(message);
        this.permissionProblem = permissionProblem;
    }

    /** The segment exists but belongs to someone else (sysexits NOPERM rather than a system fault). */
    public boolean permissionProblem() {
        return permissionProblem;
    }
}
