package org.pps2phc.ptp4l;

/** The actionField of a management message (low nibble of byte 46). */
public enum ManagementAction {
    GET(0), SET(1), RESPONSE(2), COMMAND(3), ACKNOWLEDGE(4);

    private final int code;

    ManagementAction(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static String describe(int code) {
        for (ManagementAction a : values()) {
            if (a.code == code) {
                return a.name();
            }
        }
        return "action " + code;
    }
}
