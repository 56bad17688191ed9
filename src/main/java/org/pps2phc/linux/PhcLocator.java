package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds PHCs: an interface's PHC index as ethtool does (ETHTOOL_GET_TS_INFO through SIOCETHTOOL), falling back to
 * sysfs (/sys/class/net/IFACE/device/ptp/ptpN); and the list of the machine's PHCs (/sys/class/ptp).
 */
public final class PhcLocator {
    private static final Pattern PTP_NAME = Pattern.compile("ptp(\\d+)");

    private final LinuxKernel kernel;
    private final Path sys;

    public PhcLocator(LinuxKernel kernel) {
        this(kernel, Path.of("/sys"));
    }

    /** {@code sys} is where sysfs is mounted. */
    public PhcLocator(LinuxKernel kernel, Path sys) {
        this.kernel = kernel;
        this.sys = sys;
    }

    /** A device path, and the interface it was found through. */
    public record Located(String path, Optional<String> iface) {
    }

    /** One PHC of this machine and the network interfaces that use it. */
    public record PhcEntry(String path, int index, String clockName, List<String> interfaces) {
    }

    /** A name with a '/' is a device path; anything else is a network interface name. */
    public Located resolve(String deviceOrInterface) throws PhcException {
        if (deviceOrInterface.contains("/")) {
            return new Located(deviceOrInterface, Optional.empty());
        }
        int index = phcIndex(deviceOrInterface);
        return new Located("/dev/ptp" + index, Optional.of(deviceOrInterface));
    }

    /** The PHC index of a network interface. */
    public int phcIndex(String iface) throws PhcException {
        if (iface.isEmpty() || iface.length() >= EthtoolCalls.IFNAMSIZ) {
            throw new PhcException(PhcException.CONFIG, "'" + iface + "' is neither a device path (/dev/ptpN) nor a "
                    + "network interface name (1 to 15 characters)");
        }
        EthtoolCalls.TsInfo info = new EthtoolCalls.TsInfo();
        int errno = tsInfo(iface, info);
        if (errno == 0 && info.phc_index >= 0) {
            return info.phc_index;
        }
        OptionalInt fromSysfs = sysfsIndex(iface);
        if (fromSysfs.isPresent()) {
            return fromSysfs.getAsInt();
        }
        if (errno == Errno.ENODEV) {
            String hint = PTP_NAME.matcher(iface).matches() ? "; did you mean /dev/" + iface + "?"
                    : "; give its PHC as /dev/ptpN or list the PHCs with 'pps2phc check'";
            throw new PhcException(PhcException.UNAVAILABLE, errno, "no network interface named '" + iface
                    + "' (see 'ip link')" + hint);
        }
        String why = errno == 0 ? "ethtool reports no PTP hardware clock (phc_index -1)"
                : "ETHTOOL_GET_TS_INFO failed: " + Errno.describe(errno) + ", and sysfs shows no PTP clock";
        throw new PhcException(PhcException.UNAVAILABLE, errno, "interface " + iface + " has no PTP hardware clock ("
                + why + "): its driver does not timestamp in hardware; use a NIC with a PHC (see 'pps2phc check')");
    }

    /** Returns 0 and fills {@code info}, or the errno. */
    private int tsInfo(String iface, EthtoolCalls.TsInfo info) {
        EthtoolCalls e = kernel.ethtool();
        int sock = e.socket(EthtoolCalls.AF_INET, EthtoolCalls.SOCK_DGRAM | EthtoolCalls.SOCK_CLOEXEC, 0);
        if (sock < 0) {
            return Native.getLastError();
        }
        try {
            info.cmd = EthtoolCalls.ETHTOOL_GET_TS_INFO;
            info.phc_index = -1;
            info.write();
            EthtoolCalls.Ifreq ifr = new EthtoolCalls.Ifreq(iface, info.getPointer());
            if (e.ioctl(sock, PtpIoctls.Ioc.request(EthtoolCalls.SIOCETHTOOL), ifr) != 0) {
                return Native.getLastError();
            }
            info.read();
            return 0;
        } finally {
            e.close(sock);
        }
    }

    private OptionalInt sysfsIndex(String iface) {
        Path dir = sys.resolve("class/net").resolve(iface).resolve("device/ptp");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                Matcher m = PTP_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    return OptionalInt.of(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | SecurityException e) {
            // no such interface, or no PHC under its device: the caller reports it
        }
        return OptionalInt.empty();
    }

    /** This machine's PHCs in index order, each with its interfaces; empty when there are none. */
    public List<PhcEntry> list() {
        List<PhcEntry> out = new ArrayList<>();
        List<String> ifaces = entries(sys.resolve("class/net"));
        for (String name : entries(sys.resolve("class/ptp"))) {
            Matcher m = PTP_NAME.matcher(name);
            if (!m.matches()) {
                continue;
            }
            int index = Integer.parseInt(m.group(1));
            List<String> users = new ArrayList<>();
            for (String iface : ifaces) {
                if (quietIndex(iface).orElse(-1) == index) {
                    users.add(iface);
                }
            }
            out.add(new PhcEntry("/dev/" + name, index, readLine(sys.resolve("class/ptp").resolve(name)
                    .resolve("clock_name")), users));
        }
        out.sort(Comparator.comparingInt(PhcEntry::index));
        return out;
    }

    private OptionalInt quietIndex(String iface) {
        try {
            return OptionalInt.of(phcIndex(iface));
        } catch (PhcException e) {
            return OptionalInt.empty();
        }
    }

    private static List<String> entries(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    private static String readLine(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (IOException | SecurityException e) {
            return "?";
        }
    }
}
