package org.pps2phc.core;

/**
 * Holdover dialling and the time-error bound: what frequency to hold when pulses are lost, and how far the PHC may
 * be from true time in each state ({@link Snapshot#timeErrorBoundNs()}, announced to ptp4l).
 *
 * <p>The bound: with pulses, the measured offset (which is the PHC's error plus the pulse's own noise) plus how much
 * it moved since the previous pulse plus three standard deviations of that movement (the pulse's noise, which a
 * step does not change: see {@link #phaseLost()}); while locked, the spread of
 * the locked offsets and of their movement, widened by the last dial's possible miss when a pulse is overdue (see
 * {@link #lockedBoundNs(double)}). In holdover it starts from the bound at the last pulse and grows with
 * the frequency held: an envelope from what the oscillator showed while locked (the held frequency's distance from
 * the last one dialled, the spread of the dialled frequencies, their trend, capped by their range), or the
 * predictor's scored miss when that is larger. So it covers the truth from the first second, however short the
 * lock was. NaN when the PHC's seconds are not established.
 */
final class Holdover {
    /** Pulses over which the spread of the locked offsets is averaged. */
    private static final double LOCKED_SPREAD_AVERAGE = 60;
    /** Pulses over which the movement of the measured offsets is averaged. */
    private static final double MOVEMENT_AVERAGE = 30;
    /**
     * Movements a fresh noise estimate needs before it bounds anything: one or two may by chance show almost none
     * (a quantised offset repeats), and three of their standard deviations would then cover nothing.
     */
    private static final int MIN_MOVEMENTS = 5;
    /** Locked frequencies kept for the envelope. */
    private static final int HISTORY = 600;
    /** The spread and trend are taken over the last this many locked frequencies. */
    private static final int TREND = 120;
    /** Block length for the steepest trend over the history, s. */
    private static final int BLOCK = 60;
    /** No oscillator is assumed better than this, ppb and ppb/s. */
    private static final double FLOOR_PPB = 0.5;
    private static final double FLOOR_PPB_PER_S = 0.005;

    private final HoldoverPredictor predictor;
    private final HoldoverMode mode;
    private final double[] history = new double[HISTORY];
    private int filled;
    private int next;

    private double lockedOffset2;
    private int lockedCount;
    /** {@link #lockedCount} when this lock began: until a spread's worth of pulses later, the spread is not its. */
    private int lockStartCount;
    private int movementCount;
    private double lastOffsetNs = Double.NaN;
    private double movement2;
    private double measuredBoundNs = Double.NaN;
    /** The locked dials: the last, and the mean and variance over {@link #LOCKED_SPREAD_AVERAGE} of them. */
    private double lastDialledPpb = Double.NaN;
    private double dialledMeanPpb;
    private double dialledVar;
    /** While outliers run: the largest of them, which the PHC may really be off by (a step or a dial from outside). */
    private double outlierNs;

    private double entryBoundNs;
    /** The spread of the locked frequencies at the holdover's start. */
    private double spreadPpb;
    private double missPpb;
    private double ratePpbPerS;
    private double capPpb;

    Holdover(DisciplineConfig config) {
        this.predictor = new HoldoverPredictor(config.frequencyAverageS());
        this.mode = config.holdoverMode();
    }

    /** A labelled pulse fed to the servo measured {@code offsetNs}. */
    void measured(double offsetNs) {
        outlierNs = 0;
        if (!Double.isNaN(lastOffsetNs)) {
            double moved = offsetNs - lastOffsetNs;
            movementCount++;
            movement2 += (moved * moved - movement2) / Math.min(movementCount, MOVEMENT_AVERAGE);
            if (movementCount >= MIN_MOVEMENTS) {
                measuredBoundNs = Math.abs(offsetNs) + Math.abs(moved) + 3 * Math.sqrt(movement2);
            }
        }
        lastOffsetNs = offsetNs;
    }

    /**
     * A pulse the outlier gate held back: until a pulse passes again, the bound covers it, and as much again as it
     * moved since the last pulse (a frequency dialled from outside keeps moving the PHC until it is dialled back).
     */
    void outlier(double offsetNs) {
        double moved = Double.isNaN(lastOffsetNs) ? 0 : Math.abs(offsetNs - lastOffsetNs);
        outlierNs = Math.max(outlierNs, Math.abs(offsetNs) + moved + 3 * Math.sqrt(movement2));
    }

    /** A locked pulse with {@code offsetNs}, after which the PHC runs at {@code dialledPpb}. */
    void locked(double offsetNs, double dialledPpb, long monoNs) {
        lockedCount++;
        lockedOffset2 += (offsetNs * offsetNs - lockedOffset2) / Math.min(lockedCount, LOCKED_SPREAD_AVERAGE);
        double weight = 1 / Math.min(lockedCount, LOCKED_SPREAD_AVERAGE);
        double d = dialledPpb - dialledMeanPpb;
        dialledMeanPpb += weight * d;
        dialledVar = lockedCount == 1 ? 0 : (1 - weight) * (dialledVar + weight * d * d);
        lastDialledPpb = dialledPpb;
        predictor.add(dialledPpb, monoNs / 1e9);
        history[next] = dialledPpb;
        next = (next + 1) % HISTORY;
        filled = Math.min(filled + 1, HISTORY);
    }

    /**
     * The PHC was stepped or its pulses' phase is unknown: the measured offsets start afresh. Once the PHC has been
     * locked, how much the offsets move from pulse to pulse is kept: that is the pulse's and the timestamper's noise,
     * which no step changes, and what covers the first offsets measured after it. Before any lock it is not: the
     * offsets then move with the PHC's uncorrected frequency, which the step and the servo take away.
     */
    void phaseLost() {
        lastOffsetNs = Double.NaN;
        measuredBoundNs = Double.NaN;
        outlierNs = 0;
        if (lockedCount == 0) {
            movement2 = 0;
            movementCount = 0;
        }
    }

    /** The pulses measured so far say nothing any more (the device changed, the edges were re-learned). */
    void pulsesForgotten() {
        phaseLost();
        movement2 = 0;
        movementCount = 0;
        lockedOffset2 = 0;
        lockedCount = 0;
        lastDialledPpb = Double.NaN;
        lockStartCount = 0;
    }

    /** The engine locked (again): the PHC may still be settling from where it was while not locked. */
    void lockStarted() {
        lockStartCount = lockedCount;
    }

    /**
     * Whether holdover dials a predicted frequency: in {@link HoldoverMode#PREDICT} once a lock has been seen;
     * otherwise the PHC keeps running at the frequency last dialled.
     */
    boolean predicts() {
        return mode == HoldoverMode.PREDICT && predictor.valid();
    }

    /** The frequency to hold {@code inHoldoverS} into holdover. */
    double frequency(double inHoldoverS) {
        return predictor.frequency(inHoldoverS);
    }

    /** Holdover starts now, from the PHC's last pulse; fixes the envelope from the locked history. */
    void start(double lastDialledPpb, long monoNs) {
        predictor.start(monoNs / 1e9);
        entryBoundNs = lockedBoundNs();
        if (!Double.isNaN(measuredBoundNs)) {
            entryBoundNs = Math.max(entryBoundNs, measuredBoundNs);
        }
        int n = Math.min(filled, TREND);
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < filled; i++) {
            min = Math.min(min, history[i]);
            max = Math.max(max, history[i]);
        }
        for (int i = 0; i < n; i++) {
            mean += recent(i);
        }
        mean = n > 0 ? mean / n : lastDialledPpb;
        double spread2 = 0;
        double slopeNum = 0;
        double slopeDen = 0;
        for (int i = 0; i < n; i++) {
            double d = recent(i) - mean;
            spread2 += d * d;
            double t = -i + (n - 1) / 2.0; // seconds relative to the window's middle, newest last
            slopeNum += t * d;
            slopeDen += t * t;
        }
        double spread = n > 1 ? Math.sqrt(spread2 / (n - 1)) : 0;
        spreadPpb = spread;
        double slope = slopeDen > 0 ? Math.abs(slopeNum / slopeDen) : 0;
        double held = predicts() ? frequency(0) : lastDialledPpb;
        missPpb = Math.abs(held - lastDialledPpb) + 2 * spread + FLOOR_PPB;
        // A short lock leaves the trend poorly known: its uncertainty, the spread over the window's span, counts.
        // The trend now may be near zero at a turn of a temperature swing: the steepest trend over the history counts.
        ratePpbPerS = Math.max(3 * slope, 1.5 * steepestBlockSlope()) + (n > 1 ? 2 * spread / n : 0) + FLOOR_PPB_PER_S;
        double range = filled > 0 ? max - min : 0;
        capPpb = Math.max(2 * range, ratePpbPerS * Math.max(filled, 60));
    }

    /**
     * The bound while locked: three standard deviations of the locked offsets plus one of their movement from pulse
     * to pulse (the pulse's own noise, which the offsets carry and the PHC does not), never below the last offset
     * plus twice that movement.
     * For the first minute of a lock, never below the measured bound either: the spread until then is mostly an
     * earlier lock's, while the PHC may still be moving as it did before it locked.
     */
    double lockedBoundNs() {
        return lockedBoundNs(1);
    }

    /**
     * The bound while locked, {@code sincePulseS} after the last pulse: the locked spread covers the one second the
     * PHC runs on each dial; a pulse missed leaves it running on unchecked, at the last dial, whose distance from the
     * oscillator is at most its distance from the mean dial plus three of their standard deviations (a PI's kick
     * after a large offset is meant for one second, not two).
     */
    double lockedBoundNs(double sincePulseS) {
        double overdueS = Math.max(0, sincePulseS - 1);
        double dialMissPpb = Double.isNaN(lastDialledPpb) ? 0
                : Math.abs(lastDialledPpb - dialledMeanPpb) + 3 * Math.sqrt(dialledVar) + FLOOR_PPB;
        return onTimeBoundNs() + dialMissPpb * overdueS;
    }

    private double onTimeBoundNs() {
        double spread = Math.max(3 * Math.sqrt(lockedOffset2) + Math.sqrt(movement2), outlierNs);
        if (lockedCount - lockStartCount < LOCKED_SPREAD_AVERAGE && !Double.isNaN(measuredBoundNs)) {
            spread = Math.max(spread, measuredBoundNs);
        }
        // the last offset is the PHC's error plus the pulse's noise: the error may be that noise larger
        return Double.isNaN(lastOffsetNs) ? spread
                : Math.max(spread, Math.abs(lastOffsetNs) + 2 * Math.sqrt(movement2));
    }

    /** The bound while pulses are measured but the PHC is not locked (acquiring, relocking); NaN if unknown. */
    double measuredBoundNs() {
        return Math.max(measuredBoundNs, outlierNs); // NaN stays NaN: nothing measured yet
    }

    /**
     * The bound while relocking, {@code sincePulseS} after the last pulse, the PHC running at {@code dialledPpb}:
     * the measured bound covers the second after a pulse; a pulse missed leaves the PHC running on unchecked at the
     * servo's dial (a kick after an offset is meant for one second), whose distance from the oscillator is at most
     * its distance from the frequency holdover holds plus that frequency's own miss.
     */
    double relockingBoundNs(double sincePulseS, double dialledPpb, double inHoldoverS) {
        double overdueS = Math.max(0, sincePulseS - 1);
        double held = heldPpb(inHoldoverS);
        double away = Double.isNaN(held) ? 0 : Math.abs(dialledPpb - held);
        return measuredBoundNs() + (away + missPpb) * overdueS;
    }

    /**
     * Relocking's pulses stopped again {@code sincePulseS} after the last one: holdover resumes from the bound
     * relocking had reached (the servo's dial ran unchecked until now), and in {@link HoldoverMode#FREEZE} holds
     * that dial, whose distance from the locked ones the envelope must now cover.
     */
    void resume(double sincePulseS, double dialledPpb, double inHoldoverS) {
        double reached = relockingBoundNs(sincePulseS, dialledPpb, inHoldoverS);
        if (!Double.isNaN(reached)) {
            entryBoundNs = Math.max(entryBoundNs, reached);
        }
        if (!predicts() && !Double.isNaN(lastDialledPpb)) {
            missPpb = Math.max(missPpb, Math.abs(dialledPpb - lastDialledPpb) + 2 * spreadPpb + FLOOR_PPB);
        }
    }

    /** What holdover holds {@code inHoldoverS} into it: the prediction, or (freeze) the last locked dial. */
    private double heldPpb(double inHoldoverS) {
        return predicts() ? frequency(inHoldoverS) : lastDialledPpb;
    }

    /** The bound {@code inHoldoverS} into holdover. */
    double holdoverBoundNs(double inHoldoverS) {
        double t = Math.max(0, inHoldoverS);
        double rampS = ratePpbPerS > 0 ? Math.min(t, capPpb / ratePpbPerS) : t;
        // integral over the gap of the frequency miss growing at the rate until the cap, then held at the cap
        if (predicts() && predictor.followsSwing()) {
            return entryBoundNs + FLOOR_PPB * t + predictor.swingPhaseBoundNs(t);
        }
        double envelope = missPpb * t + ratePpbPerS * rampS * rampS / 2 + ratePpbPerS * rampS * (t - rampS);
        return entryBoundNs + Math.max(envelope, predictor.phaseErrorBoundNs(t));
    }

    /** The steepest change between the means of consecutive blocks of the locked history, ppb/s (0 if too short). */
    private double steepestBlockSlope() {
        int blocks = filled / BLOCK;
        double steepest = 0;
        double previous = Double.NaN;
        for (int b = blocks - 1; b >= 0; b--) { // oldest first
            double sum = 0;
            for (int i = 0; i < BLOCK; i++) {
                sum += recent(b * BLOCK + i);
            }
            double mean = sum / BLOCK;
            if (!Double.isNaN(previous)) {
                steepest = Math.max(steepest, Math.abs(mean - previous) / BLOCK);
            }
            previous = mean;
        }
        return steepest;
    }

    private double recent(int age) {
        return history[Math.floorMod(next - 1 - age, HISTORY)];
    }
}
