package org.pps2phc.linux;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pps2phc.cli.Main;
import org.pps2phc.core.CrossTimestamp;
import picocli.CommandLine;

/**
 * Runs inside the QEMU guest (one JVM, so the guest boots once) against the real e1000e PHC, /dev/ptp0, and
 * reports what the kernel answered as "=== name" sections of "key=value" lines; {@link QemuGuestPhcTest} asserts
 * on them. It asserts nothing itself.
 */
public final class GuestChecks {
    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) {
        GuestChecks g = new GuestChecks();
        g.cli("check-list", "check");
        g.cli("check-device", "check", "/dev/ptp0");
        g.cli("check-iface", "check", "eth0");
        g.cli("check-not-a-phc", "check", "/dev/null");
        g.cli("check-missing", "check", "/dev/ptp9");
        g.device();
        g.runOnTheDevice();
        System.out.print(g.report);
        System.out.flush();
    }

    private void section(String name, Map<String, Object> values) {
        report.append("=== ").append(name).append('\n');
        values.forEach((k, v) -> report.append(k).append('=').append(String.valueOf(v).replace("\n", "\\n"))
                .append('\n'));
    }

    /** The daemon itself on the e1000e clock, which has no extts channel: it must refuse to start, in one line. */
    private void runOnTheDevice() {
        try {
            Path dir = Files.createTempDirectory("pps2phc-run");
            Path conf = dir.resolve("pps2phc.conf");
            Files.writeString(conf, "[global]\nstatus_dir " + dir + "\n[/dev/ptp0]\n");
            // the daemon reports through its log (stderr), not picocli's writer: capture both
            java.io.PrintStream stderr = System.err;
            java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(logged, true, java.nio.charset.StandardCharsets.UTF_8));
            try {
                cli("run-device", "run", "-f", conf.toString());
            } finally {
                System.setErr(stderr);
            }
            section("run-device-log", Map.of("log", logged.toString(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            section("run-device", Map.of("error", e.toString()));
        }
    }

    private void cli(String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("rc", rc);
        v.put("out", out);
        v.put("err", err);
        section(name, v);
    }

    private void device() {
        Map<String, Object> v = new LinkedHashMap<>();
        try (PhcDevice phc = PhcDevice.open("/dev/ptp0")) {
            long t0 = 1_800_000_000_000_000_000L;
            phc.setTimeNs(t0);
            v.put("settime.read", phc.timeNs() - t0);
            phc.step(-1_500_000_000L);
            v.put("step.negative.read", phc.timeNs() - t0);
            phc.step(2_000_000_250L);
            v.put("step.positive.read", phc.timeNs() - t0);

            phc.setFrequencyPpb(12_345.678);
            v.put("freq.set", phc.frequencyPpb());
            phc.setFrequencyPpb(1e12);
            v.put("freq.clamped", phc.frequencyPpb());
            phc.setFrequencyPpb(0);
            v.put("freq.zero", phc.frequencyPpb());

            CrossTimestamp x = phc.crossTimestamp();
            v.put("xts.method", x.method());
            v.put("xts.bracket", x.bracketNs());
            v.put("xts.phc", x.phcNs() - t0);
            v.put("xts.sys.vs.realtime.ms", Math.abs(x.sysNs() / 1_000_000L - System.currentTimeMillis()));
            v.put("xts.refused", String.join(",", phc.refusedCrossTimestampMethods()));
            try {
                phc.armExtts(0, PinChoice.byIndex(0)).close();
                v.put("arm", "armed");
            } catch (PhcException e) {
                v.put("arm.exit", e.exitCode());
                v.put("arm.message", e.getMessage());
            }
        } catch (PhcException e) {
            v.put("error", e.getMessage());
        }
        section("device", v);
    }
}
