package org.pps2phc.core;

import org.pps2phc.core.servo.Servo;
import org.pps2phc.core.servo.ServoOutput;
import org.pps2phc.core.servo.ServoState;

/**
 * The discipline engine: pure, single-threaded, deterministic. Events in (extts edges with their cross-timestamps,
 * time-of-day verdicts, ticks, the device's coming and going), actions (frequency, step) and observations out.
 *
 * <p>It only routes: each decision has one owner. {@link Eras} drops stale events; {@link EdgeClassifier} tells
 * leading edges from trailing ones and glitches, and notices a pulse train that left the phase gate;
 * {@link SecondLabeller} names seconds (unlabelled, anchored, disputed, phase lost) with the TAI-UTC of
 * {@link TaiUtcKeeper}; {@link OutlierGate} holds back outliers; {@link StepPolicy} decides every step;
 * {@link LockMachine} owns free-running, acquiring, locked, holdover and relocking; {@link Holdover} dials the
 * frequency held and bounds the time error; {@link FrequencyDial} is where the dialled frequency lives;
 * {@link SamplePublisher} publishes and withdraws samples. docs/design.md has the state table.
 */
public final class Discipline {
    private static final long SECOND = DisciplineConfig.SECOND_NS;

    private final DisciplineConfig config;
    private final Servo servo;
    private final EdgeMode reportedEdgeMode;
    private final Eras eras = new Eras();
    private final EdgeClassifier edges;
    private final SecondLabeller labeller;
    private final OutlierGate gate;
    private final StepPolicy steps;
    private final LockMachine lock;
    private final Holdover holdover;
    private final FrequencyDial dial;
    private final SamplePublisher publisher = new SamplePublisher();

    private final PhcJumpWatch jumps = new PhcJumpWatch();
    private long lastAcceptedMonoNs = -1;
    private long lastAcceptedPhcNs = Long.MIN_VALUE;
    private double lastOffsetNs = Double.NaN;
    private long lastMonoNs;

    private long acceptedPulses;
    private long missingPulses;
    private long glitches;

    /**
     * @param edgeMode     what the arming path says the NIC stamps (a hint: the pulse train decides)
     * @param dialledPpb   the frequency the PHC runs at now (read from the device at start)
     * @param startMonoNs  monotonic time at start
     * @param initialLeap  TAI-UTC until the time-of-day source says otherwise
     */
    public Discipline(DisciplineConfig config, Servo servo, EdgeMode edgeMode, double dialledPpb, long startMonoNs,
                      LeapState initialLeap) {
        this.config = config;
        this.servo = servo;
        this.reportedEdgeMode = edgeMode;
        this.edges = new EdgeClassifier(edgeMode, config.pulseWidthNs());
        this.labeller = new SecondLabeller(config, initialLeap);
        this.gate = new OutlierGate(config);
        this.steps = new StepPolicy(config.servo());
        this.lock = new LockMachine(config);
        this.holdover = new Holdover(config);
        this.dial = new FrequencyDial(config.servo().maxFrequencyPpb(), dialledPpb);
        this.lastMonoNs = startMonoNs;
        servo.syncInterval(1.0);
    }

    public Output onEdge(ExttsEvent event) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, event.monoNs());
        long phc = event.phcNs() + config.exttsCorrectionNs();
        if (eras.isStale(event)) {
            return report(out, event, PulseVerdict.STALE, 0, Double.NaN);
        }
        long todLabel = labeller.todLabel(event, phc, todLimitNs());
        double todFrac = labeller.todFraction(event, phc, todLabel);
        EdgeClassifier.Kind kind = edges.classify(phc, todFrac, labeller.verdict().errorBoundNs(),
                labeller.phcNamesSeconds());
        if (edges.takeNewlyLearned()) {
            edgesLearned(out, event.monoNs());
        }
        switch (kind) {
            case TRAILING:
                return report(out, event, PulseVerdict.TRAILING_EDGE, 0, Double.NaN);
            case GLITCH:
                glitches++;
                if (labeller.phcNamesSeconds()) {
                    dial.reassert(out); // the edge may be off because another process dialled a frequency
                }
                return report(out, event, PulseVerdict.GLITCH, 0, Double.NaN);
            case UNCLASSIFIED:
                if (lock.announcing()) {
                    // a step from outside can leave the edges unclassified for seconds (a NIC said to stamp both
                    // that stamps one): the PHC against CLOCK_MONOTONIC shows a large one at once
                    watchForJumps(out, event.xts(), event.monoNs());
                }
                return finish(out, report(out, event, PulseVerdict.UNCLASSIFIED, 0, Double.NaN));
            case DRIFTED:
                phaseLost(out, phc, event.monoNs());
                dial.reassert(out); // a frequency dialled from outside may be what moved it
                return finish(out, report(out, event, PulseVerdict.UNCLASSIFIED, 0, Double.NaN));
            default:
                return finish(out, onLeadingEdge(out, event, phc, todLabel));
        }
    }

    private void edgesLearned(Output out, long monoNs) {
        out.observe(new Observation.EdgesLearned(reportedEdgeMode, EdgeMode.BOTH, edges.widthNs()));
        String reason = "the pulse train shows both edges of each pulse (the NIC was said to stamp "
                + reportedEdgeMode.name().toLowerCase() + "): labelling afresh";
        restart(out, reason, monoNs);
        holdover.pulsesForgotten(); // a mix of leading and trailing edges measured no noise
        if (labeller.state() != SecondLabeller.Labelling.UNLABELLED) {
            labeller.forget(out, reason, monoNs);
        }
    }

    private void phaseLost(Output out, long phc, long monoNs) {
        edges.phaseLost(phc);
        double offMs = EdgeClassifier.phaseNs(phc) / 1e6;
        String reason = String.format("the pulses are %+.3f ms off the PHC's seconds (it drifted while pulses were"
                + " lost, or was stepped from outside): re-acquiring the phase", offMs);
        labeller.losePhase(out, reason, monoNs);
        restart(out, reason, monoNs);
    }

    /** The PHC's phase as measured is void: nothing announced, servo and gate start afresh. */
    private void restart(Output out, String reason, long monoNs) {
        lock.unlock(out, reason, monoNs);
        servo.reset();
        gate.clear();
        holdover.phaseLost();
    }

    private Output onLeadingEdge(Output out, ExttsEvent event, long phc, long todLabel) {
        SecondLabeller.Labelling labelledBefore = labeller.state();
        SecondLabeller.Label label = labeller.label(out, phc, todLabel, event.xts().phcNs() - event.monoNs(),
                event.monoNs());
        if (labeller.state() == SecondLabeller.Labelling.DISPUTED && labelledBefore != labeller.state()) {
            // the PHC stays disciplined on its own seconds, but which second it is no longer known: no lock
            lock.unlock(out, "the trusted time of day disputes the PHC's seconds", event.monoNs());
        }
        if (labeller.state() == SecondLabeller.Labelling.PHASE_LOST && labelledBefore != labeller.state()) {
            restart(out, "the PHC was stepped from outside by whole seconds", event.monoNs());
        }
        if (label.source() == SecondLabeller.Source.NONE) {
            return report(out, event, PulseVerdict.UNLABELLED, 0, Double.NaN);
        }
        double offset = phc - label.second() * SECOND;
        if (label.source() == SecondLabeller.Source.RELABEL) {
            restart(out, "the PHC's second disagrees with the trusted time of day: re-anchoring", event.monoNs());
            step(out, event, -Math.round(offset));
            labeller.anchor(out, "re-anchored on the trusted time of day", event.monoNs());
            return report(out, event, PulseVerdict.ACCEPTED, label.second(), offset, "reanchor");
        }

        OutlierGate.Verdict verdict = gate.judge(offset);
        if (verdict == OutlierGate.Verdict.OUTLIER) {
            if (gate.run() >= OutlierGate.UNLOCK_RUN && lock.phase() == LockMachine.Phase.LOCKED) {
                lock.unlock(out, gate.run() + " outliers in a row", event.monoNs());
            }
            dial.reassert(out);
            holdover.outlier(offset);
            return report(out, event, PulseVerdict.OUTLIER, label.second(), offset);
        }
        if (verdict == OutlierGate.Verdict.MOVED) {
            restart(out, config.outlierRunLimit() + " outliers in a row: the pulse moved", event.monoNs());
        }
        countMissing(phc);
        jumps.read(event.xts().phcNs(), event.monoNs());
        lastAcceptedMonoNs = event.monoNs();
        lastAcceptedPhcNs = phc;
        lastOffsetNs = offset;
        acceptedPulses++;
        labeller.accepted(label.second());
        holdover.measured(offset);
        lock.pulse(out, labeller.anchored(), labelling(label.source()), event.monoNs());

        ServoOutput s = servo.sample(offset, phc, 1.0);
        if (steps.steps(label.source(), labeller.phcNamesSeconds(), lock.announcing(), offset, s.state())) {
            // the frequency goes with the step: the servo's proposal, or else its estimate (a step without it
            // would leave the PHC running off and stepping again at every pulse)
            dial.dial(out, s.state() == ServoState.JUMP ? s.adjustPpb() : servo.frequencyEstimatePpb());
            if (s.state() != ServoState.JUMP) {
                servo.reset();
            }
            if (lock.announcing()) {
                lock.unlock(out, String.format("stepping the PHC by %.0f ns (over step_threshold)", -offset),
                        event.monoNs());
            }
            step(out, event, -Math.round(offset));
            if (label.source() == SecondLabeller.Source.PHC) {
                labeller.stepped(-Math.round(offset)); // within its own second: anchored or disputed as before
            } else {
                labeller.anchor(out, "stepped to the labelled second", event.monoNs());
            }
            return report(out, event, PulseVerdict.ACCEPTED, label.second(), offset, s.state().code());
        }
        if (s.state() == ServoState.JUMP) {
            servo.reset(); // the servo assumed a step that the policy refused: it must measure the phase afresh
        }
        if (s.state() == ServoState.UNLOCKED) {
            return report(out, event, PulseVerdict.ACCEPTED, label.second(), offset, s.state().code());
        }
        dial.dial(out, s.adjustPpb());
        if (label.source() == SecondLabeller.Source.TIME_OF_DAY
                && steps.anchorsWithoutStep(offset, config.lockThresholdNs())) {
            labeller.anchor(out, "the PHC is on the labelled second", event.monoNs());
        }
        LockMachine.Phase before = lock.phase();
        lock.accepted(out, offset, labeller.anchored(), event.monoNs());
        if (lock.phase() == LockMachine.Phase.LOCKED) {
            if (before != LockMachine.Phase.LOCKED) {
                holdover.lockStarted();
                labeller.locked();
            }
            gate.add(offset);
            holdover.locked(offset, dial.ppb(), event.monoNs());
            publisher.publish(out, new PhcSample(event.xts().phcNs(), event.xts().sysNs(), event.xts().bracketNs(),
                    labeller.leap(), State.LOCKED), labeller);
        }
        return report(out, event, PulseVerdict.ACCEPTED, label.second(), offset, s.state().code());
    }

    private String labelling(SecondLabeller.Source source) {
        return switch (labeller.state()) {
            case ANCHORED -> "the PHC names the second";
            case DISPUTED -> "the PHC names the second, disputed by the time of day";
            case PHASE_LOST -> "the phase was lost, the time of day names the second: re-acquiring it";
            case UNLABELLED -> source == SecondLabeller.Source.TIME_OF_DAY ? "the time of day names the second"
                    : "unlabelled";
        };
    }

    private void step(Output out, ExttsEvent event, long deltaNs) {
        out.act(new Action.Step(deltaNs, eras.stepped(event, deltaNs)));
        jumps.stepped(deltaNs);
        edges.clear();
        gate.clear();
        lock.restartCount();
        holdover.phaseLost();
        lastAcceptedPhcNs = Long.MIN_VALUE;
        publisher.withdraw(out);
    }

    private void countMissing(long phc) {
        if (lastAcceptedPhcNs != Long.MIN_VALUE && phc > lastAcceptedPhcNs) {
            long seconds = Math.floorDiv(phc - lastAcceptedPhcNs + SECOND / 2, SECOND);
            if (seconds > 1) {
                missingPulses += seconds - 1;
            }
        }
    }

    public Output onTimeOfDay(TodVerdict verdict) {
        Output out = new Output();
        SecondLabeller.Labelling before = labeller.state();
        labeller.onTimeOfDay(out, verdict, lastMonoNs);
        if (before != SecondLabeller.Labelling.UNLABELLED && labeller.state() == SecondLabeller.Labelling.UNLABELLED) {
            restart(out, "TAI-UTC overruled: the PHC's seconds are to be named again", lastMonoNs);
            return finish(out, out);
        }
        return out;
    }

    public Output onTick(long monoNs, CrossTimestamp xts) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, monoNs);
        long silent = lastAcceptedMonoNs < 0 ? Long.MAX_VALUE : monoNs - lastAcceptedMonoNs;
        LockMachine.Phase before = lock.phase();
        lock.silent(out, silent, monoNs);
        if (lock.phase() != before) {
            if (lock.phase() == LockMachine.Phase.HOLDOVER && before == LockMachine.Phase.LOCKED) {
                holdover.start(dial.ppb(), monoNs);
            } else if (lock.phase() == LockMachine.Phase.HOLDOVER && before == LockMachine.Phase.RELOCKING) {
                holdover.resume((double) silent / SECOND, dial.ppb(), (double) lock.inHoldoverNs(monoNs) / SECOND);
            }
            servo.reset();
            gate.clear();
        }
        lock.budget(out, monoNs);
        if (xts != null && lock.state() == State.HOLDOVER) {
            watchForJumps(out, xts, monoNs);
        }
        if (lock.phase() == LockMachine.Phase.HOLDOVER) {
            if (holdover.predicts()) {
                dial.dial(out, holdover.frequency((double) lock.inHoldoverNs(monoNs) / SECOND));
                servo.setFrequencyEstimatePpb(dial.ppb());
            } else {
                dial.reassert(out); // freeze: what the servo last dialled, again, undoing a dial from outside
            }
        }
        if (lock.state() == State.HOLDOVER) {
            if (lock.inHoldoverNs(monoNs) >= config.holdoverSamplesNs()) {
                publisher.withdraw(out);
            } else if (xts != null) {
                publisher.publish(out, new PhcSample(xts.phcNs(), xts.sysNs(), xts.bracketNs(), labeller.leap(),
                        State.HOLDOVER), labeller);
            }
        }
        return finish(out, out);
    }

    /**
     * While the PHC is announced and no pulse shows a step from outside (in holdover, at a tick; an edge left
     * unclassified), a large one still shows against CLOCK_MONOTONIC: the PHC's seconds and phase are then unknown,
     * and nothing is announced until pulses and a trusted time of day name them again.
     */
    private void watchForJumps(Output out, CrossTimestamp xts, long monoNs) {
        long jump = jumps.read(xts.phcNs(), monoNs);
        if (jump != 0) {
            String reason = String.format("the PHC jumped %+.3f s against the monotonic clock (stepped from "
                    + "outside): its seconds are unknown until pulses and a trusted time of day name them", jump
                    / 1e9);
            labeller.losePhase(out, reason, monoNs);
            restart(out, reason, monoNs);
        }
    }

    /**
     * The device is gone (removed, reset, its driver unloaded): nothing learnt about it holds any more. The engine
     * free-runs, withdraws its outputs and forgets the PHC's seconds; pulses are ignored until {@link #onDeviceBack}.
     */
    public Output onDeviceLost(long monoNs, String reason) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, monoNs);
        lock.deviceLost(out, "device lost: " + reason, monoNs);
        forgetDevice(out, "device lost: " + reason, monoNs);
        publisher.withdraw(out);
        return out;
    }

    /** The device is back, running at {@code dialledPpb}: a new era that must be labelled and locked afresh. */
    public Output onDeviceBack(long monoNs, double dialledPpb) {
        Output out = new Output();
        lastMonoNs = Math.max(lastMonoNs, monoNs);
        dial.deviceRunsAt(dialledPpb);
        forgetDevice(out, "device back", monoNs);
        return out;
    }

    private void forgetDevice(Output out, String reason, long monoNs) {
        eras.deviceChanged();
        labeller.forget(out, reason, monoNs);
        servo.reset();
        edges.clear();
        gate.clear();
        lock.restartCount();
        holdover.pulsesForgotten();
        jumps.forget();
        lastAcceptedPhcNs = Long.MIN_VALUE;
    }

    public Output onActionFailed(Action action, String error) {
        Output out = new Output();
        out.observe(new Observation.ActionFailed(action, error));
        if (lock.announcing()) {
            lock.unlock(out, "the PHC refused an adjustment", lastMonoNs);
        }
        servo.reset();
        gate.clear();
        lock.restartCount();
        if (action instanceof Action.Step) {
            labeller.forget(out, "the PHC refused a step", lastMonoNs);
            holdover.phaseLost();
        }
        return finish(out, out);
    }

    public Snapshot snapshot() {
        return new Snapshot(lock.state(), eras.era(), lastOffsetNs, dial.ppb(), labeller.verdict(),
                lastAcceptedMonoNs, acceptedPulses, missingPulses, gate.outliers(), glitches, edges.edgeMode(),
                edges.widthNs(), servo.name(), timeErrorBoundNs(), labeller.state().label());
    }

    /** See {@link Snapshot#timeErrorBoundNs()} and {@link Holdover}. */
    private double timeErrorBoundNs() {
        return switch (lock.phase()) {
            case LOCKED -> holdover.lockedBoundNs((double) (lastMonoNs - lastAcceptedMonoNs) / SECOND);
            // counted from the last pulse, not from the holdover's start: the PHC ran unchecked since then
            case HOLDOVER -> holdover.holdoverBoundNs((double) (lastMonoNs - lastAcceptedMonoNs) / SECOND);
            case RELOCKING -> holdover.relockingBoundNs((double) (lastMonoNs - lastAcceptedMonoNs) / SECOND,
                    dial.ppb(), (double) lock.inHoldoverNs(lastMonoNs) / SECOND);
            case ACQUIRING -> labeller.anchored() ? holdover.measuredBoundNs() : Double.NaN;
            case FREE_RUNNING -> Double.NaN;
        };
    }

    /**
     * The error bound a time of day must meet to name a second: the configured limit, tightened to half the
     * spacing of the edges when the time of day is what told a dual-edge NIC's edges apart.
     */
    private double todLimitNs() {
        double limit = config.todMaxErrorNs();
        long width = edges.widthNs();
        if (edges.edgeMode() == EdgeMode.BOTH && width > 0 && edges.leadingFromTimeOfDay()) {
            limit = Math.min(limit, Math.min(width, SECOND - width) / 2.0);
        }
        return limit;
    }

    /** Whatever happened, nothing is published unless the PHC is announced as in sync. */
    private Output finish(Output out, Output result) {
        if (!lock.announcing()) {
            publisher.withdraw(out);
        }
        return result;
    }

    private Output report(Output out, ExttsEvent event, PulseVerdict verdict, long label, double offset) {
        return report(out, event, verdict, label, offset, "-");
    }

    private Output report(Output out, ExttsEvent event, PulseVerdict verdict, long label, double offset,
                          String servoState) {
        out.observe(new Observation.Pulse(eras.era(), event.phcNs(), event.monoNs(), verdict, label, offset,
                dial.ppb(), lock.state(), servoState));
        return out;
    }
}
