package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The PHC layer against a real kernel driver: scripts/qemu/run-in-guest.sh boots Debian's kernel in QEMU with an
 * emulated e1000e NIC, whose driver registers /dev/ptp0 (no extts, no PRECISE, a clock that does not tick). One
 * boot (the chroot guest) runs {@link GuestChecks}; each test asserts on part of its report.
 */
@Tag("qemu")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QemuGuestPhcTest {
    private static final int GUEST_TIMEOUT_S = 420;
    private final Map<String, Map<String, String>> report = new HashMap<>();

    @BeforeAll
    void runChecksInTheGuest() throws Exception {
        Path runInGuest = findHarness();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jvm = String.join(" ", java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djna.nosys=true");
        // then the same check as an unprivileged user, on a copy of the classpath it may read (/root is 0700)
        String cmd = jvm + " -cp " + quote(absolute(classpath)) + " " + GuestChecks.class.getName()
                + "; mkdir -p /tmp/cp && n=0 && cp=''"
                + " && for e in $(echo " + quote(absolute(classpath)) + " | tr ':' ' '); do n=$((n+1));"
                + " cp -r \"$e\" /tmp/cp/$n; cp=\"$cp:/tmp/cp/$n\"; done && chmod -R a+rX /tmp/cp"
                + " && echo '=== check-as-nobody' && setpriv --reuid=65534 --regid=65534 --clear-groups"
                + " " + jvm + " -Djna.tmpdir=/tmp/jna-nobody -cp \"${cp#:}\" org.pps2phc.cli.Main check /dev/ptp0"
                + " > /tmp/nobody.out 2>&1; echo \"rc=$?\"; echo \"err=$(cat /tmp/nobody.out)\"";
        Process p = new ProcessBuilder(runInGuest.toString(), "-t", String.valueOf(GUEST_TIMEOUT_S), cmd)
                .redirectErrorStream(false).start();
        p.getOutputStream().close();
        var stderr = new java.io.ByteArrayOutputStream();
        Thread errPump = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(stderr);
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        errPump.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(GUEST_TIMEOUT_S + 60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("run-in-guest.sh did not finish");
        }
        errPump.join(5_000);
        String err = stderr.toString(StandardCharsets.UTF_8);
        System.out.println("guest report:\n" + out + "\nguest stderr:\n" + err);
        assertEquals(0, p.exitValue(), "run-in-guest.sh failed (124 timeout, 125 guest failure); stdout:\n" + out
                + "\nstderr:\n" + err);
        parse(out);
        assertTrue(report.containsKey("device"), "GuestChecks report incomplete:\n" + out + "\nstderr:\n" + err);
    }

    private static Path findHarness() {
        Path h = Path.of("scripts/qemu/run-in-guest.sh").toAbsolutePath();
        if (!Files.isExecutable(h)) {
            throw new AssertionError(h + " is missing or not executable (run the tests from the checkout)");
        }
        return h;
    }

    private static String absolute(String classpath) {
        StringBuilder b = new StringBuilder();
        for (String e : classpath.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                b.append(b.length() == 0 ? "" : File.pathSeparator).append(Path.of(e).toAbsolutePath());
            }
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void parse(String out) {
        Map<String, String> current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("=== ")) {
                current = new HashMap<>();
                report.put(line.substring(4), current);
            } else if (current != null && line.contains("=")) {
                int i = line.indexOf('=');
                current.put(line.substring(0, i), line.substring(i + 1).replace("\\n", "\n"));
            }
        }
    }

    private Map<String, String> section(String name) {
        Map<String, String> s = report.get(name);
        assertTrue(s != null, "no section " + name + " in the guest's report " + report);
        return s;
    }

    @Test
    void checkListsTheGuestsPhcWithItsInterface() {
        Map<String, String> s = section("check-list");
        assertEquals("0", s.get("rc"), s.get("err"));
        assertTrue(s.get("out").startsWith("/dev/ptp0    clock '000000000000', interfaces: eth0\n"), s.get("out"));
    }

    @Test
    void checkDescribesTheE1000eClock() {
        for (String name : List.of("check-device", "check-iface")) {
            Map<String, String> s = section(name);
            assertEquals("0", s.get("rc"), s.get("err"));
            String o = s.get("out");
            assertTrue(o.startsWith(name.equals("check-iface") ? "/dev/ptp0 (eth0)\n" : "/dev/ptp0\n"), o);
            assertTrue(o.contains("max frequency adjustment:  599999999 ppb"), o);
            assertTrue(o.contains("external timestamps:       0 channels"), o);
            assertTrue(o.contains("pins:                      0"), o);
            assertTrue(o.contains("edges stamped:             none: no external-timestamp channel"), o);
            assertTrue(o.contains("cross-timestamp:           extended, bracket "), o);
            assertTrue(o.contains("(refused: precise: EOPNOTSUPP"), o);
            assertTrue(o.contains("may adjust:                yes (opened read-write)"), o);
        }
    }

    @Test
    void checkRejectsWhatIsNoPhc() {
        Map<String, String> notPhc = section("check-not-a-phc");
        assertEquals("69", notPhc.get("rc"));
        // refused by its device number before it is opened read-write (the guest's ptp major is its kernel's)
        assertTrue(notPhc.get("err").startsWith("pps2phc: /dev/null is not a PTP hardware clock (it is character "
                + "device 1:3, and PTP clocks are major "), notPhc.get("err"));
        Map<String, String> missing = section("check-missing");
        assertEquals("69", missing.get("rc"));
        assertTrue(missing.get("err").startsWith("pps2phc: /dev/ptp9: no such PTP hardware clock (ENOENT"),
                missing.get("err"));
    }

    @Test
    void aUserWithoutAccessGetsExit77AndTheUdevRule() {
        Map<String, String> s = section("check-as-nobody");
        assertEquals("77", s.get("rc"), s.get("err"));
        assertEquals(1, s.get("err").lines().count(), s.get("err"));
        assertTrue(s.get("err").startsWith("pps2phc: /dev/ptp0: permission denied to open read-write for user '"),
                s.get("err"));
        assertTrue(s.get("err").contains("device owned by root:root mode rw-------"), s.get("err"));
        assertTrue(s.get("err").contains(PhcErrors.UDEV_RULE), s.get("err"));
    }

    @Test
    void stepsReadBackExactlyOnTheFrozenClock() {
        Map<String, String> s = section("device");
        assertEquals(null, s.get("error"));
        assertEquals("0", s.get("settime.read"));
        assertEquals("-1500000000", s.get("step.negative.read"));
        assertEquals("500000250", s.get("step.positive.read"));
    }

    @Test
    void frequencyIsReadBackAndClampedToMaxAdj() {
        Map<String, String> s = section("device");
        assertEquals(Math.round(12_345.678 * 65.536) / 65.536, Double.parseDouble(s.get("freq.set")), 1e-9);
        assertEquals(Math.round(599_999_999 * 65.536) / 65.536, Double.parseDouble(s.get("freq.clamped")), 1e-6);
        assertEquals(0.0, Double.parseDouble(s.get("freq.zero")));
    }

    @Test
    void crossTimestampFallsBackFromPreciseToExtended() {
        Map<String, String> s = section("device");
        assertEquals("extended", s.get("xts.method"));
        long bracket = Long.parseLong(s.get("xts.bracket"));
        assertTrue(bracket > 0 && bracket < 10_000_000, "bracket " + bracket);
        assertEquals("500000250", s.get("xts.phc"), "the frozen clock reads what was stepped to");
        assertTrue(Long.parseLong(s.get("xts.sys.vs.realtime.ms")) < 5_000);
        assertTrue(s.get("xts.refused").startsWith("precise: EOPNOTSUPP"), s.get("xts.refused"));
    }

    @Test
    void armingAClockWithoutExttsChannelsExits69WithTheReason() {
        Map<String, String> s = section("device");
        assertEquals("69", s.get("arm.exit"), s.toString());
        assertTrue(s.get("arm.message").startsWith("/dev/ptp0 has no external-timestamp channel (n_ext_ts = 0), so it "
                + "cannot timestamp a PPS input"), s.get("arm.message"));
    }

    @Test
    void theDaemonOnAClockWithoutExttsExits69WithTheReason() {
        Map<String, String> s = section("run-device");
        assertEquals("69", s.get("rc"), s.toString());
        String log = section("run-device-log").get("log");
        List<String> errors = log.lines().filter(l -> l.contains("error")).toList();
        assertEquals(1, errors.size(), "one line says why:\n" + log);
        assertTrue(errors.get(0).contains("/dev/ptp0 has no external-timestamp channel (n_ext_ts = 0)"), log);
    }
}
