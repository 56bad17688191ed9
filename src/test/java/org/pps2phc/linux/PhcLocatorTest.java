package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing PHCs and the sysfs fallback, on a sysfs tree laid out like the kernel's, with the fake kernel's ethtool. */
class PhcLocatorTest {
    @TempDir
    Path sys;
    private FakeKernel fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKernel.install();
        Files.createDirectories(sys.resolve("class/ptp/ptp0"));
        Files.writeString(sys.resolve("class/ptp/ptp0/clock_name"), "igb\n");
        Files.createDirectories(sys.resolve("class/ptp/ptp1"));
        Files.writeString(sys.resolve("class/ptp/ptp1/clock_name"), "igc\n");
        Files.createDirectories(sys.resolve("class/net/enp1s0/device/ptp/ptp0"));
        Files.createDirectories(sys.resolve("class/net/enp2s0/device/ptp/ptp1"));
        Files.createDirectories(sys.resolve("class/net/lo"));
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void listsEveryPhcWithItsInterfaces() {
        fake.control().fake_ptp_add_interface("enp1s0", 0, 0);
        // ethtool refuses enp2s0 (an old driver): sysfs tells instead
        fake.control().fake_ptp_add_interface("enp2s0", 0, Errno.EOPNOTSUPP);
        fake.control().fake_ptp_add_interface("lo", -1, 0);
        List<PhcLocator.PhcEntry> list = new PhcLocator(LinuxKernel.load(), sys).list();
        assertEquals(List.of(new PhcLocator.PhcEntry("/dev/ptp0", 0, "igb", List.of("enp1s0")),
                new PhcLocator.PhcEntry("/dev/ptp1", 1, "igc", List.of("enp2s0"))), list);
    }

    @Test
    void aMachineWithoutPhcListsNothing() throws Exception {
        Path empty = Files.createDirectories(sys.resolve("empty"));
        assertEquals(List.of(), new PhcLocator(LinuxKernel.load(), empty).list());
    }

    @Test
    void pathsAreTakenAsTheyAre() throws Exception {
        assertEquals(new PhcLocator.Located("/dev/ptp3", java.util.Optional.empty()),
                new PhcLocator(LinuxKernel.load(), sys).resolve("/dev/ptp3"));
    }
}
