package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import picocli.CommandLine;

/** How picocli turns what a command threw into one line and a sysexits code. */
final class ErrorHandlers {
    private ErrorHandlers() {
    }

    static int forException(Throwable t) {
        if (t instanceof UserError u) {
            return u.exitCode();
        }
        return ExitCodes.SOFTWARE;
    }

    /** A user's mistake is one line and its code; anything else is our bug and keeps its stack trace. */
    static int onExecutionError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof UserError u) {
            cl.getErr().println("pps2phc: " + u.getMessage());
            return u.exitCode();
        }
        throw e;
    }

    /** Bad command line: one line naming the problem, the usage hint, exit 64. */
    static int onParameterError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("pps2phc: " + e.getMessage());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }
}
