package org.pps2phc.core.servo;

import java.util.Arrays;

/**
 * One Kalman filter of {@link KalmanServo}'s bank: phase (ns), frequency error (ppb) and its rate of change (ppb/s)
 * under one noise model, with its score, the running mean of its innovations' negative log-likelihood (lower: the
 * model explains the pulses better).
 */
final class PhaseFilter {
    /** Pulses over which the score is averaged. */
    private static final double SCORE_AVERAGE = 1800;

    final KalmanConfig tuning;
    private final double r;
    private final double q1;
    private final double q2;
    private final double q3;
    /** State: phase (ns), frequency error (ppb), its rate of change (ppb/s). */
    final double[] x = new double[3];
    final double[][] cov = new double[3][3];
    private final double[] xp = new double[3];
    private final double[][] pp = new double[3][3];
    private final double[][] fp = new double[3][3];
    /** The transition matrix over the last interval, filled in place at each prediction (no array per pulse). */
    private final double[][] f = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    private double score;
    private int scored;

    PhaseFilter(KalmanConfig tuning) {
        this.tuning = tuning;
        this.r = tuning.measurementNoiseNs() * tuning.measurementNoiseNs();
        this.q1 = tuning.whiteFmNsPerSqrtS() * tuning.whiteFmNsPerSqrtS();
        this.q2 = tuning.randomWalkPpbPerSqrtS() * tuning.randomWalkPpbPerSqrtS();
        this.q3 = tuning.driftNoisePpbPerS() * tuning.driftNoisePpbPerS();
    }

    /** The measurement variance of a sample of {@code weight}. */
    double measurementVariance(double weight) {
        return weight > 0 ? r / weight : r;
    }

    /** The first frequency estimate, from two samples {@code dt} apart. */
    void startFrequency(double frequencyPpb, double dt, double weight) {
        double rz = measurementVariance(weight);
        x[1] = frequencyPpb;
        x[2] = 0;
        for (double[] row : cov) {
            Arrays.fill(row, 0);
        }
        cov[1][1] = 2 * rz / (dt * dt) + q1 / dt + q2 * dt;
        cov[2][2] = q3 > 0 ? KalmanServo.DRIFT_PRIOR_PPB_PER_S * KalmanServo.DRIFT_PRIOR_PPB_PER_S : 0;
    }

    /** The frequency drifted unobserved for {@code dt}. */
    void frequencyAged(double dt) {
        cov[1][1] += q2 * dt + cov[2][2] * dt * dt;
    }

    /** The phase is taken from the sample {@code z}. */
    void takePhase(double z, double weight) {
        x[0] = z;
        cov[0][0] = measurementVariance(weight);
        cov[0][1] = cov[1][0] = 0;
        cov[0][2] = cov[2][0] = 0;
    }

    /** Predicts over {@code dt} with {@code dialled} applied. */
    void predict(double dt, double dialled) {
        xp[0] = x[0] + (x[1] + dialled) * dt + x[2] * dt * dt / 2;
        xp[1] = x[1] + x[2] * dt;
        xp[2] = x[2];
        predictCovariance(dt);
    }

    double predictedPhase() {
        return xp[0];
    }

    /** Variance of the innovation of the predicted state for a sample of {@code weight}. */
    double innovationVariance(double weight) {
        return pp[0][0] + measurementVariance(weight);
    }

    /** Takes the prediction as the state (the sample was not used). */
    void coast() {
        System.arraycopy(xp, 0, x, 0, 3);
        for (int i = 0; i < 3; i++) {
            System.arraycopy(pp[i], 0, cov[i], 0, 3);
        }
    }

    /** Updates the prediction with the sample {@code z} and scores the innovation. */
    void update(double z, double weight) {
        double innovation = z - xp[0];
        double s = innovationVariance(weight);
        scored++;
        score += (Math.log(s) + innovation * innovation / s - score) / Math.min(scored, SCORE_AVERAGE);
        for (int i = 0; i < 3; i++) {
            double k = pp[i][0] / s;
            x[i] = xp[i] + k * innovation;
            for (int j = 0; j < 3; j++) {
                cov[i][j] = pp[i][j] - k * pp[0][j];
            }
        }
    }

    /** The frequency may be off by {@code ppb} more (the phase was taken afresh after the reference moved). */
    void frequencyUncertain(double ppb) {
        cov[1][1] += ppb * ppb;
    }

    double score() {
        return score;
    }

    int scored() {
        return scored;
    }

    /** F P F' + Q for the constant-drift model over dt, into {@link #pp}. */
    private void predictCovariance(double dt) {
        double dt2 = dt * dt;
        f[0][1] = dt;
        f[0][2] = dt2 / 2;
        f[1][2] = dt;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int m = 0; m < 3; m++) {
                    sum += f[i][m] * cov[m][j];
                }
                fp[i][j] = sum;
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int m = 0; m < 3; m++) {
                    sum += fp[i][m] * f[j][m];
                }
                pp[i][j] = sum;
            }
        }
        double dt3 = dt2 * dt;
        pp[0][0] += q1 * dt + q2 * dt3 / 3 + q3 * dt3 * dt2 / 20;
        pp[0][1] += q2 * dt2 / 2 + q3 * dt2 * dt2 / 8;
        pp[1][0] = pp[0][1];
        pp[1][1] += q2 * dt + q3 * dt3 / 3;
        pp[0][2] += q3 * dt3 / 6;
        pp[2][0] = pp[0][2];
        pp[1][2] += q3 * dt2 / 2;
        pp[2][1] = pp[1][2];
        pp[2][2] += q3 * dt;
    }
}
