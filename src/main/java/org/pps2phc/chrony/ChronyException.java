package org.pps2phc.chrony;

/** chronyd did not answer, or answered with an error status. The message is one line fit for a verdict reason. */
public final class ChronyException extends Exception {
    /** What went wrong, so that callers can tell "down" from "refused". */
    public enum Kind { NO_REPLY, REFUSED, IO, BAD_REPLY }

    private final Kind kind;
    private final int status;

    ChronyException(Kind kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    static ChronyException noReply(String server) {
        return new ChronyException(Kind.NO_REPLY, -1, "no reply from chronyd at " + server);
    }

    static ChronyException refused(String server, String request, int status) {
        return new ChronyException(Kind.REFUSED, status,
                "chronyd at " + server + " refused " + request + ": " + statusText(status));
    }

    static ChronyException badReply(String server, String what) {
        return new ChronyException(Kind.BAD_REPLY, -1, "chronyd at " + server + " " + what);
    }

    static ChronyException io(String server, Exception cause) {
        return new ChronyException(Kind.IO, -1, "cannot talk to chronyd at " + server + ": " + cause.getMessage());
    }

    public Kind kind() {
        return kind;
    }

    /** chrony's status code for {@link Kind#REFUSED}, else -1. */
    public int status() {
        return status;
    }

    static String statusText(int status) {
        return switch (status) {
            case CmdmonCodec.STT_UNAUTH -> "status 2, not authorised (chrony >= 4.7: add 'tracking sources' to "
                    + "opencommands; or the command port is not open to this address)";
            case CmdmonCodec.STT_INVALID -> "status 3, invalid command";
            case CmdmonCodec.STT_NOSUCHSOURCE -> "status 4, no such source";
            case CmdmonCodec.STT_BADPKTVERSION -> "status 18, protocol version 6 not supported";
            case CmdmonCodec.STT_BADPKTLENGTH -> "status 19, bad packet length";
            default -> "status " + status;
        };
    }
}
