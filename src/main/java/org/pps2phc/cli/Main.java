package org.pps2phc.cli;

import org.pps2phc.daemon.Signals;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: the pps2phc command and its subcommands. */
@Command(name = "pps2phc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Disciplines a NIC's PTP hardware clock on TAI from a GNSS pulse-per-second.",
        subcommands = {RunCommand.class, StatusCommand.class, CheckCommand.class, TodCommand.class,
            SimulateCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  pps2phc run --simulate          # watch the daemon lock on simulated hardware",
            "  pps2phc run --check-config      # validate /etc/pps2phc/pps2phc.conf",
            "  pps2phc status                  # what the running daemon is doing",
            "  pps2phc help run                # every option of a command"})
public final class Main {
    public static void main(String[] args) {
        // The daemon's signal handlers come first, before picocli and the config: a SIGHUP or SIGTERM in the first
        // second would otherwise meet the JVM's default action (exit 129 or 143) instead of the daemon.
        Signals signals = args.length > 0 && args[0].equals("run") ? Signals.install() : null;
        CommandLine cl = commandLine();
        ((RunCommand) cl.getSubcommands().get("run").getCommand()).signals = signals;
        System.exit(cl.execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(ErrorHandlers::forException);
        cl.setParameterExceptionHandler(ErrorHandlers::onParameterError);
        cl.setExecutionExceptionHandler(ErrorHandlers::onExecutionError);
        RunCommand.listSimulatorKeys(cl.getSubcommands().get("run"));
        return cl;
    }
}
