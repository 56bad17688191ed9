package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClockOffsetTest {
    private static final long OFFSET = 1_700_000_000_000_000_000L;

    /** Reads of a clock OFFSET ahead of the monotonic one, at these true instants, in the order they are made. */
    private static long measure(List<Long> instants) {
        Iterator<Long> at = instants.iterator();
        return ClockOffset.realtimeMinusMonotonic(() -> OFFSET + at.next(), at::next);
    }

    @Test
    void aPreemptionBetweenTheReadsIsNotMeasuredAsAnOffset() {
        // the first realtime read comes 3 ms after the monotonic one (the thread lost the CPU), the next bracket is
        // back to back: that one is kept
        assertEquals(OFFSET, measure(List.of(0L, 3_000_000L, 3_000_100L, 3_000_200L, 3_000_250L, 3_000_300L)), 100);
    }

    @Test
    void aNarrowFirstBracketIsEnoughAndVirtualTimeReadsEachClockOnce() {
        assertEquals(OFFSET, measure(List.of(5L, 5L, 5L)));
    }
}
