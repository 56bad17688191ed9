package org.pps2phc.daemon;

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
}
