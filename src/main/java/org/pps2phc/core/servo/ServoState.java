package org.pps2phc.core.servo;

/** linuxptp's servo states, with the same meaning. */
public enum ServoState {
    /** Collecting the samples needed for a first frequency estimate: apply nothing. */
    UNLOCKED("s0"),
    /** Dial the returned frequency, then step by -offset. */
    JUMP("s1"),
    /** Dial the returned frequency. */
    LOCKED("s2"),
    /** Locked, and the last few offsets were all under the configured threshold. */
    LOCKED_STABLE("s3");

    private final String code;

    ServoState(String code) {
        this.code = code;
    }

    /** ts2phc's "s0".."s3" notation. */
    public String code() {
        return code;
    }
}
