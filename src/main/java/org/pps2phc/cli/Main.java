package org.pps2phc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: the pps2phc command and its subcommands. */
@Command(name = "pps2phc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Disciplines a NIC's PTP hardware clock on TAI from a GNSS pulse-per-second.",
        subcommands = {CommandLine.HelpCommand.class, CheckCommand.class, TodCommand.class,
            SimulateCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setParameterExceptionHandler(ExitCodes::onParameterError);
        cl.setExecutionExceptionHandler(ExitCodes::onExecutionError);
        return cl;
    }
}
