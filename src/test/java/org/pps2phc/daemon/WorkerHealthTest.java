package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerHealthTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aWorkerThatStopsBeatingIsStuckOnceItsLimitHasPassed() {
        WorkerHealth health = new WorkerHealth();
        health.watch("pulses", 10 * S, 0);
        health.watch("tod", 40 * S, 0);
        for (long t = S; t <= 30 * S; t += S) {
            health.beat("tod", t);
            if (t <= 5 * S) {
                health.beat("pulses", t);
            }
        }
        assertEquals(List.of(), health.stuck(15 * S), "10 s since the last beat: not yet over the limit");
        assertEquals(List.of("pulses (11 s without progress)"), health.stuck(16 * S));
        health.beat("pulses", 17 * S);
        assertEquals(List.of(), health.stuck(17 * S), "progress again: not stuck");
    }

    @Test
    void aForgottenWorkerIsNoLongerWatchedAndUnknownBeatsAreIgnored() {
        WorkerHealth health = new WorkerHealth();
        health.watch("ptp4l", S, 0);
        health.beat("never watched", 0);
        assertEquals(List.of("ptp4l (5 s without progress)"), health.stuck(5 * S));
        health.forget("ptp4l");
        assertEquals(List.of(), health.stuck(5 * S));
    }
}
