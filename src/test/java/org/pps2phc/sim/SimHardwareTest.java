package org.pps2phc.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.State;
import org.pps2phc.core.servo.Servos;

/** The paced world as {@code run --simulate} uses it: real (here 50x) time, the daemon's controller, a lock. */
class SimHardwareTest {
    private static final long S = 1_000_000_000L;

    @Test
    void pacedHardwareLocksInWallTime() throws Exception {
        SimHardware hw = SimHardware.paced("i210-f9t", Map.of(), 1, 50);
        DisciplineConfig config = DisciplineConfig.defaults();
        Discipline engine = new Discipline(config, Servos.create(config.servoName(), config.servo(),
                hw.phc().frequencyPpb(), hw.phc().maxAdjPpb()), hw.pulses().edgeMode(), hw.phc().frequencyPpb(),
                hw.monotonic().nanos(), hw.leap());
        RunLog log = new RunLog(null);
        DisciplineController controller = new DisciplineController(engine, hw.phc(), List.of(), log);
        long wallStart = System.nanoTime();
        long nextTod = hw.monotonic().nanos();
        while (controller.snapshot().state() != State.LOCKED && hw.monotonic().nanos() < 60 * S) {
            if (hw.monotonic().nanos() >= nextTod) {
                controller.onTimeOfDay(hw.timeOfDay().query());
                nextTod += S;
            }
            Optional<ExttsEvent> e = hw.pulses().next(Math.max(0, nextTod - hw.monotonic().nanos()));
            if (e.isPresent()) {
                controller.onEdge(e.get());
            } else {
                controller.onTick(hw.monotonic().nanos(), hw.crossTimestamp());
            }
        }
        long wallNs = System.nanoTime() - wallStart;
        long simNs = hw.monotonic().nanos();
        assertEquals(State.LOCKED, controller.snapshot().state(), log.toString());
        assertTrue(simNs > 5 * S, "locking takes seconds of virtual time: " + simNs);
        assertTrue(wallNs >= simNs / 50 - S / 10, "virtual time ran at most 50x the wall clock: " + wallNs);
        assertTrue(Math.abs(hw.world().thetaNs()) < 1000, "the PHC is on TAI: " + hw.world().thetaNs());
    }
}
