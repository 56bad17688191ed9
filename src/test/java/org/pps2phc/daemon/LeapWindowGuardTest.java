package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.State;

class LeapWindowGuardTest {
    private static final long NS = 1_000_000_000L;
    /** 2027-01-01T00:00:00Z. */
    private static final long MIDNIGHT = 1_798_761_600L;

    /** Publishes a sample every half TAI second from 23:59:57 to 00:00:03 UTC; returns "p" or "w" for each. */
    private static List<String> outcomes(LeapState leap) {
        SampleRecorder recorder = new SampleRecorder();
        LeapWindowGuard guard = new LeapWindowGuard(recorder);
        long startTai = (MIDNIGHT - 3 + 37) * NS;
        for (long tai = startTai; tai < startTai + 7 * NS; tai += NS / 2) {
            guard.publish(new PhcSample(tai, tai - 37 * NS, 100, leap, State.LOCKED));
        }
        return recorder.calls;
    }

    @Test
    void aroundAnInsertedSecondTheSamplesFrom235959To000001AreWithheld() {
        // TAI seconds: 23:59:57, :58, :59, :60, 00:00:00, :01, :02 (two samples each)
        assertEquals(List.of("p", "p", "p", "p", "w", "w", "w", "w", "w", "w", "w", "w", "p", "p"),
                outcomes(new LeapState(37, Leap.INSERT, MIDNIGHT, "test")));
    }

    @Test
    void aroundADeletedSecondTheSamplesOf000000And000001AreWithheld() {
        // 23:59:59 does not exist: 23:59:57, :58, 00:00:00, :01, :02, :03, :04
        assertEquals(List.of("p", "p", "p", "p", "w", "w", "w", "w", "p", "p", "p", "p", "p", "p"),
                outcomes(new LeapState(37, Leap.DELETE, MIDNIGHT, "test")));
    }

    @Test
    void withoutALeapEverySampleIsPublished() {
        assertEquals(List.of("p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p", "p"),
                outcomes(LeapState.fixed(37, "test")));
    }
}
