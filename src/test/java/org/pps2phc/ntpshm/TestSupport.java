package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pps2phc.config.Keys;
import org.pps2phc.config.Settings;

/**
 * Running real programs from tests: compile the C probe, run commands, wait for conditions with a deadline, adapt
 * the shipped conf/ snippets. Public for the daemon's end-to-end tests (org.pps2phc.daemon), which feed the same
 * consumers from a running pps2phc.
 */
public final class TestSupport {
    private TestSupport() {
    }

    /** A program the test needs; fails (not skips) naming the package, since CI installs everything. */
    public static Path require(String path, String debianPackage) {
        Path p = Path.of(path);
        assertTrue(Files.isExecutable(p), path + " is missing: install the Debian package " + debianPackage
                + " (scripts/install-test-deps.sh does)");
        return p;
    }

    /** Compiles src/test/resources/org/pps2phc/ntpshm/refclock_abi.c with gcc into {@code dir}. */
    static Path compileAbiProbe(Path dir) throws Exception {
        require("/usr/bin/gcc", "gcc");
        Path source = dir.resolve("refclock_abi.c");
        try (var in = TestSupport.class.getResourceAsStream("refclock_abi.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("refclock_abi");
        Result r = run(30, "gcc", "-Wall", "-Werror", "-O1", "-o", binary.toString(), source.toString());
        assertTrue(r.code == 0, "gcc failed: " + r.output);
        return binary;
    }

    public record Result(int code, String output) {
    }

    /** Runs a command to completion (stdout and stderr together), killing it after {@code timeoutS}. */
    public static Result run(int timeoutS, String... command) throws IOException, InterruptedException {
        return run(timeoutS, null, command);
    }

    public static Result run(int timeoutS, byte[] stdin, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            // outputs here are small; reading after exit cannot dead-lock on a full pipe below 64 KiB
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                fail(String.join(" ", command) + " did not finish within " + timeoutS + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Stops a peer we started, by its PID: TERM, then KILL if it lingers. */
    public static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Polls {@code check} (which returns null when satisfied, else what is still wrong) every {@code intervalMs}
     * until it is satisfied or {@code timeoutS} pass; then fails with the last reason.
     */
    public static void await(int timeoutS, long intervalMs, Supplier<String> check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        String reason;
        while (true) {
            reason = check.get();
            if (reason == null) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + timeoutS + " s: " + reason);
            }
            Thread.sleep(intervalMs);
        }
    }

    /** Removes the NTP SHM segment of {@code unit} if it exists (a test's own units only). */
    public static void removeSegment(int unit) {
        int id = SysvShmCalls.LIBC.shmget(NtpShmConfig.key(unit), 0, 0);
        if (id >= 0) {
            SysvShmCalls.LIBC.shmctl(id, SysvShmCalls.IPC_RMID, null);
        }
    }

    public static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The non-comment, non-blank lines of a shipped conf file (conf/ in the project). */
    public static List<String> confLines(String name) throws IOException {
        Path file = Path.of("conf", name);
        assertTrue(Files.isRegularFile(file), "missing " + file.toAbsolutePath());
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                lines.add(t);
            }
        }
        return lines;
    }

    /**
     * A shipped chrony snippet with its one refclock line moved to the test's unit or socket ({@code from} becomes
     * {@code to}) and refid, and marked {@code noselect}: chronyc then shows every source's own offset, which no
     * (virtual, -x) correction of a selected source shifts. Other lines (leapsectz) are kept as they are.
     */
    public static String adaptChronyConf(String confFile, String from, String to, String refid) throws Exception {
        StringBuilder out = new StringBuilder();
        int refclocks = 0;
        for (String line : TestSupport.confLines(confFile)) {
            if (line.startsWith("refclock ")) {
                // the refid must be the one pps2phc's own_refid expects by default, or the loop check misses it
                String shipped = " refid " + Settings.keys().get(Keys.OWN_REFID).defaultValue() + " ";
                assertTrue(line.contains(" " + from + " ") && line.contains(shipped), confFile + ": " + line);
                line = line.replace(" " + from + " ", " " + to + " ").replace(shipped, " refid " + refid + " ")
                        + " noselect";
                refclocks++;
            }
            out.append(line).append('\n');
        }
        assertEquals(1, refclocks, confFile + " should hold one refclock line");
        return out.toString();
    }

    /** {@code chronyc -c sources} or {@code sourcestats} lines by source name. */
    public static Map<String, String[]> chronycCsvByName(String csv) {
        Map<String, String[]> m = new HashMap<>();
        for (String line : csv.split("\n")) {
            String[] f = line.split(",");
            if (f.length >= 8) {
                m.put(f[0].length() == 1 && f.length > 8 ? f[2] : f[0], f);
            }
        }
        return m;
    }

    /**
     * null when {@code chronyc sources} and {@code sourcestats} on 127.0.0.1:{@code cmdport} show every one of
     * {@code refids} reached, with its measured offset and (after 3 filtered samples) its estimated offset within
     * {@code toleranceS} of {@code expectedS} (chrony's sign: local minus reference); else what is missing.
     * {@code output[0]} gets both listings.
     */
    public static String checkChronycOffsets(int cmdport, List<String> refids, double expectedS, double toleranceS,
                                             String[] output) {
        try {
            Result sources = chronyc(cmdport, "sources");
            Result stats = chronyc(cmdport, "sourcestats");
            output[0] = "chronyc sources:\n" + sources.output() + "chronyc sourcestats:\n" + stats.output();
            if (sources.code() != 0 || stats.code() != 0) {
                return "chronyc failed";
            }
            // sources -c: mode,state,name,stratum,poll,reach,lastRx,adjusted,measured,error
            Map<String, String[]> byName = chronycCsvByName(sources.output());
            // sourcestats -c: name,np,nr,span,frequency,skew,offset,stddev
            Map<String, String[]> statsByName = chronycCsvByName(stats.output());
            for (String refid : refids) {
                String[] s = byName.get(refid);
                String[] st = statsByName.get(refid);
                if (s == null || st == null) {
                    return refid + " not listed";
                }
                if (Integer.parseInt(s[5], 8) == 0) {
                    return refid + " not reached yet";
                }
                double measured = Double.parseDouble(s[8]);
                if (Math.abs(measured - expectedS) > toleranceS) {
                    return refid + " measured offset " + measured + " s, expected " + expectedS;
                }
                if (Integer.parseInt(st[1]) < 3) {
                    return refid + " has " + st[1] + " filtered samples, waiting for 3";
                }
                double estimated = Double.parseDouble(st[6]);
                if (Math.abs(estimated - expectedS) > toleranceS) {
                    return refid + " sourcestats offset " + estimated + " s, expected " + expectedS;
                }
            }
            return null;
        } catch (Exception e) {
            return "chronyc: " + e;
        }
    }

    private static Result chronyc(int cmdport, String command) throws Exception {
        return run(10, "chronyc", "-h", "127.0.0.1", "-p", Integer.toString(cmdport), "-n", "-c", command);
    }
}
