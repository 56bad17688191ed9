package org.pps2phc.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.servo.Servo;
import org.pps2phc.core.servo.Servos;

/**
 * Runs the daemon's {@link DisciplineController} against a {@link SimWorld} in virtual time, as fast as the CPU
 * allows: a time-of-day verdict at every whole second, each event as it is delivered, and a tick with a fresh
 * cross-timestamp whenever a wait times out. The metrics come from the world's ground truth.
 */
public final class SimRunner {
    private static final long S = SimWorld.S;

    /**
     * @param log   what the engine said
     * @param truth the ground truth the metrics were computed from
     * @param last  the engine's state at the end
     */
    public record Result(String scenario, String servo, long seed, Metrics metrics, RunLog log, GroundTruth truth,
                         Snapshot last) {
    }

    private SimRunner() {
    }

    /** Every servo {@code --servo} accepts in the simulator: the registry's plus the scenario-aware optimum. */
    public static List<String> servoNames() {
        List<String> names = new ArrayList<>(Servos.names());
        names.add(OptimumServo.NAME);
        return names;
    }

    /**
     * The servo {@code name} for a PHC in world {@code p}; "optimum" is told the scenario's noise.
     *
     * @throws ScenarioException for an unknown name
     */
    public static Servo servo(String name, SimParameters p, DisciplineConfig config, double dialledPpb,
                              long maxAdjPpb) {
        if (OptimumServo.NAME.equals(name)) {
            return OptimumServo.create(p, config.servo(), dialledPpb, maxAdjPpb);
        }
        try {
            return Servos.create(name, config.servo(), dialledPpb, maxAdjPpb);
        } catch (IllegalArgumentException e) {
            throw new ScenarioException("unknown servo '" + name + "' (known: " + String.join(", ", servoNames())
                    + ")");
        }
    }

    public static Result run(String scenario, SimParameters p, String servoName, long seed) {
        return run(scenario, p, DisciplineConfig.defaults(), servoName, seed, null);
    }

    /**
     * Simulates {@code p.durationS()} seconds.
     *
     * @param listener also told every observation, or null
     */
    public static Result run(String scenario, SimParameters p, DisciplineConfig base, String servoName, long seed,
                             ObservationListener listener) {
        return run(scenario, p, base, servoName, (config, dialled, maxAdj) -> servo(servoName, p, config, dialled,
                maxAdj), seed, listener);
    }

    /** Builds the servo of a run from the engine's config, the dialled frequency and the device's max_adj. */
    @FunctionalInterface
    public interface ServoFactory {
        Servo create(DisciplineConfig config, double dialledPpb, long maxAdjPpb);
    }

    /** As {@link #run(String, SimParameters, DisciplineConfig, String, long, ObservationListener)}, any servo. */
    public static Result run(String scenario, SimParameters p, DisciplineConfig base, String servoName,
                             ServoFactory factory, long seed, ObservationListener listener) {
        SimWorld world = new SimWorld(p, seed, (int) p.durationS());
        SimPhcClock phc = new SimPhcClock(world);
        SimTimeOfDay tod = new SimTimeOfDay(world);
        DisciplineConfig config = base.withServo(base.servo(), servoName);
        Servo servo = factory.create(config, phc.frequencyPpb(), phc.maxAdjPpb());
        RunLog log = new RunLog(listener);
        try (SimPulseSource pulses = new SimPulseSource(world)) {
            Discipline engine = new Discipline(config, servo, pulses.edgeMode(), phc.frequencyPpb(), world.nowNs(),
                    world.leap());
            DisciplineController controller = new DisciplineController(engine, phc, List.of(), log);
            long end = p.durationS() * S;
            long nextTod = 0;
            while (world.nowNs() < end) {
                if (world.nowNs() >= nextTod) {
                    controller.onTimeOfDay(tod.query());
                    nextTod += S;
                }
                Optional<ExttsEvent> event = pulses.next(Math.min(nextTod, end) - world.nowNs());
                if (event.isPresent()) {
                    controller.onEdge(event.get());
                } else {
                    controller.onTick(world.nowNs(), world.crossTimestamp());
                }
            }
            return new Result(scenario, servoName, seed,
                    Metrics.of(world.groundTruth()), log, world.groundTruth(), controller.snapshot());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in virtual time", e);
        }
    }
}
