package org.pps2phc.core;

/**
 * Watches the PHC against CLOCK_MONOTONIC from one reading of both to the next (accepted pulses, and in holdover
 * each tick's cross-timestamp): a PHC that moved further than the system clock's slew can explain was stepped from
 * outside. CLOCK_MONOTONIC follows that slew (chronyd's maxslewrate is 83333 ppm by default), so only a jump of a
 * quarter second and more can be told, within a few seconds; smaller steps show at the pulses.
 */
final class PhcJumpWatch {
    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** Readings further apart are not compared: the slew allowance would grow past a second. */
    private static final long MAX_GAP_NS = 6 * SECOND;
    private static final long BASE_TOLERANCE_NS = SECOND / 4;
    /** How fast the PHC and CLOCK_MONOTONIC may part without a step: more than any slew of the system clock. */
    private static final double SLEW = 0.1;

    private long phcMinusMonoNs = Long.MIN_VALUE;
    private long atMonoNs;

    /**
     * The PHC read {@code phcNs} at CLOCK_MONOTONIC {@code monoNs}: how far it jumped since the last reading, ns,
     * or 0 when it did not or that cannot be told.
     */
    long read(long phcNs, long monoNs) {
        long now = phcNs - monoNs;
        long jump = 0;
        long gap = monoNs - atMonoNs;
        if (phcMinusMonoNs != Long.MIN_VALUE && gap >= 0 && gap <= MAX_GAP_NS) {
            long moved = now - phcMinusMonoNs;
            if (Math.abs(moved) > BASE_TOLERANCE_NS + SLEW * gap) {
                jump = moved;
            }
        }
        phcMinusMonoNs = now;
        atMonoNs = monoNs;
        return jump;
    }

    /** The engine stepped the PHC by {@code deltaNs}: not a jump from outside. */
    void stepped(long deltaNs) {
        if (phcMinusMonoNs != Long.MIN_VALUE) {
            phcMinusMonoNs += deltaNs;
        }
    }

    /** Nothing read so far holds (another device). */
    void forget() {
        phcMinusMonoNs = Long.MIN_VALUE;
    }
}
