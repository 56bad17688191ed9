package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only a PTP clock's character device passes, on /proc/devices and sysfs trees laid out like the kernel's. /dev/null
 * (character device 1:3) stands in for a PTP node where the tree says major 1 is "ptp".
 */
class PtpCharDeviceTest {
    @TempDir
    Path root;

    private PtpCharDevice machine(String procDevices) throws Exception {
        Path proc = Files.createDirectories(root.resolve("proc"));
        Files.writeString(proc.resolve("devices"), procDevices);
        return new PtpCharDevice(proc, Files.createDirectories(root.resolve("sys")));
    }

    private static String message(PtpCharDevice check, String path) {
        PhcException e = assertThrows(PhcException.class, () -> check.check(path));
        assertEquals(69, e.exitCode());
        return e.getMessage();
    }

    @Test
    void aFileThatIsNoCharacterDeviceIsRefusedBeforeItIsOpened() throws Exception {
        PtpCharDevice check = machine("Character devices:\n  1 mem\n250 ptp\n\nBlock devices:\n  8 sd\n");
        assertEquals("/etc/passwd is not a PTP hardware clock (it is a regular file): give /dev/ptpN or the network "
                + "interface; 'pps2phc check' lists this machine's PHCs", message(check, "/etc/passwd"));
        assertEquals("/tmp is not a PTP hardware clock (it is a directory): give /dev/ptpN or the network interface;"
                + " 'pps2phc check' lists this machine's PHCs", message(check, "/tmp"));
    }

    @Test
    void anotherCharacterDeviceIsRefused() throws Exception {
        PtpCharDevice check = machine("Character devices:\n  1 mem\n250 ptp\n");
        assertEquals("/dev/null is not a PTP hardware clock (it is character device 1:3, and PTP clocks are major "
                + "250): give /dev/ptpN or the network interface; 'pps2phc check' lists this machine's PHCs",
                message(check, "/dev/null"));
        PtpCharDevice noDriver = machine("Character devices:\n  1 mem\nBlock devices:\n250 ptp\n");
        assertEquals("/dev/null is not a PTP hardware clock (it is a character device, but this kernel has no PTP "
                + "clock driver ('ptp' is not in " + root.resolve("proc/devices") + ")): give /dev/ptpN or the "
                + "network interface; 'pps2phc check' lists this machine's PHCs", message(noDriver, "/dev/null"));
    }

    @Test
    void aPtpNodeMustBeListedUnderClassPtp() throws Exception {
        PtpCharDevice check = machine("Character devices:\n  1 ptp\n");
        assertAll(() -> assertEquals("/dev/null is not a PTP hardware clock (it is character device 1:3, which "
                + root.resolve("sys/class/ptp") + " does not list): give /dev/ptpN or the network interface; "
                + "'pps2phc check' lists this machine's PHCs", message(check, "/dev/null")));
        Path device = Files.createDirectories(root.resolve("sys/devices/pci0000:00/0000:00:1f.6/ptp/ptp0"));
        Files.createDirectories(root.resolve("sys/dev/char"));
        Files.createSymbolicLink(root.resolve("sys/dev/char/1:3"), device);
        Files.createDirectories(root.resolve("sys/class/ptp"));
        Files.createSymbolicLink(root.resolve("sys/class/ptp/ptp0"), device);
        check.check("/dev/null");
    }

    @Test
    void aPathThatDoesNotExistIsLeftToOpenToReport() throws Exception {
        machine("Character devices:\n250 ptp\n").check(root.resolve("ptp9").toString());
    }
}
