package org.pps2phc.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.pps2phc.os.NativeLibraries;

/**
 * Checks that a path is a PTP clock's character device before it is opened read-write: a character device, whose
 * major number is the one /proc/devices gives "ptp", and that sysfs lists under /sys/class/ptp. Without this any
 * path the user names (a typo, /etc/passwd) would be opened O_RDWR and handed ioctls.
 */
final class PtpCharDevice {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;

    private final Path proc;
    private final Path sys;

    PtpCharDevice(Path proc, Path sys) {
        this.proc = proc;
        this.sys = sys;
    }

    /** The machine's /proc and /sys; no check at all under a substituted C library (the tests' fake kernel). */
    static void checkOnThisMachine(String path) throws PhcException {
        if (NativeLibraries.libc().equals("c")) {
            new PtpCharDevice(Path.of("/proc"), Path.of("/sys")).check(path);
        }
    }

    /**
     * @throws PhcException 69 saying what the path is instead; a path that does not exist passes, so that opening it
     *                      reports ENOENT as for a PHC that is gone
     */
    void check(String path) throws PhcException {
        Path p = Path.of(path);
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(p, "unix:mode,rdev");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return;
        }
        int mode = (Integer) attrs.get("mode");
        if ((mode & S_IFMT) != S_IFCHR) {
            throw notPhc(path, Files.isDirectory(p) ? "a directory" : Files.isRegularFile(p) ? "a regular file"
                    : "not a character device");
        }
        long rdev = (Long) attrs.get("rdev");
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        OptionalInt ptpMajor = ptpMajor();
        if (ptpMajor.isEmpty()) {
            throw notPhc(path, "a character device, but this kernel has no PTP clock driver ('ptp' is not in "
                    + proc.resolve("devices") + ")");
        }
        if (major != ptpMajor.getAsInt()) {
            throw notPhc(path, "character device " + major + ":" + minor + ", and PTP clocks are major "
                    + ptpMajor.getAsInt());
        }
        if (!listedUnderClassPtp(major, minor)) {
            throw notPhc(path, "character device " + major + ":" + minor + ", which " + sys.resolve("class/ptp")
                    + " does not list");
        }
    }

    private static PhcException notPhc(String path, String what) {
        return new PhcException(PhcException.UNAVAILABLE, path + " is not a PTP hardware clock (it is " + what
                + "): give /dev/ptpN or the network interface; 'pps2phc check' lists this machine's PHCs");
    }

    /** The major number of "ptp" among the character devices of /proc/devices. */
    private OptionalInt ptpMajor() {
        try {
            List<String> lines = Files.readAllLines(proc.resolve("devices"));
            boolean character = false;
            for (String line : lines) {
                String l = line.strip();
                if (l.endsWith(":")) {
                    character = l.equals("Character devices:");
                } else if (character && l.matches("\\d+ ptp")) {
                    return OptionalInt.of(Integer.parseInt(l.substring(0, l.indexOf(' '))));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        return OptionalInt.empty();
    }

    /** /sys/dev/char/MAJOR:MINOR leads to a ptpN that /sys/class/ptp lists. */
    private boolean listedUnderClassPtp(long major, long minor) {
        try {
            Path device = sys.resolve("dev/char").resolve(major + ":" + minor).toRealPath();
            Path listed = sys.resolve("class/ptp").resolve(device.getFileName().toString());
            return Files.exists(listed) && listed.toRealPath().equals(device);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
