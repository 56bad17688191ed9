package org.pps2phc.core.servo;

/** linuxptp's LOCKED_STABLE rule: the last N offsets all under a threshold. */
final class OffsetHistory {
    private final double thresholdNs;
    private final int needed;
    private int consecutive;

    OffsetHistory(double thresholdNs, int needed) {
        this.thresholdNs = thresholdNs;
        this.needed = needed;
    }

    /** Records one offset; true when the run of small offsets is long enough. */
    boolean add(double offsetNs) {
        if (thresholdNs <= 0) {
            return false;
        }
        consecutive = Math.abs(offsetNs) < thresholdNs ? consecutive + 1 : 0;
        return consecutive >= needed;
    }

    void clear() {
        consecutive = 0;
    }
}
