package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.servo.KalmanServo;
import org.pps2phc.core.servo.Servo;

/**
 * What the engine and the default servo allocate per pulse once locked, driven by the simulator in virtual time
 * (an i210 stamping both edges, a time-of-day verdict every second): the bytes this thread allocated, counted by the
 * JVM, around the controller's calls only (the simulator's own work is not counted). The budget is the engine's
 * per-pulse records (the event's verdict, the sample, the observations, the servo's output); the Kalman bank's
 * matrices built per pulse (what this guards against) were about 4.7 kB.
 */
class EngineAllocationTest {
    private static final int WARM_UP_S = 3_000;
    private static final int MEASURED_S = 1_000;
    /** Bytes a second (one pulse, both its edges, one verdict) may allocate. */
    private static final long BUDGET_PER_PULSE = 1_500;

    @Test
    void aLockedPulseThroughTheEngineAllocatesOnlyItsRecords() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM counts allocated bytes per thread");
        SimParameters p = Scenarios.resolve("i210-f9t", Map.of("sim.duration", "86400"));
        SimWorld world = new SimWorld(p, 1, 0);
        SimPhcClock phc = new SimPhcClock(world);
        SimTimeOfDay tod = new SimTimeOfDay(world);
        DisciplineConfig config = DisciplineConfig.defaults();
        config = config.withServo(config.servo(), KalmanServo.NAME);
        long allocated = 0;
        try (SimPulseSource pulses = new SimPulseSource(world)) {
            double dialled = phc.frequencyPpb();
            Servo servo = SimRunner.servo(KalmanServo.NAME, p, config, dialled, phc.maxAdjPpb());
            Discipline engine = new Discipline(config, servo, pulses.edgeMode(), dialled, world.nowNs(),
                    world.leap());
            DisciplineController controller = new DisciplineController(engine, phc, List.of(), o -> { });
            for (long k = 0; k < WARM_UP_S + MEASURED_S; k++) {
                long bytes = 0;
                TodVerdict verdict = tod.query();
                long before = threads.getCurrentThreadAllocatedBytes();
                controller.onTimeOfDay(verdict);
                bytes += threads.getCurrentThreadAllocatedBytes() - before;
                long nextSecond = (k + 1) * SimWorld.S;
                while (world.nowNs() < nextSecond) {
                    Optional<ExttsEvent> event = pulses.next(nextSecond - world.nowNs());
                    before = threads.getCurrentThreadAllocatedBytes();
                    if (event.isPresent()) {
                        controller.onEdge(event.get());
                    } else {
                        controller.onTick(world.nowNs(), null);
                    }
                    bytes += threads.getCurrentThreadAllocatedBytes() - before;
                }
                if (k >= WARM_UP_S) {
                    allocated += bytes;
                }
            }
            assertEquals(State.LOCKED, controller.snapshot().state(), "measured in lock");
        }
        long perPulse = allocated / MEASURED_S;
        assertTrue(perPulse < BUDGET_PER_PULSE, "a pulse allocated " + perPulse + " bytes in the engine (budget "
                + BUDGET_PER_PULSE + ")");
    }
}
