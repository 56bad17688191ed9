package org.pps2phc.core;

import org.pps2phc.core.servo.Servo;
import org.pps2phc.core.servo.ServoOutput;
import org.pps2phc.core.servo.ServoState;

/**
 * The discipline engine: pure, single-threaded, deterministic. Events in (extts edges with their cross-timestamps,
 * time-of-day verdicts, ticks), actions (frequency, step) and observations out.
 *
 * <p>Seconds: until the PHC's seconds are established in the current era ("anchored"), a leading edge takes its
 * second from the trusted time of day at the edge instant (computed from the cross-timestamp, so late delivery does
 * not matter), and a step is allowed only on such a label. Once anchored, the PHC names its own seconds and the
 * trusted time of day is only a cross-check: a disagreement that persists re-anchors with a step, a transient one
 * is reported and ignored. Without a trusted time of day nothing is ever stepped.
 */
public final class Discipline {
    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** An event whose cross-timestamp came later than this after its edge is from before a step or garbled. */
    private static final long MAX_EVENT_AGE_NS = 2 * SECOND;
    /** Pulses over which the spread of the locked offsets is averaged. */
    private static final double LOCKED_SPREAD_AVERAGE = 60;

    private final DisciplineConfig config;
    private final Servo servo;
    private final EdgeMode edgeMode;
    private final EdgeClassifier edges;
    private final OffsetWindow window = new OffsetWindow();
    private final double maxFrequencyPpb;

    private State state = State.FREE_RUNNING;
    private TodVerdict tod;
    private long era;
    private boolean anchored;
    /** Edges timestamped before this PHC time predate the last step. */
    private long stepFloorPhcNs = Long.MIN_VALUE;

    private double dialledPpb;
    private final HoldoverPredictor holdover;

    private int lockRun;
    private int outlierRun;
    private int disagreements;
    private long lastAcceptedMonoNs = -1;
    private long lastAcceptedPhcNs = Long.MIN_VALUE;
    private long holdoverStartMonoNs;
    private double lastOffsetNs = Double.NaN;
    /** Exponential average of the squared locked offsets: their spread, the time error while locked. */
    private double lockedOffset2;
    private long lastMonoNs;
    private boolean publishing;

    private long acceptedPulses;
    private long missingPulses;
    private long outliers;
    private long glitches;

    /**
     * @param dialledPpb   the frequency the PHC runs at now (read from the device at start)
     * @param startMonoNs  monotonic time at start
     * @param initialLeap  TAI-UTC until the time-of-day source says otherwise
     */
    public Discipline(DisciplineConfig config, Servo servo, EdgeMode edgeMode, double dialledPpb, long startMonoNs,
                      LeapState initialLeap) {
        this.config = config;
        this.servo = servo;
        this.edgeMode = edgeMode;
        this.edges = new EdgeClassifier(edgeMode, config.pulseWidthNs());
        this.tod = TodVerdict.unknown(initialLeap);
        this.dialledPpb = dialledPpb;
        this.holdover = new HoldoverPredictor(config.frequencyAverageS());
        this.maxFrequencyPpb = config.servo().maxFrequencyPpb();
        servo.syncInterval(1.0);
    }

    public Output onEdge(ExttsEvent event) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, event.monoNs());
        long phc = event.phcNs() + config.exttsCorrectionNs();
        if (event.phcNs() < stepFloorPhcNs || event.ageNs() < -SECOND / 1000 || event.ageNs() > MAX_EVENT_AGE_NS) {
            return report(out, event, PulseVerdict.STALE, 0, Double.NaN);
        }
        long todLabel = todLabel(event, phc);
        double todFrac = todLabel == Long.MIN_VALUE ? Double.NaN : todFraction(event, phc);
        EdgeClassifier.Kind kind = edges.classify(phc, todFrac, tod.errorBoundNs(), anchored);
        switch (kind) {
            case TRAILING:
                return report(out, event, PulseVerdict.TRAILING_EDGE, 0, Double.NaN);
            case GLITCH:
                glitches++;
                return report(out, event, PulseVerdict.GLITCH, 0, Double.NaN);
            case UNCLASSIFIED:
                return report(out, event, PulseVerdict.UNCLASSIFIED, 0, Double.NaN);
            default:
                return onLeadingEdge(out, event, phc, todLabel);
        }
    }

    private Output onLeadingEdge(Output out, ExttsEvent event, long phc, long todLabel) {
        long label;
        if (anchored) {
            label = Math.floorDiv(phc + SECOND / 2, SECOND);
            if (crossCheck(out, label, todLabel)) {
                return reanchor(out, event, phc, todLabel);
            }
        } else if (todLabel != Long.MIN_VALUE) {
            label = todLabel;
        } else {
            return report(out, event, PulseVerdict.UNLABELLED, 0, Double.NaN);
        }
        double offset = phc - label * SECOND;

        if (state == State.LOCKED && window.isOutlier(offset, config.outlierMadFactor(), config.outlierFloorNs())) {
            outliers++;
            if (++outlierRun < config.outlierRunLimit()) {
                return report(out, event, PulseVerdict.OUTLIER, label, offset);
            }
            changeState(out, State.ACQUIRING, outlierRun + " outliers in a row: the pulse moved", event.monoNs());
            window.clear();
            servo.reset();
        }
        outlierRun = 0;
        countMissing(phc);
        lastAcceptedMonoNs = event.monoNs();
        lastAcceptedPhcNs = phc;
        lastOffsetNs = offset;
        acceptedPulses++;
        if (state == State.FREE_RUNNING || state == State.HOLDOVER) {
            changeState(out, State.ACQUIRING, state == State.HOLDOVER ? "pulses are back" : "pulses labelled",
                    event.monoNs());
        }

        ServoOutput s = servo.sample(offset, phc, 1.0);
        boolean trustedLabel = !anchored && todLabel == label;
        boolean wantsStep = s.state() == ServoState.JUMP
                || (!anchored && s.state() != ServoState.UNLOCKED && config.servo().firstStepThresholdNs() > 0
                    && Math.abs(offset) > config.servo().firstStepThresholdNs());
        // A step on the first labelling needs the trusted time of day that named the second; an anchored PHC
        // may still jump by less than a second (step_threshold) since its seconds do not change.
        if (wantsStep && (trustedLabel || (anchored && s.state() == ServoState.JUMP))) {
            if (s.state() == ServoState.JUMP) {
                dial(out, s.adjustPpb());
            } else {
                servo.reset();
            }
            step(out, event, -Math.round(offset));
            anchored = true;
            return report(out, event, PulseVerdict.ACCEPTED, label, offset, s.state().code());
        }
        if (s.state() == ServoState.UNLOCKED) {
            return report(out, event, PulseVerdict.ACCEPTED, label, offset, s.state().code());
        }
        dial(out, s.adjustPpb());
        if (!anchored && trustedLabel && Math.abs(offset) < Math.max(config.lockThresholdNs(),
                config.servo().firstStepThresholdNs())) {
            anchored = true;
        }
        trackLock(out, event, offset);
        if (state == State.LOCKED) {
            window.add(offset);
            holdover.add(dialledPpb);
            lockedOffset2 += (offset * offset - lockedOffset2) / LOCKED_SPREAD_AVERAGE;
            publish(out, new PhcSample(event.xts().phcNs(), event.xts().sysNs(), event.xts().bracketNs(),
                    tod.leap(), state));
        }
        return report(out, event, PulseVerdict.ACCEPTED, label, offset, s.state().code());
    }

    /**
     * Compares the PHC's second with the trusted time of day. True when the disagreement has persisted long
     * enough to re-anchor.
     */
    private boolean crossCheck(Output out, long phcLabel, long todLabel) {
        if (todLabel == Long.MIN_VALUE) {
            return false;
        }
        if (todLabel == phcLabel) {
            disagreements = 0;
            return false;
        }
        disagreements++;
        boolean reanchor = disagreements >= config.todMismatchLimit();
        out.observe(new Observation.Disagreement(phcLabel, todLabel, disagreements, reanchor));
        return reanchor;
    }

    private Output reanchor(Output out, ExttsEvent event, long phc, long todLabel) {
        double offset = phc - todLabel * SECOND;
        disagreements = 0;
        changeState(out, State.ACQUIRING, "the PHC's second disagrees with the trusted time of day", event.monoNs());
        servo.reset();
        window.clear();
        step(out, event, -Math.round(offset));
        return report(out, event, PulseVerdict.ACCEPTED, todLabel, offset, "reanchor");
    }

    private void step(Output out, ExttsEvent event, long deltaNs) {
        era++;
        out.act(new Action.Step(deltaNs, era));
        stepFloorPhcNs = event.xts().phcNs() + deltaNs;
        edges.clear();
        window.clear();
        lockRun = 0;
        lastAcceptedPhcNs = Long.MIN_VALUE;
        withdraw(out);
    }

    private void trackLock(Output out, ExttsEvent event, double offset) {
        lockRun = Math.abs(offset) < config.lockThresholdNs() ? lockRun + 1 : 0;
        if (state == State.ACQUIRING && anchored && lockRun >= config.lockCount()) {
            changeState(out, State.LOCKED, lockRun + " pulses within " + (long) config.lockThresholdNs() + " ns",
                    event.monoNs());
        }
    }

    private void countMissing(long phc) {
        if (lastAcceptedPhcNs != Long.MIN_VALUE && phc > lastAcceptedPhcNs) {
            long seconds = Math.floorDiv(phc - lastAcceptedPhcNs + SECOND / 2, SECOND);
            if (seconds > 1) {
                missingPulses += seconds - 1;
            }
        }
    }

    private void dial(Output out, double ppb) {
        double clamped = Math.max(-maxFrequencyPpb, Math.min(maxFrequencyPpb, ppb));
        dialledPpb = clamped;
        out.act(new Action.SetFrequency(clamped));
    }

    public Output onTimeOfDay(TodVerdict verdict) {
        Output out = new Output();
        boolean changed = verdict.trusted() != tod.trusted() || !verdict.reference().equals(tod.reference())
                || !verdict.reasons().equals(tod.reasons()) || !verdict.leap().equals(tod.leap());
        tod = verdict;
        if (changed) {
            out.observe(new Observation.TodChange(verdict));
        }
        return out;
    }

    public Output onTick(long monoNs, CrossTimestamp xts) {
        Output out = new Output();
        lastMonoNs = monoNs;
        long sinceLast = lastAcceptedMonoNs < 0 ? Long.MAX_VALUE : monoNs - lastAcceptedMonoNs;
        if ((state == State.LOCKED || state == State.ACQUIRING) && sinceLast > config.pulseTimeoutNs()) {
            if (state == State.LOCKED) {
                changeState(out, State.HOLDOVER, "no pulse for " + sinceLast / 1_000_000 + " ms", monoNs);
                holdoverStartMonoNs = monoNs;
                if (holdover.valid()) {
                    dial(out, holdover.frequency(0));
                    servo.setFrequencyEstimatePpb(dialledPpb);
                }
            } else {
                changeState(out, State.FREE_RUNNING, "no pulse for " + sinceLast / 1_000_000 + " ms", monoNs);
            }
            servo.reset();
            lockRun = 0;
            window.clear();
        }
        if (state == State.HOLDOVER) {
            long inHoldover = monoNs - holdoverStartMonoNs;
            if (holdover.valid() && inHoldover <= config.holdoverBudgetNs()) {
                dial(out, holdover.frequency((double) inHoldover / SECOND));
            }
            if (inHoldover > config.holdoverBudgetNs()) {
                changeState(out, State.FREE_RUNNING, "holdover budget of " + config.holdoverBudgetNs() / SECOND
                        + " s used up", monoNs);
            } else if (inHoldover >= config.holdoverSamplesNs()) {
                withdraw(out);
            } else if (xts != null) {
                publish(out, new PhcSample(xts.phcNs(), xts.sysNs(), xts.bracketNs(), tod.leap(), state));
            }
        }
        if (state != State.LOCKED && state != State.HOLDOVER) {
            withdraw(out);
        }
        return out;
    }

    /**
     * The device is gone (removed, reset, its driver unloaded): nothing learnt about it holds any more. The engine
     * free-runs, withdraws its outputs and forgets the PHC's seconds; pulses are ignored until {@link #onDeviceBack}.
     */
    public Output onDeviceLost(long monoNs, String reason) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, monoNs);
        changeState(out, State.FREE_RUNNING, "device lost: " + reason, monoNs);
        forgetDevice();
        withdraw(out);
        return out;
    }

    /** The device is back, running at {@code dialledPpb}: a new era that must be labelled and locked afresh. */
    public Output onDeviceBack(long monoNs, double dialledPpb) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, monoNs);
        this.dialledPpb = dialledPpb;
        forgetDevice();
        return out;
    }

    private void forgetDevice() {
        era++;
        anchored = false;
        stepFloorPhcNs = Long.MIN_VALUE;
        servo.reset();
        edges.clear();
        window.clear();
        lockRun = 0;
        outlierRun = 0;
        disagreements = 0;
        lastAcceptedPhcNs = Long.MIN_VALUE;
    }

    public Output onActionFailed(Action action, String error) {
        Output out = new Output();
        out.observe(new Observation.ActionFailed(action, error));
        servo.reset();
        lockRun = 0;
        window.clear();
        if (action instanceof Action.Step) {
            anchored = false;
        }
        if (state == State.LOCKED) {
            changeState(out, State.ACQUIRING, "the PHC refused an adjustment", lastAcceptedMonoNs);
        }
        return out;
    }

    public Snapshot snapshot() {
        return new Snapshot(state, era, lastOffsetNs, dialledPpb, tod, lastAcceptedMonoNs, acceptedPulses,
                missingPulses, outliers, glitches, edgeMode, edges.widthNs(), servo.name(), timeErrorBoundNs());
    }

    /** See {@link Snapshot#timeErrorBoundNs()}: three standard deviations of the locked offsets, plus holdover's. */
    private double timeErrorBoundNs() {
        double locked = 3 * Math.sqrt(lockedOffset2);
        if (state == State.LOCKED) {
            return locked;
        }
        if (state == State.HOLDOVER) {
            double inHoldoverS = Math.max(0, lastMonoNs - holdoverStartMonoNs) / 1e9;
            return locked + holdover.phaseErrorBoundNs(inHoldoverS);
        }
        return Double.NaN;
    }

    private long todLabel(ExttsEvent event, long phc) {
        if (!tod.trusted() || tod.errorBoundNs() > todLimitNs()) {
            return Long.MIN_VALUE;
        }
        long utc = event.xts().sysAt(phc);
        if (nearLeap(utc)) {
            return Long.MIN_VALUE;
        }
        long tai = tod.leap().utcToTai(utc);
        return Math.floorDiv(tai + SECOND / 2, SECOND);
    }

    /**
     * True within a second of a leap second's midnight, where the system clock repeats (or skips) a second and
     * cannot name a TAI second unambiguously.
     */
    private boolean nearLeap(long utcNs) {
        LeapState leap = tod.leap();
        if (leap.pending() == Leap.NONE) {
            return false;
        }
        long utcS = Math.floorDiv(utcNs, SECOND);
        return utcS >= leap.leapAtUtcS() - 2 && utcS <= leap.leapAtUtcS() + 1;
    }

    private double todFraction(ExttsEvent event, long phc) {
        long tai = tod.leap().utcToTai(event.xts().sysAt(phc));
        long frac = Math.floorMod(tai, SECOND);
        return frac >= SECOND / 2 ? frac - SECOND : frac;
    }

    /**
     * The error bound a time of day must meet to name a second: the configured limit, tightened to half the
     * spacing of the edges when the time of day is what told a dual-edge NIC's edges apart.
     */
    private double todLimitNs() {
        double limit = config.todMaxErrorNs();
        long width = edges.widthNs();
        if (edgeMode == EdgeMode.BOTH && width > 0 && edges.leadingFromTimeOfDay()) {
            limit = Math.min(limit, Math.min(width, SECOND - width) / 2.0);
        }
        return limit;
    }

    private void changeState(Output out, State to, String reason, long monoNs) {
        if (to == state) {
            return;
        }
        out.observe(new Observation.StateChange(state, to, reason, monoNs));
        state = to;
        if (to != State.LOCKED && to != State.HOLDOVER) {
            withdraw(out);
        }
    }

    private void publish(Output out, PhcSample sample) {
        publishing = true;
        out.observe(new Observation.Sample(sample));
    }

    private void withdraw(Output out) {
        if (publishing) {
            publishing = false;
            out.observe(new Observation.Sample(null));
        }
    }

    private Output report(Output out, ExttsEvent event, PulseVerdict verdict, long label, double offset) {
        return report(out, event, verdict, label, offset, "-");
    }

    private Output report(Output out, ExttsEvent event, PulseVerdict verdict, long label, double offset,
                          String servoState) {
        out.observe(new Observation.Pulse(era, event.phcNs(), event.monoNs(), verdict, label, offset, dialledPpb,
                state, servoState));
        return out;
    }
}
