package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.linux.EdgeRequest;
import org.pps2phc.linux.LinuxKernel;
import org.pps2phc.linux.PhcCapabilities;
import org.pps2phc.linux.PhcDevice;
import org.pps2phc.linux.PhcException;
import org.pps2phc.linux.PhcLocator;
import org.pps2phc.linux.PinDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pps2phc check [DEVICE|IFACE]}: what this machine's PHCs can do, as the daemon would use them. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Lists this machine's PTP hardware clocks, or shows what one of them can do.",
            "Without an argument, lists the PHCs and their interfaces.",
            "With a device (/dev/ptpN) or an interface name, prints its capabilities, pins, which edges the driver "
                + "stamps, the cross-timestamp method and its bracket, the current frequency and whether this user "
                + "may adjust the clock.",
            "Finding the edges arms and disarms external-timestamp channel 0: stop a running pps2phc first."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the clock (or the list) was read", "69:no PHC on this machine, or no such device",
            "77:this user may not open the device read-write"})
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DEVICE|IFACE", description = "/dev/ptpN or a network interface name")
    String target;

    @Override
    public Integer call() {
        if (target != null && target.isBlank()) {
            throw new UserError(ExitCodes.USAGE, "check: the device name is empty: give /dev/ptpN or an interface "
                    + "name, or nothing to list the clocks");
        }
        PrintWriter out = spec.commandLine().getOut();
        LinuxKernel kernel = LinuxKernel.load();
        try {
            if (target == null) {
                return list(out, new PhcLocator(kernel));
            }
            try (PhcDevice phc = PhcDevice.open(target, kernel)) {
                describe(out, phc);
            }
            return ExitCodes.OK;
        } catch (PhcException e) {
            throw new UserError(e.exitCode(), e.getMessage());
        } finally {
            out.flush();
        }
    }

    private static int list(PrintWriter out, PhcLocator locator) {
        List<PhcLocator.PhcEntry> phcs = locator.list();
        if (phcs.isEmpty()) {
            throw new UserError(ExitCodes.UNAVAILABLE, "this machine has no PTP hardware clock (/sys/class/ptp is "
                    + "empty): pps2phc needs a NIC with a PHC and a PPS input, such as Intel i210, i225 or i226");
        }
        for (PhcLocator.PhcEntry e : phcs) {
            out.printf("%-12s clock '%s', interfaces: %s%n", e.path(), e.clockName(),
                    e.interfaces().isEmpty() ? "(none)" : String.join(" ", e.interfaces()));
        }
        out.println("Run 'pps2phc check DEVICE' for the details of one clock.");
        return ExitCodes.OK;
    }

    private static void describe(PrintWriter out, PhcDevice phc) throws PhcException {
        PhcCapabilities c = phc.capabilities();
        out.println(phc.name());
        row(out, "max frequency adjustment", c.maxAdjPpb() + " ppb");
        row(out, "external timestamps", c.externalTimestamps() + " channel" + (c.externalTimestamps() == 1 ? "" : "s"));
        row(out, "periodic outputs", String.valueOf(c.periodicOutputs()));
        row(out, "alarms", String.valueOf(c.alarms()));
        row(out, "pps events", c.pps() ? "yes" : "no");
        row(out, "precise cross-timestamps", c.crossTimestamping() ? "yes" : "no");
        row(out, "phase adjustment", c.adjustPhase() ? "yes" : "no");
        row(out, "pins", String.valueOf(c.pins()));
        for (PinDescription p : phc.pins()) {
            out.printf("    pin %d '%s': %s, channel %d%n", p.index(), p.name(), p.functionName(), p.channel());
        }
        row(out, "edges stamped", edges(phc));
        CrossTimestamp x = phc.crossTimestamp();
        List<String> refused = phc.refusedCrossTimestampMethods();
        row(out, "cross-timestamp", x.method() + ", bracket " + x.bracketNs() + " ns"
                + (refused.isEmpty() ? "" : " (refused: " + String.join(", ", refused) + ")"));
        row(out, "PHC - CLOCK_REALTIME", String.format("%.9f s", (x.phcNs() - x.sysNs()) / 1e9));
        row(out, "frequency", String.format("%.3f ppb", phc.frequencyPpb()));
        row(out, "may adjust", "yes (opened read-write)");
    }

    private static String edges(PhcDevice phc) throws PhcException {
        if (phc.capabilities().externalTimestamps() == 0) {
            return "none: no external-timestamp channel, so this PHC cannot take a PPS input";
        }
        try {
            EdgeRequest r = phc.probeEdges(0);
            return r.edgeMode().name().toLowerCase() + " on channel 0: " + r.description();
        } catch (PhcException e) {
            if (e.exitCode() == PhcException.NO_PERMISSION) {
                throw e;
            }
            return "unknown: " + e.getMessage();
        }
    }

    private static void row(PrintWriter out, String label, String value) {
        out.printf("  %-26s %s%n", label + ":", value);
    }
}
