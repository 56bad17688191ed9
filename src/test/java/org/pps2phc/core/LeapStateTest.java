package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** UTC/TAI conversions on both sides of a leap second, inserted (2016-12-31) and deleted (hypothetical). */
class LeapStateTest {
    private static final long NS = 1_000_000_000L;
    /** 2017-01-01T00:00:00Z, when TAI-UTC went from 36 to 37. */
    private static final long MIDNIGHT_2017 = 1_483_228_800L;

    private final LeapState insert = new LeapState(36, Leap.INSERT, MIDNIGHT_2017, "test");
    private final LeapState delete = new LeapState(37, Leap.DELETE, MIDNIGHT_2017, "test");

    @Test
    void insertedSecondUtcToTai() {
        assertEquals(36, insert.taiMinusUtcAtUtc((MIDNIGHT_2017 - 1) * NS + 999_999_999));
        assertEquals(37, insert.taiMinusUtcAtUtc(MIDNIGHT_2017 * NS));
        // 23:59:59 is TAI ...835, 00:00:00 is TAI ...837: the TAI second ...836 between them is 23:59:60
        assertEquals((MIDNIGHT_2017 - 1 + 36) * NS, insert.utcToTai((MIDNIGHT_2017 - 1) * NS));
        assertEquals((MIDNIGHT_2017 + 37) * NS, insert.utcToTai(MIDNIGHT_2017 * NS));
    }

    @Test
    void insertedSecondTaiToUtc() {
        long tai2359_59 = MIDNIGHT_2017 - 1 + 36;
        assertEquals((MIDNIGHT_2017 - 1) * NS + 500_000_000, insert.taiToUtc(tai2359_59 * NS + 500_000_000));
        // 23:59:60 shows as a repeated 23:59:59, with TAI-UTC already 37, as the kernel does during TIME_OOP
        assertEquals(37, insert.taiMinusUtcAtTai((tai2359_59 + 1) * NS));
        assertEquals((MIDNIGHT_2017 - 1) * NS + 500_000_000, insert.taiToUtc((tai2359_59 + 1) * NS + 500_000_000));
        assertEquals(MIDNIGHT_2017 * NS, insert.taiToUtc((tai2359_59 + 2) * NS));
        assertEquals((MIDNIGHT_2017 + 3600) * NS, insert.taiToUtc((MIDNIGHT_2017 + 3600 + 37) * NS));
    }

    @Test
    void deletedSecondUtcToTai() {
        assertEquals(37, delete.taiMinusUtcAtUtc((MIDNIGHT_2017 - 2) * NS));
        assertEquals(36, delete.taiMinusUtcAtUtc(MIDNIGHT_2017 * NS));
        // 23:59:58 is followed directly by 00:00:00: consecutive TAI seconds
        assertEquals((MIDNIGHT_2017 - 2 + 37) * NS, delete.utcToTai((MIDNIGHT_2017 - 2) * NS));
        assertEquals((MIDNIGHT_2017 - 1 + 37) * NS, delete.utcToTai(MIDNIGHT_2017 * NS));
    }

    @Test
    void deletedSecondTaiToUtc() {
        long tai2359_58 = MIDNIGHT_2017 - 2 + 37;
        assertEquals((MIDNIGHT_2017 - 2) * NS + 250_000_000, delete.taiToUtc(tai2359_58 * NS + 250_000_000));
        // the next TAI second is already 00:00:00: 23:59:59 never happens
        assertEquals(36, delete.taiMinusUtcAtTai((tai2359_58 + 1) * NS));
        assertEquals(MIDNIGHT_2017 * NS + 250_000_000, delete.taiToUtc((tai2359_58 + 1) * NS + 250_000_000));
        assertEquals((MIDNIGHT_2017 + 1) * NS, delete.taiToUtc((tai2359_58 + 2) * NS));
    }

    @Test
    void roundTripAwayFromTheLeap() {
        for (LeapState s : new LeapState[] {insert, delete, LeapState.fixed(37, "test")}) {
            for (long utcS : new long[] {MIDNIGHT_2017 - 86_400, MIDNIGHT_2017 - 3, MIDNIGHT_2017 + 1, MIDNIGHT_2017 + 86_400}) {
                long utcNs = utcS * NS + 123_456_789;
                assertEquals(utcNs, s.taiToUtc(s.utcToTai(utcNs)), s + " at " + utcS);
            }
        }
    }

    @Test
    void noLeapIsAConstantOffset() {
        LeapState none = LeapState.fixed(37, "test");
        assertEquals(37L * NS + 5, none.utcToTai(5));
        assertEquals(5, none.taiToUtc(37L * NS + 5));
    }
}
