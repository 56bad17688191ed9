package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** Turns a failing call's errno into one line that names the device and says what to do. */
final class PhcErrors {
    static final String UDEV_RULE = "SUBSYSTEM==\"ptp\", GROUP=\"pps2phc\", MODE=\"0660\"";

    private PhcErrors() {
    }

    static PhcException open(String path, int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> new PhcException(PhcException.UNAVAILABLE, errno,
                    path + ": no such PTP hardware clock (" + Errno.describe(errno)
                            + "); list this machine's PHCs with 'pps2phc check'");
            case Errno.EACCES, Errno.EPERM -> permission(path, "open read-write", errno);
            default -> new PhcException(PhcException.UNAVAILABLE, errno,
                    path + ": cannot open: " + Errno.describe(errno));
        };
    }

    /** EACCES/EPERM: who we are, who owns the device, and the udev rule that grants access. */
    static PhcException permission(String path, String what, int errno) {
        String user = System.getProperty("user.name", "?");
        String owner;
        try {
            PosixFileAttributes a = Files.readAttributes(Path.of(path), PosixFileAttributes.class);
            owner = "owned by " + a.owner().getName() + ":" + a.group().getName() + " mode "
                    + PosixFilePermissions.toString(a.permissions());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            owner = "owner and group unreadable";
        }
        return new PhcException(PhcException.NO_PERMISSION, errno, path + ": permission denied to " + what
                + " for user '" + user + "' (" + Errno.describe(errno) + "; device " + owner
                + "); run as root, or give a group access with the udev rule '" + UDEV_RULE + "' (pps2phc's "
                + "60-pps2phc.rules: the package installs it in /lib/udev/rules.d, an install by hand in "
                + "/etc/udev/rules.d), then 'udevadm control --reload && udevadm trigger --subsystem-match=ptp' and "
                + "add the user to that group");
    }

    /** Any other failing operation on an open device. */
    static PhcException operation(String device, String what, int errno) {
        return switch (errno) {
            case Errno.EACCES, Errno.EPERM -> permission(device, what, errno);
            case Errno.ENODEV, Errno.ENXIO, Errno.EIO -> new PhcException(PhcException.UNAVAILABLE, errno,
                    device + ": " + what + " failed: " + Errno.describe(errno)
                            + "; the device went away (NIC removed, reset or its driver reloaded)");
            default -> new PhcException(PhcException.UNAVAILABLE, errno,
                    device + ": " + what + " failed: " + Errno.describe(errno));
        };
    }

    /** The errno values with which a kernel or driver says "I don't have this call". */
    static boolean unsupported(int errno) {
        return errno == Errno.EOPNOTSUPP || errno == Errno.ENOTTY || errno == Errno.EINVAL;
    }
}
