package org.pps2phc.sim;

import org.pps2phc.core.servo.KalmanConfig;
import org.pps2phc.core.servo.KalmanServo;
import org.pps2phc.core.servo.ServoConfig;

/**
 * The benchmark's "optimum" baseline: the {@link KalmanServo} told the scenario's true noise parameters. It is the
 * bound for white and random-walk noise; the temperature sinusoid and the sawtooth are outside its model.
 */
public final class OptimumServo {
    public static final String NAME = "optimum";

    private OptimumServo() {
    }

    /** Q and R from the scenario's keys; the truncation bias (-tick/2) corrected. */
    public static KalmanConfig tuning(SimParameters p) {
        double tick = p.phcTickNs();
        double saw = p.ppsSawtoothNs();
        double measurement = Math.sqrt(p.ppsJitterNs() * p.ppsJitterNs() + saw * saw / 12 + tick * tick / 12);
        KalmanConfig d = KalmanConfig.defaults();
        return new KalmanConfig(measurement, p.oscWfmAdev() * 1e9, p.oscRwPpbPerSqrtS(), 0, d.timeConstantS(),
                d.gateSigmas(), d.gateRunLimit(), tick / 2);
    }

    public static KalmanServo create(SimParameters p, ServoConfig config, double dialledPpb, long maxAdjPpb) {
        return new KalmanServo(config, tuning(p), dialledPpb, maxAdjPpb);
    }
}
