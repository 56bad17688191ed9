package org.pps2phc.core;

/**
 * One external-timestamp event as the pulse source delivered it.
 *
 * @param phcNs    the PHC timestamp of the edge, ns (as read from the kernel, no correction applied)
 * @param channel  the extts channel it came from
 * @param xts      the PHC/system cross-timestamp taken right after the event was read
 * @param monoNs   CLOCK_MONOTONIC when the event was read (virtual time in the simulator)
 */
public record ExttsEvent(long phcNs, int channel, CrossTimestamp xts, long monoNs) {
    /** How long the event waited between the edge and the cross-timestamp, in PHC ns. */
    public long ageNs() {
        return xts.phcNs() - phcNs;
    }
}
