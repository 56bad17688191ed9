package org.pps2phc.core.servo;

import java.util.ArrayList;
import java.util.List;

/**
 * The tuning of {@link KalmanServo}.
 *
 * @param measurementNoiseNs    standard deviation of one offset measurement (PPS jitter, receiver sawtooth, tick), ns
 * @param whiteFmNsPerSqrtS     white frequency noise of the PHC oscillator: phase noise after 1 s, ns (adev * 1e9)
 * @param randomWalkPpbPerSqrtS random-walk frequency noise: frequency change after 1 s, ppb
 * @param driftNoisePpbPerS     noise on the frequency's rate of change (temperature wander), ppb/s after 1 s;
 *                              0 leaves the filter on phase and frequency alone
 * @param timeConstantS         the control law removes the estimated phase error with this time constant, s (>= 1)
 * @param gateSigmas            an innovation beyond this many standard deviations is an outlier and not used
 * @param gateRunLimit          this many outliers in a row mean the reference moved: take the next one as the phase
 * @param biasNs                added to every offset: +tick/2 for timestamps truncated to a tick (the defaults
 *                              take 0.5 ns, for the whole nanoseconds a PHC stamps), ns
 */
public record KalmanConfig(double measurementNoiseNs, double whiteFmNsPerSqrtS, double randomWalkPpbPerSqrtS,
                           double driftNoisePpbPerS, double timeConstantS, double gateSigmas, int gateRunLimit,
                           double biasNs) {

    public KalmanConfig {
        if (!(measurementNoiseNs > 0) || !(whiteFmNsPerSqrtS >= 0) || !(randomWalkPpbPerSqrtS >= 0)
                || !(driftNoisePpbPerS >= 0) || !(timeConstantS >= 1) || !(gateSigmas > 0) || gateRunLimit < 1
                || !Double.isFinite(biasNs)) {
            throw new IllegalArgumentException("bad Kalman servo tuning: " + KalmanConfig.class.getSimpleName()
                    + "[" + measurementNoiseNs + ", " + whiteFmNsPerSqrtS + ", " + randomWalkPpbPerSqrtS + ", "
                    + driftNoisePpbPerS + ", " + timeConstantS + ", " + gateSigmas + ", " + gateRunLimit + ", "
                    + biasNs + "]");
        }
    }

    /**
     * Suited to a timing GNSS receiver (a few ns of jitter, up to ~20 ns of sawtooth) and a NIC's TCXO or an OCXO
     * whose temperature wander reaches a fraction of a ppb per second. The estimated phase error is removed at the
     * next pulse (time constant 1 s): the filter, not the control law, does the smoothing, and lock comes sooner.
     */
    public static KalmanConfig defaults() {
        return new KalmanConfig(12, 0.05, 0.05, 0.01, 1, 5, 4, 0.5);
    }

    /**
     * The default servo's bank: {@link #defaults()} first, then the same control law under measurement noise from
     * 0.75 to 24 ns and frequency noise from an OCXO's to a TCXO's in a draughty case; the likeliest steers.
     */
    public static List<KalmanConfig> bank() {
        KalmanConfig d = defaults();
        List<KalmanConfig> bank = new ArrayList<>();
        bank.add(d);
        double[][] frequencyNoise = {{0.005, 0.001}, {0.02, 0.003}, {0.05, 0.01}, {0.2, 0.03}, {1, 0.1}};
        for (double r : BANK_R) {
            for (double[] q : frequencyNoise) {
                KalmanConfig c = new KalmanConfig(r, BANK_WHITE_FM_NS, q[0], q[1], d.timeConstantS(),
                        d.gateSigmas(), d.gateRunLimit(), d.biasNs());
                if (!c.equals(d)) {
                    bank.add(c);
                }
            }
        }
        return List.copyOf(bank);
    }

    private static final double[] BANK_R = {0.75, 1.5, 3, 6, 12, 24};
    /** A NIC oscillator's white frequency noise (adev 2e-10 at 1 s). */
    private static final double BANK_WHITE_FM_NS = 0.2;

    public KalmanConfig withTimeConstantS(double tau) {
        return new KalmanConfig(measurementNoiseNs, whiteFmNsPerSqrtS, randomWalkPpbPerSqrtS, driftNoisePpbPerS, tau,
                gateSigmas, gateRunLimit, biasNs);
    }
}
