package org.pps2phc.receiver;

import java.util.function.LongSupplier;

/**
 * CLOCK_REALTIME minus CLOCK_MONOTONIC, read as a cross-timestamp is: the realtime reading bracketed by two monotonic
 * ones, the narrowest of a few tries kept. Two plain reads in a row are as far apart as the thread was preempted
 * between them, milliseconds on a loaded machine, and the receiver's measured offset of the system clock would carry
 * that.
 */
final class ClockOffset {
    private static final int TRIES = 4;
    /** A bracket this narrow is not worth another try (clock reads take tens of ns; a preemption, ms). */
    private static final long NARROW_NS = 20_000;

    private ClockOffset() {
    }

    static long realtimeMinusMonotonic(LongSupplier realtimeNs, LongSupplier monotonicNs) {
        long best = 0;
        long narrowest = Long.MAX_VALUE;
        for (int i = 0; i < TRIES; i++) {
            long before = monotonicNs.getAsLong();
            long realtime = realtimeNs.getAsLong();
            long after = monotonicNs.getAsLong();
            long width = after - before;
            if (width < narrowest) {
                narrowest = width;
                best = realtime - (before + width / 2);
            }
            if (width <= NARROW_NS) {
                break;
            }
        }
        return best;
    }
}
