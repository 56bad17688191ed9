package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.os.Errno;
import org.pps2phc.linux.FakeKernel;
import picocli.CommandLine;

/** {@code pps2phc check} through the real CLI and JNA path, on the fake kernel. */
class CheckCommandTest {
    @TempDir
    Path dir;
    private FakeKernel fake;
    private String path;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKernel.install();
        path = Files.createFile(dir.resolve("ptp0")).toString();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void describesADualEdgeNicWithPins() {
        int dev = fake.create(path, 2, 2, 62_499_999);
        fake.control().fake_ptp_set_edge_model(dev, FakeKernel.EDGES_BOTH_ONLY);
        fake.control().fake_ptp_set_pin(dev, 1, "SDP1", 1, 0);
        fake.control().fake_ptp_set_bracket_widths(dev, new long[] {1500, 640, 900}, 3);
        assertEquals(0, run("check", path), err.toString());
        String o = out.toString();
        assertTrue(o.startsWith(path + "\n"), o);
        assertTrue(o.contains("max frequency adjustment:  62499999 ppb"), o);
        assertTrue(o.contains("external timestamps:       2 channels"), o);
        assertTrue(o.contains("pin 1 'SDP1': extts, channel 0"), o);
        assertTrue(o.contains("edges stamped:             both on channel 0: both edges (PTP_EXTTS_REQUEST2, strict;"), o);
        assertTrue(o.contains("cross-timestamp:           extended, bracket 640 ns (refused: precise: EOPNOTSUPP"), o);
        assertTrue(o.contains("frequency:                 0.000 ppb"), o);
        assertTrue(o.contains("may adjust:                yes (opened read-write)"), o);
        assertEquals(0, fake.control().fake_ptp_extts_flags(dev, 0), "the probe disarms again");
        assertEquals("", err.toString());
    }

    @Test
    void aPhcWithoutExttsSaysItCannotTakeAPps() {
        fake.create(path, 0, 0, 599_999_999);
        assertEquals(0, run("check", path), err.toString());
        assertTrue(out.toString().contains("edges stamped:             none: no external-timestamp channel"),
                out.toString());
    }

    @Test
    void permissionDeniedExits77WithOneLine() {
        fake.create(path, 1, 0, 1000);
        fake.fail("open", Errno.EACCES, 1);
        assertEquals(77, run("check", path));
        String e = err.toString();
        assertTrue(e.startsWith("pps2phc: " + path + ": permission denied to open read-write for user"), e);
        assertEquals(1, e.lines().count(), e);
        assertEquals("", out.toString());
    }

    @Test
    void noSuchDeviceExits69() {
        assertEquals(69, run("check", dir.resolve("ptp5").toString()));
        assertTrue(err.toString().startsWith("pps2phc: " + dir.resolve("ptp5") + ": no such PTP hardware clock"),
                err.toString());
        assertEquals(1, err.toString().lines().count());
    }

    @Test
    void withoutArgumentListsThePhcsOrSaysThereAreNone() throws Exception {
        boolean machineHasPhc;
        try (var s = Files.list(Path.of("/sys/class/ptp"))) {
            machineHasPhc = s.findAny().isPresent();
        } catch (java.io.IOException e) {
            machineHasPhc = false;
        }
        int rc = run("check");
        if (machineHasPhc) {
            assertEquals(0, rc, err.toString());
            assertTrue(out.toString().startsWith("/dev/ptp"), out.toString());
        } else {
            assertEquals(69, rc);
            assertEquals("pps2phc: this machine has no PTP hardware clock (/sys/class/ptp is empty): pps2phc needs a "
                    + "NIC with a PHC and a PPS input, such as Intel i210, i225 or i226\n", err.toString());
        }
    }

    @Test
    void anEmptyDeviceNameIsAUsageError() {
        assertEquals(64, run("check", ""));
        assertEquals(64, run("check", " "));
        assertTrue(err.toString().contains("check: the device name is empty: give /dev/ptpN or an interface name, "
                + "or nothing to list the clocks"), err.toString());
    }
}
