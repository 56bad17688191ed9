package org.pps2phc.core;

import org.pps2phc.core.servo.Servo;

/**
 * The discipline engine: pure, single-threaded, deterministic. Events in, actions and observations out.
 * (Body being written: this commit fixes its API so adapters can be built against it.)
 */
public final class Discipline {
    private final DisciplineConfig config;
    private final Servo servo;
    private final EdgeMode edgeMode;
    private State state = State.FREE_RUNNING;
    private TodVerdict tod;

    /**
     * @param dialledPpb the frequency the PHC runs at now (read from the device at start)
     * @param startMonoNs monotonic time at start
     * @param initialLeap TAI-UTC until the time-of-day source says otherwise
     */
    public Discipline(DisciplineConfig config, Servo servo, EdgeMode edgeMode, double dialledPpb, long startMonoNs,
                      LeapState initialLeap) {
        this.config = config;
        this.servo = servo;
        this.edgeMode = edgeMode;
        this.tod = TodVerdict.unknown(initialLeap);
    }

    public Output onEdge(ExttsEvent event) {
        return new Output();
    }

    public Output onTimeOfDay(TodVerdict verdict) {
        this.tod = verdict;
        return new Output();
    }

    public Output onTick(long monoNs, CrossTimestamp xts) {
        return new Output();
    }

    public Output onActionFailed(Action action, String error) {
        return new Output();
    }

    public Snapshot snapshot() {
        return new Snapshot(state, 0, Double.NaN, 0, tod, -1, 0, 0, 0, 0, edgeMode, config.pulseWidthNs(),
                servo.name());
    }
}
