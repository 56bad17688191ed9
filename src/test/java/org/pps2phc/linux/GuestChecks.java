package org.pps2phc.linux;

import java.io.PrintWriter;
import java.io.StringWriter;
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
        g.cli("check-list");
        g.cli("check-device", "/dev/ptp0");
        g.cli("check-iface", "eth0");
        g.cli("check-not-a-phc", "/dev/null");
        g.cli("check-missing", "/dev/ptp9");
        g.device();
        System.out.print(g.report);
        System.out.flush();
    }

    private void section(String name, Map<String, Object> values) {
        report.append("=== ").append(name).append('\n');
        values.forEach((k, v) -> report.append(k).append('=').append(String.valueOf(v).replace("\n", "\\n"))
                .append('\n'));
    }

    private void cli(String name, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "check";
        System.arraycopy(args, 0, full, 1, args.length);
        int rc = cl.execute(full);
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
