package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.State;

class ShmTimeTest {
    private static final long NS = 1_000_000_000L;
    private static final long SYS = 1_790_000_000L * NS + 123_456_999L;

    @Test
    void clockIsPhcInUtcAndReceiveIsSystemTime() {
        ShmTime t = ShmTime.of(Samples.at(SYS), Timescale.UTC);
        assertEquals(1_790_000_000L, t.receiveSec());
        assertEquals(123_456_999, t.receiveNsec());
        assertEquals(1_790_000_000L, t.clockSec());
        assertEquals(123_706_999, t.clockNsec(), "PHC(UTC) = system + 250 us");
    }

    @Test
    void taiTimescaleKeepsThePhcSeconds() {
        ShmTime t = ShmTime.of(Samples.at(SYS), Timescale.TAI);
        assertEquals(1_790_000_037L, t.clockSec());
        assertEquals(123_706_999, t.clockNsec());
    }

    @Test
    void microsecondsAreTruncatedNeverRounded() {
        ShmTime t = ShmTime.of(Samples.at(SYS), Timescale.UTC);
        assertEquals(123_456, t.receiveUsec(), "123456.999 us truncates to 123456");
        assertEquals(123_706, t.clockUsec());
        assertEquals(t.receiveNsec() / 1000, t.receiveUsec());
    }

    @Test
    void leapFieldIsAnnouncedOnlyOnTheDayAndNeverUnsynchronised() {
        long midnight = 1_798_761_600L; // 2027-01-01 00:00 UTC
        LeapState insert = new LeapState(37, Leap.INSERT, midnight, "test");
        long dayBefore = (midnight - 3600) * NS;
        long twoDaysBefore = (midnight - 2 * 86_400) * NS;
        assertEquals(1, ShmTime.of(sampleAt(dayBefore, insert), Timescale.UTC).leap());
        assertEquals(0, ShmTime.of(sampleAt(twoDaysBefore, insert), Timescale.UTC).leap());
        LeapState delete = new LeapState(37, Leap.DELETE, midnight, "test");
        assertEquals(2, ShmTime.of(sampleAt(dayBefore, delete), Timescale.UTC).leap());
        assertEquals(0, ShmTime.of(Samples.at(SYS), Timescale.UTC).leap());
    }

    private static PhcSample sampleAt(long utcNs, LeapState leap) {
        return new PhcSample(leap.utcToTai(utcNs), utcNs, 100, leap, State.LOCKED);
    }

    @Test
    void precisionIsTheCeilingLog2OfTheBracketClamped() {
        assertEquals(-20, ShmTime.precision(500), "2^-21 s = 477 ns < 500 ns <= 2^-20 s = 954 ns");
        assertEquals(-20, ShmTime.precision(953));
        assertEquals(-19, ShmTime.precision(954), "954 ns is just above 2^-20 s (953.67 ns)");
        assertEquals(-23, ShmTime.precision(100));
        assertEquals(-30, ShmTime.precision(0), "a perfect bracket still claims at most 1 ns");
        assertEquals(-29, ShmTime.precision(1), "1 ns is above 2^-30 s = 0.93 ns");
        assertEquals(-10, ShmTime.precision(5_000_000), "a 5 ms bracket is clamped to 2^-10 s");
        assertEquals(-10, ShmTime.precision(Long.MAX_VALUE));
    }
}
