package org.pps2phc.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.core.servo.Servo;
import org.pps2phc.core.servo.Servos;

/**
 * Runs the daemon's {@link DisciplineController} against a {@link SimWorld} in virtual time, as fast as the CPU
 * allows: a time-of-day verdict at every whole second, each event as it is delivered, and a tick with a fresh
 * cross-timestamp whenever a wait times out. When the device fails (nic.removed) it does what the daemon does:
 * tells the engine the device is lost, tries to reopen it once a second, and tells the engine when it is back.
 * With {@code tod.source=gnss} the receiver's bytes are read as they arrive and the receiver path
 * ({@link GnssReceiver}) is the time of day. The metrics come from the world's ground truth, scored second by second ({@link Scorecard}).
 */
public final class SimRunner {
    private static final long S = SimWorld.S;
    /** The alias {@code clock_servo} also accepts for pi-linuxptp. */
    private static final String PI_ALIAS = "pi";

    /**
     * @param log  what the engine said
     * @param last the engine's state at the end
     */
    public record Result(String scenario, String servo, long seed, Metrics metrics, RunLog log, Snapshot last) {
    }

    /** Told every true second k of a run, at t_k: TE_k (PHC minus true time, ns) and the engine's snapshot. */
    @FunctionalInterface
    public interface SecondListener {
        void second(long k, double teNs, Snapshot snapshot);
    }

    private SimRunner() {
    }

    /** Every servo {@code --servo} accepts in the simulator: the registry's, "pi" as in clock_servo, optimum. */
    public static List<String> servoNames() {
        List<String> names = new ArrayList<>(Servos.names());
        names.add(PI_ALIAS);
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
                maxAdj), seed, listener, null);
    }

    /** Builds the servo of a run from the engine's config, the dialled frequency and the device's max_adj. */
    @FunctionalInterface
    public interface ServoFactory {
        Servo create(DisciplineConfig config, double dialledPpb, long maxAdjPpb);
    }

    /**
     * As {@link #run(String, SimParameters, DisciplineConfig, String, long, ObservationListener)}, any servo.
     *
     * @param seconds also told every true second, or null
     */
    public static Result run(String scenario, SimParameters p, DisciplineConfig base, String servoName,
                             ServoFactory factory, long seed, ObservationListener listener, SecondListener seconds) {
        return run(scenario, p, base, servoName, factory, seed, listener, seconds, null);
    }

    /**
     * As {@link #run(String, SimParameters, DisciplineConfig, String, ServoFactory, long, ObservationListener,
     * SecondListener)}; with {@code tod.source=gnss} the time of day is the receiver's byte stream
     * ({@link GnssStream}) read by {@code receiver}'s path: each read when its last byte arrives, each edge through
     * it before the engine sees it, its verdict every second.
     *
     * @param receiver builds the receiver path; needed only with {@code tod.source=gnss}
     * @throws ScenarioException with {@code tod.source=gnss} and no receiver path
     */
    public static Result run(String scenario, SimParameters p, DisciplineConfig base, String servoName,
                             ServoFactory factory, long seed, ObservationListener listener, SecondListener seconds,
                             GnssReceiver.Factory receiver) {
        SimWorld world = new SimWorld(p, seed, 0);
        SimPhcClock phc = new SimPhcClock(world);
        GnssStream stream = null;
        GnssReceiver gnss = null;
        TimeOfDaySource tod = new SimTimeOfDay(world);
        if (p.gnss().gnssTimeOfDay()) {
            if (receiver == null) {
                throw new ScenarioException("tod.source=gnss needs the receiver path (pps2phc simulate has it)");
            }
            stream = new GnssStream(p, seed);
            gnss = receiver.create(new GnssReceiver.Clocks(world::systemTimeNs, world::nowNs, world.leap(),
                    stream.byteNs(), Math.floorDiv(world.leap().taiToUtc(p.startS() * S), S)));
            tod = gnss;
        }
        DisciplineConfig config = base.withServo(base.servo(), servoName);
        Scorecard card = new Scorecard(p.durationS(), p.ppsOutages(), p.faults().nicRemoved(), p.ppsWidthNs());
        RunLog log = new RunLog(listener);
        try (SimPulseSource pulses = new SimPulseSource(world)) {
            double dialled = frequency(phc);
            Servo servo = factory.create(config, dialled, phc.maxAdjPpb());
            Discipline engine = new Discipline(config, servo, pulses.edgeMode(), dialled, world.nowNs(),
                    world.leap());
            DisciplineController controller = new DisciplineController(engine, phc, List.of(), log);
            long end = p.durationS() * S;
            long nextSecond = 0;
            boolean deviceLost = false;
            while (world.nowNs() < end) {
                if (world.nowNs() >= nextSecond) {
                    long k = nextSecond / S;
                    double te = world.thetaNs();
                    Snapshot snapshot = controller.snapshot();
                    card.second(k, te, snapshot.state(), snapshot.timeErrorBoundNs(), world.pulseEmitted(k));
                    if (seconds != null) {
                        seconds.second(k, te, snapshot);
                    }
                    if (deviceLost) {
                        deviceLost = !reopened(controller, phc, world);
                    }
                    controller.onTimeOfDay(tod.query());
                    nextSecond += S;
                }
                long until = Math.min(nextSecond, end);
                if (stream != null && stream.nextChunkAtNs() <= world.nowNs()) {
                    gnss.bytes(stream.takeChunk());
                    continue;
                }
                boolean forBytes = stream != null && stream.nextChunkAtNs() < until;
                if (forBytes) {
                    until = stream.nextChunkAtNs();
                }
                long timeout = until - world.nowNs();
                if (deviceLost) {
                    world.advanceTo(world.nowNs() + timeout);
                    if (!forBytes) {
                        controller.onTick(world.nowNs(), null);
                    }
                    continue;
                }
                try {
                    Optional<ExttsEvent> event = pulses.next(timeout);
                    if (event.isPresent()) {
                        controller.onEdge(gnss == null ? event.get() : gnss.pulse(event.get()));
                    } else if (!forBytes) {
                        controller.onTick(world.nowNs(), world.crossTimestamp());
                    }
                } catch (ClockException e) {
                    controller.onDeviceLost(world.nowNs(), e.getMessage());
                    deviceLost = true;
                }
            }
            return new Result(scenario, servoName, seed, card.metrics(world.stepTimesNs()), log,
                    controller.snapshot());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in virtual time", e);
        }
    }

    /** One reopen attempt, as the daemon's backoff makes it: the device answers again, the engine is told. */
    private static boolean reopened(DisciplineController controller, SimPhcClock phc, SimWorld world) {
        try {
            double dialled = phc.frequencyPpb();
            controller.onDeviceBack(world.nowNs(), dialled);
            return true;
        } catch (ClockException e) {
            return false;
        }
    }

    private static double frequency(SimPhcClock phc) {
        try {
            return phc.frequencyPpb();
        } catch (ClockException e) {
            throw new IllegalStateException("the simulated device is gone at the start of the run", e);
        }
    }
}
