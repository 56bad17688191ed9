package org.pps2phc.core.servo;

/** linuxptp's servo states, with the same meaning. */
public enum ServoState {
    /** Collecting the samples needed for a first frequency estimate: apply nothing. */
    UNLOCKED,
    /** Dial the returned frequency, then step by -offset. */
    JUMP,
    /** Dial the returned frequency. */
    LOCKED,
    /** Locked, and the last few offsets were all under the configured threshold. */
    LOCKED_STABLE;

    /** ts2phc's "s0".."s3" notation. */
    public String code() {
        return "s" + ordinal();
    }
}
