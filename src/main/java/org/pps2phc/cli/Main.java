package org.pps2phc.cli;

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
        System.exit(commandLine().execute(args));
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
