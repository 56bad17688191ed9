package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped units (pps2phc.service and the template pps2phc@.service) pass systemd's own checks: verify prints
 * nothing, and the security exposure is 2.5 or less; the template is hardened exactly as the unit is.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("systemd/pps2phc.service");
    private static final Path TEMPLATE = Path.of("systemd/pps2phc@.service");
    /** The unit's TimeoutStopSec: the daemon's stop must end well inside it. */
    static final long TIMEOUT_STOP_S = Long.parseLong(setting("TimeoutStopSec"));

    private static String setting(String key) {
        try {
            return Files.readAllLines(UNIT).stream().filter(l -> l.startsWith(key + "=")).findFirst()
                    .map(l -> l.substring(key.length() + 1).trim()).orElseThrow(() -> new AssertionError(
                            UNIT + " has no " + key));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void systemdRestartsWhatARestartCanFixAndOnlyThat() {
        assertEquals("on-failure", setting("Restart"));
        List<String> prevented = List.of(setting("RestartPreventExitStatus").split("\\s+"));
        for (int fixedByTheUser : new int[] {ExitCodes.USAGE, ExitCodes.DATAERR, ExitCodes.UNAVAILABLE,
                ExitCodes.NOPERM, ExitCodes.CONFIG}) {
            assertTrue(prevented.contains(Integer.toString(fixedByTheUser)), fixedByTheUser + ": " + prevented);
        }
        for (int transient_ : new int[] {ExitCodes.SOFTWARE, ExitCodes.IOERR}) {
            assertTrue(!prevented.contains(Integer.toString(transient_)), transient_ + " must be restarted: "
                    + prevented);
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result analyze(String... args) throws Exception {
        Path tool = Stream.of("/usr/bin/systemd-analyze", "/bin/systemd-analyze").map(Path::of)
                .filter(Files::isExecutable).findFirst().orElse(null);
        if (tool == null) {
            fail("systemd-analyze is missing: install the Debian package 'systemd' "
                    + "(scripts/test-deps.d/60-systemd.sh does)");
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(tool.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    /**
     * verify checks that ExecStart's program exists, and pps2phc is not installed on a test machine; so the unit is
     * verified unchanged inside a scratch root that has the system's units and a stand-in /usr/bin/pps2phc.
     */
    @Test
    void verifyPrintsNothing(@TempDir Path root) throws Exception {
        verify(root, UNIT, "pps2phc.service", "pps2phc.service");
    }

    @Test
    void theTemplateVerifiesForAnInstance(@TempDir Path root) throws Exception {
        verify(root, TEMPLATE, "pps2phc@.service", "pps2phc@eth1.service");
    }

    /** The [Service] directives, comments dropped, in order. */
    private static List<String> serviceDirectives(Path unit) throws IOException {
        List<String> lines = Files.readAllLines(unit);
        int from = lines.indexOf("[Service]");
        int to = lines.indexOf("[Install]");
        return lines.subList(from, to).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void theTemplateIsTheUnitWithItsOwnConfigAndRuntimeDirectory() throws Exception {
        List<String> unit = new java.util.ArrayList<>(serviceDirectives(UNIT));
        unit.remove("Environment=PPS2PHC_CONFIG=/etc/pps2phc/pps2phc.conf");
        List<String> expected = unit.stream().map(l -> l
                .replace("${PPS2PHC_CONFIG}", "/etc/pps2phc/%i.conf")
                .replace("RuntimeDirectory=pps2phc", "RuntimeDirectory=pps2phc-%i")).toList();
        assertEquals(expected, serviceDirectives(TEMPLATE));
    }

    private static void verify(Path root, Path unit, String installedAs, String name) throws Exception {
        Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Path stub = root.resolve("usr/bin/pps2phc");
        Files.writeString(stub, "#!/bin/sh\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("/bin/kill"), root.resolve("bin/kill"));
        copyTree(Path.of("/usr/lib/systemd/system"), root.resolve("usr/lib/systemd/system"));
        Files.copy(unit, root.resolve("etc/systemd/system/" + installedAs));
        Result r = analyze("verify", "--man=no", "--generators=no", "--root=" + root, name);
        assertEquals("", r.output(), "systemd-analyze verify " + name);
        assertEquals(0, r.exit());
    }

    @Test
    void securityExposureIsAtMost2point5() throws Exception {
        securityExposureIsAtMost2point5(UNIT, "pps2phc.service");
    }

    @Test
    void theTemplatesSecurityExposureIsAtMost2point5(@TempDir Path dir) throws Exception {
        Path instance = dir.resolve("pps2phc@eth1.service");
        Files.copy(TEMPLATE, instance);
        securityExposureIsAtMost2point5(instance, "pps2phc@eth1.service");
    }

    private static void securityExposureIsAtMost2point5(Path unit, String name) throws Exception {
        Result r = analyze("security", "--offline=yes", "--no-pager", unit.toString());
        Matcher m = Pattern.compile("Overall exposure level for " + Pattern.quote(name) + ": (\\d+\\.\\d+)")
                .matcher(r.output());
        assertTrue(m.find(), r.output());
        double exposure = Double.parseDouble(m.group(1));
        assertTrue(exposure <= 2.5, "exposure " + exposure + " > 2.5:\n" + r.output());
        // Hardening must not take away what the daemon is for: clock_adjtime() on the PHC is in @clock.
        assertTrue(r.output().contains("@clock is included"), "the syscall filter must allow @clock:\n" + r.output());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
