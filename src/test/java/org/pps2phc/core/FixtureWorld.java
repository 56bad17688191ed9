package org.pps2phc.core;

import java.util.ArrayList;
import java.util.List;
import org.pps2phc.core.servo.Servos;

/**
 * A noiseless PHC and pulse generator for engine tests: exact arithmetic, so every expectation can be worked out by
 * hand. The PHC reads true TAI + theta; theta grows at (freqErrorPpb + dialled) per second; steps land exactly.
 * The system clock reads UTC (TAI - 37 s) plus {@code sysErrorNs}.
 */
final class FixtureWorld {
    static final long S = 1_000_000_000L;
    static final long START_TAI = 1_780_272_037L * S;
    static final LeapState LEAP = LeapState.fixed(37, "test");
    static final double BOUND_RESOLUTION_NS = 5;

    double thetaNs;
    double freqErrorPpb;
    double dialledPpb;
    long sysErrorNs;
    /** What the world's UTC follows (the system clock reads TAI converted with it). */
    LeapState worldLeap = LEAP;
    long deliveryNs = 200_000;
    long trueNs = START_TAI;
    final List<Observation> observations = new ArrayList<>();
    /** Events after which the engine said LOCKED while the PHC was more than 1 us off: false lock. */
    int falseLocks;
    /**
     * Events after which the announced time-error bound was below the PHC's true error, by more than the PHC moves
     * between an edge and its delivery in this noiseless world (where a bound can be a fraction of a ns).
     */
    int boundViolations;
    final List<Action> actions = new ArrayList<>();
    Discipline engine;

    FixtureWorld(double initialThetaNs, double freqErrorPpb) {
        this.thetaNs = initialThetaNs;
        this.freqErrorPpb = freqErrorPpb;
    }

    FixtureWorld engine(DisciplineConfig config, EdgeMode mode) {
        engine = new Discipline(config, Servos.create(config.servoName(), config.servo(), 0, 62_499_999), mode, 0,
                0, LEAP);
        return this;
    }

    void trustTod(double boundNs) {
        feed(engine.onTimeOfDay(TodVerdict.trusted(boundNs, LEAP, "test")));
    }

    void distrustTod() {
        feed(engine.onTimeOfDay(TodVerdict.untrusted("test says no", LEAP, "test")));
    }

    /** Advances true time to {@code trueAt}, letting theta run. */
    void advanceTo(long trueAt) {
        thetaNs += (trueAt - trueNs) * (freqErrorPpb + dialledPpb) / 1e9;
        trueNs = trueAt;
    }

    long phcNow() {
        return trueNs + Math.round(thetaNs);
    }

    /** An edge at true time {@code edgeTrue}, delivered {@code deliveryNs} later. */
    List<Observation> edgeAt(long edgeTrue) {
        advanceTo(edgeTrue);
        long stamp = phcNow();
        advanceTo(edgeTrue + deliveryNs);
        CrossTimestamp xts = new CrossTimestamp(phcNow(), worldLeap.taiToUtc(trueNs) + sysErrorNs, 1500, "fixture");
        int before = observations.size();
        feed(engine.onEdge(new ExttsEvent(stamp, 0, xts, trueNs - START_TAI)));
        score();
        return observations.subList(before, observations.size());
    }

    /** The leading edge of pulse k (at true second START + k). */
    Observation.Pulse pulse(int k) {
        return lastPulse(edgeAt(START_TAI + k * S));
    }

    void tick(long trueAt) {
        advanceTo(trueAt);
        feed(engine.onTick(trueNs - START_TAI, null));
        score();
    }

    /** Another process steps the PHC. */
    void externalStep(long deltaNs) {
        thetaNs += deltaNs;
    }

    /** Another process dials a frequency. */
    void externalFrequency(double ppb) {
        dialledPpb = ppb;
    }

    private void score() {
        Snapshot snap = engine.snapshot();
        if (snap.state() == State.LOCKED && Math.abs(thetaNs) > 1000) {
            falseLocks++;
        }
        if (!Double.isNaN(snap.timeErrorBoundNs()) && snap.timeErrorBoundNs() + BOUND_RESOLUTION_NS < Math.abs(thetaNs)) {
            boundViolations++;
        }
    }

    static Observation.Pulse lastPulse(List<Observation> obs) {
        for (int i = obs.size() - 1; i >= 0; i--) {
            if (obs.get(i) instanceof Observation.Pulse p) {
                return p;
            }
        }
        throw new AssertionError("no pulse observation in " + obs);
    }

    void feed(Output out) {
        for (Action a : out.actions()) {
            actions.add(a);
            if (a instanceof Action.SetFrequency f) {
                dialledPpb = f.ppb();
            } else if (a instanceof Action.Step s) {
                thetaNs += s.deltaNs();
            }
        }
        observations.addAll(out.observations());
    }

    long steps() {
        return actions.stream().filter(a -> a instanceof Action.Step).count();
    }

    State state() {
        return engine.snapshot().state();
    }
}
