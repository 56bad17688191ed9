package org.pps2phc.cli;

import java.util.Map;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.LogControl;
import org.pps2phc.daemon.UserError;
import picocli.CommandLine;

/** How picocli turns what a command threw into one line and a sysexits code. */
final class ErrorHandlers {
    private ErrorHandlers() {
    }

    /**
     * What starts a line for the user on standard error: "pps2phc: " on a terminal; under systemd the journal already
     * names the process, so the line starts with its syslog priority instead ("<3>" for an error, "<4>" a warning).
     */
    static String prefix(Map<String, String> env, boolean warning) {
        if (LogControl.underJournal(env)) {
            return warning ? "<4>" : "<3>";
        }
        return warning ? "pps2phc: warning: " : "pps2phc: ";
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
            cl.getErr().println(prefix(System.getenv(), false) + u.getMessage());
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
