package org.pps2phc.core.servo;

import java.util.List;

/**
 * A Kalman filter on the PHC's phase and frequency against the pulse (and, when tuned for it, the frequency's rate
 * of change, which follows temperature), with a control law that dials the estimated frequency error away and
 * removes the estimated phase error with a chosen time constant.
 *
 * <p>Model, per interval dt between pulses: phase p grows by (y + u) dt + d dt^2/2, where y is the oscillator's
 * frequency error, d its rate of change and u the frequency dialled; p takes white frequency noise, y a random
 * walk, d a random walk (zero and fixed when {@code driftNoisePpbPerS} is 0). Each pulse measures p with white
 * noise. The filter knows what it dialled, so it needs no integrator and does not wind up.
 *
 * <p>Servo contract as linuxptp's PI: the first sample only records; the second estimates the frequency from the two
 * and returns JUMP when the first step threshold (or the step threshold) is exceeded, after which the phase is
 * taken afresh from the next pulse; {@link #reset()} forgets the phase but keeps the frequency, so after a reset
 * one pulse is enough to steer again. Innovations beyond {@code gateSigmas} are not used; a run of
 * {@code gateRunLimit} of them means the reference moved, and the next one is taken as the new phase.
 */
public final class KalmanServo implements Servo {
    public static final String NAME = "kalman";
    /** linuxptp's margin on the first frequency estimate's interval (0.016 / ki at ki 0.3). */
    private static final double MIN_ESTIMATE_INTERVAL_S = 0.0533;
    /** Beyond this gap the filter's time model is not trusted (a step moved the PHC's timestamps). */
    private static final double MAX_INTERVAL_S = 100_000;
    /** Prior on the frequency's rate of change when the filter starts, ppb/s. */
    static final double DRIFT_PRIOR_PPB_PER_S = 1.0;
    /** A filter of the bank steers only once it has scored this many pulses; until then the first one does. */
    private static final int MIN_SCORED = 120;

    private final ServoConfig config;
    private final KalmanConfig tuning;
    private final double maxFrequency;
    private final ServoStateTracker common;
    private final PhaseFilter[] bank;
    /** The filter that steers: the best-scored of the bank. */
    private PhaseFilter best;

    private boolean phaseKnown;
    private boolean frequencyKnown;
    private boolean havePending;
    private double pendingOffset;
    private long lastLocal;
    private boolean haveLastLocal;
    private double dialled;
    private int rejectRun;
    private double interval = 1.0;

    public KalmanServo(ServoConfig config, KalmanConfig tuning, double dialledPpb, long deviceMaxAdjPpb) {
        this(config, List.of(tuning), dialledPpb, deviceMaxAdjPpb);
    }

    /**
     * A bank of filters, one per noise model; the first one's control law, gate and bias apply, and it steers until
     * the others have scored enough pulses; then the one whose innovations are likeliest does.
     */
    public KalmanServo(ServoConfig config, List<KalmanConfig> tunings, double dialledPpb, long deviceMaxAdjPpb) {
        if (tunings.isEmpty()) {
            throw new IllegalArgumentException("a Kalman servo needs at least one tuning");
        }
        this.config = config;
        this.tuning = tunings.get(0);
        this.maxFrequency = config.effectiveMaxFrequency(deviceMaxAdjPpb);
        this.common = new ServoStateTracker(config);
        this.bank = new PhaseFilter[tunings.size()];
        for (int i = 0; i < bank.length; i++) {
            bank[i] = new PhaseFilter(tunings.get(i));
        }
        this.best = bank[0];
        this.dialled = clamp(dialledPpb);
        for (PhaseFilter f : bank) {
            f.x[1] = -dialled;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    public KalmanConfig tuning() {
        return tuning;
    }

    /** The tuning of the filter that steers now. */
    public KalmanConfig steeringTuning() {
        return best.tuning;
    }

    @Override
    public void syncInterval(double seconds) {
        interval = seconds > 0 ? seconds : 1.0;
    }

    @Override
    public ServoOutput sample(double offsetNs, long localNs, double weight) {
        double z = offsetNs + tuning.biasNs();
        ServoOutput out;
        if (!phaseKnown) {
            out = acquire(z, weight, offsetNs, localNs);
        } else if (config.stepThresholdNs() > 0 && Math.abs(offsetNs) > config.stepThresholdNs()) {
            phaseKnown = false;
            havePending = false;
            out = new ServoOutput(dialled, ServoState.UNLOCKED);
        } else {
            out = track(z, weight, offsetNs, localNs);
        }
        lastLocal = localNs;
        haveLastLocal = true;
        return common.finish(out, offsetNs);
    }

    /** No phase yet: estimate the frequency first if needed, then take the phase from this sample. */
    private ServoOutput acquire(double z, double weight, double offsetNs, long localNs) {
        double dt = haveLastLocal ? (localNs - lastLocal) / 1e9 : Double.NaN;
        if (!frequencyKnown) {
            if (!havePending || !(dt > 0)) {
                havePending = true;
                pendingOffset = z;
                return new ServoOutput(dialled, ServoState.UNLOCKED);
            }
            if (dt * 1.001 < MIN_ESTIMATE_INTERVAL_S) {
                return new ServoOutput(dialled, ServoState.UNLOCKED);
            }
            double frequency = clamp((z - pendingOffset) / dt - dialled);
            for (PhaseFilter f : bank) {
                f.startFrequency(frequency, dt, weight);
            }
            frequencyKnown = true;
        } else if (dt > 0 && dt < MAX_INTERVAL_S) {
            for (PhaseFilter f : bank) {
                f.frequencyAged(dt);
            }
        }
        havePending = false;
        for (PhaseFilter f : bank) {
            f.takePhase(z, weight);
        }
        rejectRun = 0;
        phaseKnown = true;
        boolean jump = (common.firstUpdate() && config.firstStepThresholdNs() > 0
                && Math.abs(offsetNs) > config.firstStepThresholdNs())
                || (config.stepThresholdNs() > 0 && Math.abs(offsetNs) > config.stepThresholdNs());
        if (jump) {
            // The caller steps by -offset: the phase after the step is measured afresh by the next pulse.
            phaseKnown = false;
            dialled = clamp(-best.x[1]);
            return new ServoOutput(dialled, ServoState.JUMP);
        }
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    private ServoOutput track(double z, double weight, double offsetNs, long localNs) {
        double dt = (localNs - lastLocal) / 1e9;
        if (!(dt > 0) || dt > MAX_INTERVAL_S) {
            phaseKnown = false;
            return acquire(z, weight, offsetNs, localNs);
        }
        for (PhaseFilter f : bank) {
            f.predict(dt, dialled);
        }
        double innovation = z - best.predictedPhase();
        if (Math.abs(innovation) > tuning.gateSigmas() * Math.sqrt(best.innovationVariance(weight))) {
            for (PhaseFilter f : bank) {
                f.coast();
            }
            if (++rejectRun < tuning.gateRunLimit()) {
                return new ServoOutput(steer(), ServoState.LOCKED);
            }
            // The reference moved: restart the phase here; the frequency may be off by the jump over the interval.
            rejectRun = 0;
            for (PhaseFilter f : bank) {
                f.takePhase(z, weight);
                f.frequencyUncertain(innovation / dt);
            }
            return new ServoOutput(steer(), ServoState.LOCKED);
        }
        rejectRun = 0;
        for (PhaseFilter f : bank) {
            f.update(z, weight);
            f.x[1] = clamp(f.x[1]);
        }
        choose();
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    /** The best-scored filter steers, once every filter has scored enough pulses. */
    private void choose() {
        if (bank.length == 1 || bank[0].scored() < MIN_SCORED) {
            return;
        }
        for (PhaseFilter f : bank) {
            if (f.score() < best.score()) {
                best = f;
            }
        }
    }

    /** Cancel the frequency error expected over the next interval and take 1/tau of the phase error per second. */
    private double steer() {
        double tau = Math.max(tuning.timeConstantS(), interval);
        dialled = clamp(-best.x[1] - best.x[2] * interval / 2 - best.x[0] / tau);
        return dialled;
    }

    @Override
    public void reset() {
        phaseKnown = false;
        havePending = false;
        rejectRun = 0;
        common.reset();
    }

    @Override
    public double frequencyEstimatePpb() {
        return clamp(-best.x[1]);
    }

    @Override
    public void setFrequencyEstimatePpb(double dialledPpb) {
        dialled = clamp(dialledPpb);
        for (PhaseFilter f : bank) {
            f.x[1] = -dialled;
            f.x[2] = 0;
        }
    }

    private double clamp(double ppb) {
        return Math.max(-maxFrequency, Math.min(maxFrequency, ppb));
    }
}
