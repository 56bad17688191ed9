package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes as a leap-seconds.list: either an {@link IllegalArgumentException} of one line naming the file, or a
 * table that answers for every instant it covers, its expiry included. The corpus (Debian's tzdata file, plus every
 * crash found) is in LeapTableFuzzTestInputs; see docs/testing.md.
 */
class LeapTableFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void leapSecondsList(byte[] content) {
        LeapTable t;
        try {
            t = LeapTable.parse(content, "fuzz.list");
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            assertTrue(m.startsWith("fuzz.list"), m);
            assertTrue(m.length() <= 300 && m.chars().allMatch(c -> c >= 0x20 && c < 0x7F), m);
            return;
        }
        assertTrue(!t.entries().isEmpty());
        t.expiresUtcS().ifPresent(e -> {
            LeapTable.utcDate(e);
            assertTrue(t.expiredAt(e));
        });
        for (LeapTable.Entry e : t.entries()) {
            for (long at : new long[] {e.utcS() - 1, e.utcS(), e.utcS() - 86_400L * 31}) {
                LeapState s = t.stateAt(at, "fuzz");
                assertTrue(s.pending() == Leap.NONE || s.leapAtUtcS() > at, s::toString);
                LeapTable.utcDate(at);
            }
            assertEquals(e.taiMinusUtcS(), t.taiMinusUtcAt(e.utcS()).orElseThrow());
        }
        t.nextChangeAfter(Long.MIN_VALUE);
        t.lastOffset();
    }
}
