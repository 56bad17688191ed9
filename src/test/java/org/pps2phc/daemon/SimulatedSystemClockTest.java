package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.Settings;
import org.pps2phc.core.CrossTimestamp;

/**
 * {@code run --simulate} feeds real chronyd and ntpd, which compare the samples' system times with their own clock
 * (chronyd drops a sample from the future): the simulated system clock must be this machine's clock plus
 * sys.offset_ms, not shifted by however long the simulator took to start.
 */
class SimulatedSystemClockTest {
    private static final long OFFSET_NS = -3_000_000;
    /**
     * The reads bracket the cross-timestamp, so a thread preempted between them widens the bracket instead of
     * failing; what is left is the simulator's own pacing. The fault this guards against, a world started late, is
     * tens of milliseconds; 2 ms is well under it and well over the pairing error of e810-gpsdo (50 ns).
     */
    private static final long TOLERANCE_NS = 2_000_000;

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Test
    void theSimulatedSystemClockIsThisMachinesPlusTheScenarioOffset() throws Exception {
        Ports ports = Assemblies.simulated("e810-gpsdo", List.of("sys.offset_ms=" + OFFSET_NS / 1e6,
                "sys.jitter_ms=0"), 1, Set.of()).open(Settings.defaults());
        OpenDevice device = ports.device().open();
        try {
            for (int i = 0; i < 5; i++) {
                long before = epochNanos(Instant.now());
                CrossTimestamp x = device.crossTime().orElseThrow().read();
                long after = epochNanos(Instant.now());
                long early = before + OFFSET_NS - x.sysNs();
                long late = x.sysNs() - (after + OFFSET_NS);
                assertTrue(early < TOLERANCE_NS && late < TOLERANCE_NS, "simulated system clock "
                        + (early > 0 ? early / 1e3 + " us behind" : late / 1e3 + " us ahead of")
                        + " this machine's clock + sys.offset_ms");
                Thread.sleep(100);
            }
        } finally {
            device.closer().close();
        }
    }
}
