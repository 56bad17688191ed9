package org.pps2phc.cli;

import picocli.CommandLine;

/** sysexits(3) codes, which the systemd unit's RestartPreventExitStatus relies on. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATAERR = 65;
    public static final int UNAVAILABLE = 69;
    public static final int SOFTWARE = 70;
    public static final int OSERR = 71;
    public static final int IOERR = 74;
    public static final int NOPERM = 77;
    public static final int CONFIG = 78;

    private ExitCodes() {
    }

    static int forException(Throwable t) {
        if (t instanceof UserError u) {
            return u.exitCode();
        }
        return SOFTWARE;
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
        return USAGE;
    }
}
