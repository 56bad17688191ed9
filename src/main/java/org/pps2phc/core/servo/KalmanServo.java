package org.pps2phc.core.servo;

import java.util.Arrays;

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
    private static final double DRIFT_PRIOR_PPB_PER_S = 1.0;

    private final ServoConfig config;
    private final KalmanConfig tuning;
    private final double maxFrequency;
    private final ServoStateTracker common;
    private final double r;
    private final double q1;
    private final double q2;
    private final double q3;

    /** State: phase (ns), frequency error (ppb), its rate of change (ppb/s). */
    private final double[] x = new double[3];
    private final double[][] cov = new double[3][3];
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
        this.config = config;
        this.tuning = tuning;
        this.maxFrequency = config.effectiveMaxFrequency(deviceMaxAdjPpb);
        this.common = new ServoStateTracker(config);
        this.r = tuning.measurementNoiseNs() * tuning.measurementNoiseNs();
        this.q1 = tuning.whiteFmNsPerSqrtS() * tuning.whiteFmNsPerSqrtS();
        this.q2 = tuning.randomWalkPpbPerSqrtS() * tuning.randomWalkPpbPerSqrtS();
        this.q3 = tuning.driftNoisePpbPerS() * tuning.driftNoisePpbPerS();
        this.dialled = clamp(dialledPpb);
        x[1] = -dialled;
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
            out = track(z, rz, offsetNs, localNs);
        }
        lastLocal = localNs;
        haveLastLocal = true;
        return common.finish(out, offsetNs);
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
            x[1] = clamp((z - pendingOffset) / dt - dialled);
            x[2] = 0;
            clearCovariance();
            cov[1][1] = 2 * rz / (dt * dt) + q1 / dt + q2 * dt;
            cov[2][2] = q3 > 0 ? DRIFT_PRIOR_PPB_PER_S * DRIFT_PRIOR_PPB_PER_S : 0;
            frequencyKnown = true;
        } else if (dt > 0 && dt < MAX_INTERVAL_S) {
            cov[1][1] += q2 * dt + cov[2][2] * dt * dt;
        }
        havePending = false;
        x[0] = z;
        cov[0][0] = rz;
        cov[0][1] = cov[1][0] = 0;
        cov[0][2] = cov[2][0] = 0;
        rejectRun = 0;
        phaseKnown = true;
        boolean jump = (common.firstUpdate() && config.firstStepThresholdNs() > 0
                && Math.abs(offsetNs) > config.firstStepThresholdNs())
                || (config.stepThresholdNs() > 0 && Math.abs(offsetNs) > config.stepThresholdNs());
        if (jump) {
            // The caller steps by -offset: the phase after the step is measured afresh by the next pulse.
            phaseKnown = false;
            dialled = clamp(-x[1]);
            return new ServoOutput(dialled, ServoState.JUMP);
        }
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    private ServoOutput track(double z, double rz, double offsetNs, long localNs) {
        double dt = (localNs - lastLocal) / 1e9;
        if (!(dt > 0) || dt > MAX_INTERVAL_S) {
            phaseKnown = false;
            return acquire(z, rz, offsetNs, localNs);
        }
        double[] xp = {x[0] + (x[1] + dialled) * dt + x[2] * dt * dt / 2, x[1] + x[2] * dt, x[2]};
        double[][] pp = predictCovariance(dt);
        double innovation = z - xp[0];
        double s = pp[0][0] + rz;
        if (Math.abs(innovation) > tuning.gateSigmas() * Math.sqrt(s)) {
            if (++rejectRun < tuning.gateRunLimit()) {
                System.arraycopy(xp, 0, x, 0, 3);
                copy(pp, cov);
                return new ServoOutput(steer(), ServoState.LOCKED);
            }
            // The reference moved: restart the phase here; the frequency may be off by the jump over the interval.
            rejectRun = 0;
            System.arraycopy(xp, 0, x, 0, 3);
            copy(pp, cov);
            x[0] = z;
            cov[0][0] = rz;
            cov[0][1] = cov[1][0] = 0;
            cov[0][2] = cov[2][0] = 0;
            cov[1][1] += innovation * innovation / (dt * dt);
            return new ServoOutput(steer(), ServoState.LOCKED);
        }
        rejectRun = 0;
        double[] k = {pp[0][0] / s, pp[1][0] / s, pp[2][0] / s};
        for (int i = 0; i < 3; i++) {
            x[i] = xp[i] + k[i] * innovation;
            for (int j = 0; j < 3; j++) {
                cov[i][j] = pp[i][j] - k[i] * pp[0][j];
            }
        }
        x[1] = clamp(x[1]);
        return new ServoOutput(steer(), ServoState.LOCKED);
    }

    /** F P F' + Q for the constant-drift model over dt. */
    private double[][] predictCovariance(double dt) {
        double[][] f = {{1, dt, dt * dt / 2}, {0, 1, dt}, {0, 0, 1}};
        double[][] fp = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int m = 0; m < 3; m++) {
                    fp[i][j] += f[i][m] * cov[m][j];
                }
            }
        }
        double[][] out = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int m = 0; m < 3; m++) {
                    out[i][j] += fp[i][m] * f[j][m];
                }
            }
        }
        double dt2 = dt * dt;
        double dt3 = dt2 * dt;
        out[0][0] += q1 * dt + q2 * dt3 / 3 + q3 * dt3 * dt2 / 20;
        out[0][1] += q2 * dt2 / 2 + q3 * dt2 * dt2 / 8;
        out[1][0] = out[0][1];
        out[1][1] += q2 * dt + q3 * dt3 / 3;
        out[0][2] += q3 * dt3 / 6;
        out[2][0] = out[0][2];
        out[1][2] += q3 * dt2 / 2;
        out[2][1] = out[1][2];
        out[2][2] += q3 * dt;
        return out;
    }

    /** Cancel the frequency error expected over the next interval and take 1/tau of the phase error per second. */
    private double steer() {
        double tau = Math.max(tuning.timeConstantS(), interval);
        dialled = clamp(-x[1] - x[2] * interval / 2 - x[0] / tau);
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
        return clamp(-x[1]);
    }

    @Override
    public void setFrequencyEstimatePpb(double dialledPpb) {
        dialled = clamp(dialledPpb);
        x[1] = -dialled;
        x[2] = 0;
    }

    private void clearCovariance() {
        for (double[] row : cov) {
            Arrays.fill(row, 0);
        }
    }

    private static void copy(double[][] from, double[][] to) {
        for (int i = 0; i < 3; i++) {
            System.arraycopy(from[i], 0, to[i], 0, 3);
        }
    }

    private double clamp(double ppb) {
        return Math.max(-maxFrequency, Math.min(maxFrequency, ppb));
    }
}
