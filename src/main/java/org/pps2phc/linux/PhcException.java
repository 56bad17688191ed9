package org.pps2phc.linux;

import org.pps2phc.core.port.ClockException;
import org.pps2phc.os.Errno;

/**
 * A PHC operation the kernel refused, as one line for the operator (device, cause, remedy), with the sysexits code
 * a command should end with: 69 unavailable, 77 permission, 78 configuration.
 */
public final class PhcException extends ClockException {
    public static final int UNAVAILABLE = 69;
    public static final int NO_PERMISSION = 77;
    public static final int CONFIG = 78;

    private final int exitCode;
    private final int errno;

    public PhcException(int exitCode, int errno, String message) {
        super(message);
        this.exitCode = exitCode;
        this.errno = errno;
    }

    public PhcException(int exitCode, String message) {
        this(exitCode, 0, message);
    }

    /** The sysexits code for a command that stops on this error. */
    public int exitCode() {
        return exitCode;
    }

    /**
     * Whether the device is not there (any more): no such node, or a NIC removed, reset or being reloaded (ENOENT,
     * ENODEV, ENXIO, EIO). Retrying later may find it back, unlike a refusal.
     */
    public boolean deviceGone() {
        return errno == Errno.ENOENT || errno == Errno.ENODEV || errno == Errno.ENXIO || errno == Errno.EIO;
    }

    /** The errno behind it, or 0 when the problem was found without a failing call. */
    public int errno() {
        return errno;
    }
}
