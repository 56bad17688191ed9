package org.pps2phc.core.servo;

/**
 * A Kalman filter on (phase, frequency) of the PHC against the pulse, and a control law that dials the estimated
 * frequency error away and removes the estimated phase error with a chosen time constant.
 *
 * <p>Model, per interval dt between pulses: phase p grows by (y + u) dt, where y is the oscillator's frequency
 * error and u the frequency dialled; y is a random walk; p also takes white frequency noise. Each pulse measures p
 * with white noise. The filter knows what it dialled, so it needs no integrator and does not wind up.
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

    private final ServoConfig config;
    private final KalmanConfig tuning;
    private final double maxFrequency;
    private final OffsetHistory stable;
    private final double r;
    private final double q1;
    private final double q2;

    private double p;
    private double y;
    private double ppp;
    private double ppy;
    private double pyy;
    private boolean phaseKnown;
    private boolean frequencyKnown;
    private boolean havePending;
    private double pendingOffset;
    private long lastLocal;
    private boolean haveLastLocal;
    private double dialled;
    private boolean firstUpdate = true;
    private int rejectRun;
    private double interval = 1.0;

    public KalmanServo(ServoConfig config, KalmanConfig tuning, double dialledPpb, long deviceMaxAdjPpb) {
        this.config = config;
        this.tuning = tuning;
        this.maxFrequency = config.effectiveMaxFrequency(deviceMaxAdjPpb);
        this.stable = new OffsetHistory(config.offsetThresholdNs(), config.numOffsetValues());
        this.r = tuning.measurementNoiseNs() * tuning.measurementNoiseNs();
        this.q1 = tuning.whiteFmNsPerSqrtS() * tuning.whiteFmNsPerSqrtS();
        this.q2 = tuning.randomWalkPpbPerSqrtS() * tuning.randomWalkPpbPerSqrtS();
        this.dialled = clamp(dialledPpb);
        this.y = -dialled;
    }

    @Override
    public String name() {
        return NAME;
    }

    public KalmanConfig tuning() {
        return tuning;
    }

    @Override
    public void syncInterval(double seconds) {
        interval = seconds > 0 ? seconds : 1.0;
    }

    @Override
    public ServoOutput sample(double offsetNs, long localNs, double weight) {
        double z = offsetNs + tuning.biasNs();
        double rz = weight > 0 ? r / weight : r;
        ServoOutput out;
        if (!phaseKnown) {
            out = acquire(z, rz, offsetNs, localNs);
        } else if (config.stepThresholdNs() > 0 && Math.abs(offsetNs) > config.stepThresholdNs()) {
            phaseKnown = false;
            havePending = false;
            out = new ServoOutput(dialled, ServoState.UNLOCKED);
        } else {
            out = track(z, rz, localNs);
        }
        lastLocal = localNs;
        haveLastLocal = true;
        ServoState state = out.state();
        if (state == ServoState.LOCKED && stable.add(offsetNs)) {
            state = ServoState.LOCKED_STABLE;
        } else if (state == ServoState.UNLOCKED || state == ServoState.JUMP) {
            stable.clear();
        }
        if (state == ServoState.JUMP || state == ServoState.LOCKED) {
            firstUpdate = false;
        }
        return new ServoOutput(out.adjustPpb(), state);
    }

    /** No phase yet: estimate the frequency first if needed, then take the phase from this sample. */
    private ServoOutput acquire(double z, double rz, double offsetNs, long localNs) {
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
            y = clamp((z - pendingOffset) / dt - dialled);
            pyy = 2 * rz / (dt * dt) + q1 / dt + q2 * dt;
            frequencyKnown = true;
        } else if (dt > 0 && dt < MAX_INTERVAL_S) {
            pyy += q2 * dt;
        }
        havePending = false;
        p = z;
        ppp = rz;
        ppy = 0;
        rejectRun = 0;
        phaseKnown = true;
        boolean jump = (firstUpdate && config.firstStepThresholdNs() > 0
                && Math.abs(offsetNs) > config.firstStepThresholdNs())
                || (config.stepThresholdNs() > 0 && Math.abs(offsetNs) > config.stepThresholdNs());
        if (jump) {
            // The caller steps by -offset: the phase after the step is measured afresh by the next pulse.
            phaseKnown = false;
            dialled = clamp(-y);
            return new ServoOutput(dialled, ServoState.JUMP);
        }
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    private ServoOutput track(double z, double rz, long localNs) {
        double dt = (localNs - lastLocal) / 1e9;
        if (!(dt > 0) || dt > MAX_INTERVAL_S) {
            phaseKnown = false;
            return acquire(z, rz, z, localNs);
        }
        // Predict with the frequency that was dialled over the interval.
        double pp = p + (y + dialled) * dt;
        double nppp = ppp + 2 * dt * ppy + dt * dt * pyy + q1 * dt + q2 * dt * dt * dt / 3;
        double nppy = ppy + dt * pyy + q2 * dt * dt / 2;
        double npyy = pyy + q2 * dt;
        double innovation = z - pp;
        double s = nppp + rz;
        if (Math.abs(innovation) > tuning.gateSigmas() * Math.sqrt(s)) {
            if (++rejectRun < tuning.gateRunLimit()) {
                p = pp;
                ppp = nppp;
                ppy = nppy;
                pyy = npyy;
                return new ServoOutput(steer(), ServoState.LOCKED);
            }
            // The reference moved: restart the phase here; the frequency may be off by the jump over the interval.
            rejectRun = 0;
            p = z;
            ppp = rz;
            ppy = 0;
            pyy = npyy + innovation * innovation / (dt * dt);
            return new ServoOutput(steer(), ServoState.LOCKED);
        }
        rejectRun = 0;
        double kp = nppp / s;
        double ky = nppy / s;
        p = pp + kp * innovation;
        y = clamp(y + ky * innovation);
        ppp = (1 - kp) * nppp;
        ppy = (1 - kp) * nppy;
        pyy = npyy - ky * nppy;
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    /** Cancel the estimated frequency error and take 1/tau of the estimated phase error away per second. */
    private double steer() {
        double tau = Math.max(tuning.timeConstantS(), interval);
        dialled = clamp(-y - p / tau);
        return dialled;
    }

    @Override
    public void reset() {
        phaseKnown = false;
        havePending = false;
        rejectRun = 0;
        stable.clear();
    }

    @Override
    public double frequencyEstimatePpb() {
        return clamp(-y);
    }

    @Override
    public void setFrequencyEstimatePpb(double dialledPpb) {
        dialled = clamp(dialledPpb);
        y = -dialled;
    }

    private double clamp(double ppb) {
        return Math.max(-maxFrequency, Math.min(maxFrequency, ppb));
    }
}
