package org.pps2phc.sim;

import org.pps2phc.core.servo.KalmanConfig;
import org.pps2phc.core.servo.KalmanServo;
import org.pps2phc.core.servo.ServoConfig;

/**
 * The benchmark's "optimum" baseline: the {@link KalmanServo} told the scenario's true noise parameters, the bound a
 * filter on phase and frequency reaches. The temperature sinusoid is folded into the frequency's random walk: a
 * swing of amplitude A and angular frequency w moves the frequency by about A w T over the filter's memory T, with
 * mean square (A w T)^2 / 2; a random walk of variance (A w)^2 T / 2 per second moves it as much over T. The
 * sawtooth counts as white measurement noise.
 */
public final class OptimumServo {
    public static final String NAME = "optimum";
    /** The filter's memory over which the swing is matched by a random walk, s (the best fold on every preset). */
    private static final double FOLD_MEMORY_S = 20;

    private OptimumServo() {
    }

    /** Q and R from the scenario's keys (the temperature swing folded in); the truncation bias (-tick/2) corrected. */
    public static KalmanConfig tuning(SimParameters p) {
        double tick = p.phcTickNs();
        double saw = p.ppsSawtoothNs();
        double measurement = Math.sqrt(p.ppsJitterNs() * p.ppsJitterNs() + saw * saw / 12 + tick * tick / 12);
        KalmanConfig d = KalmanConfig.defaults();
        double swingPpbPerS = p.oscTempAmpPpb() * 2 * Math.PI / p.oscTempPeriodS();
        double randomWalk = Math.sqrt(p.oscRwPpbPerSqrtS() * p.oscRwPpbPerSqrtS() + swingPpbPerS * swingPpbPerS * FOLD_MEMORY_S / 2);
        return new KalmanConfig(measurement, p.oscWfmAdev() * 1e9, randomWalk, 0, d.timeConstantS(),
                d.gateSigmas(), d.gateRunLimit(), tick / 2);
    }

    public static KalmanServo create(SimParameters p, ServoConfig config, double dialledPpb, long maxAdjPpb) {
        return new KalmanServo(config, tuning(p), dialledPpb, maxAdjPpb);
    }
}
