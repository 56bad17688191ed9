package org.pps2phc.core.servo;

/**
 * linuxptp's PI servo (pi.c semantics, re-derived from its documented behaviour): a two-sample frequency estimate,
 * an optional first step, then proportional-integral control with anti-windup. The baseline every other servo is
 * compared with.
 */
public final class PiServo implements Servo {
    public static final String NAME = "pi-linuxptp";

    private static final double FREQ_EST_MARGIN = 0.001;
    private static final double MAX_FREQ_EST_INTERVAL_S = 1000;

    private final ServoConfig config;
    private final double maxFrequency;
    private final ServoStateTracker common;

    private double kp;
    private double ki;
    private int count;
    private final double[] offset = new double[2];
    private final long[] local = new long[2];
    /** The PHC's frequency error estimate, ppb, in linuxptp's sign (the dialled value is its negative). */
    private double drift;

    /**
     * @param dialledPpb the frequency currently dialled into the PHC (read with clock_adjtime modes=0)
     */
    public PiServo(ServoConfig config, double dialledPpb, long deviceMaxAdjPpb) {
        this.config = config;
        this.maxFrequency = config.effectiveMaxFrequency(deviceMaxAdjPpb);
        this.drift = clamp(-dialledPpb);
        this.common = new ServoStateTracker(config);
        syncInterval(1.0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void syncInterval(double interval) {
        double kpScale = config.piProportionalScale();
        double kpExponent = config.piProportionalExponent();
        double kpNormMax = config.piProportionalNormMax();
        double kiScale = config.piIntegralScale();
        double kiExponent = config.piIntegralExponent();
        double kiNormMax = config.piIntegralNormMax();
        if (config.piProportionalConst() != 0) {
            kpScale = config.piProportionalConst();
            kpExponent = 0;
            kpNormMax = 1.0;
        }
        if (config.piIntegralConst() != 0) {
            kiScale = config.piIntegralConst();
            kiExponent = 0;
            kiNormMax = 2.0;
        }
        kp = Math.min(kpScale * Math.pow(interval, kpExponent), kpNormMax / interval);
        ki = Math.min(kiScale * Math.pow(interval, kiExponent), kiNormMax / interval);
    }

    double kp() {
        return kp;
    }

    double ki() {
        return ki;
    }

    @Override
    public ServoOutput sample(double offsetNs, long localNs, double weight) {
        ServoOutput out = update(offsetNs, localNs, weight);
        return common.finish(out, offsetNs);
    }

    private ServoOutput update(double offsetNs, long localNs, double weight) {
        double absOffset = Math.abs(offsetNs);
        switch (count) {
            case 0 -> {
                offset[0] = offsetNs;
                local[0] = localNs;
                count = 1;
                return new ServoOutput(-drift, ServoState.UNLOCKED);
            }
            case 1 -> {
                offset[1] = offsetNs;
                local[1] = localNs;
                if (local[0] >= local[1]) {
                    count = 0;
                    return new ServoOutput(-drift, ServoState.UNLOCKED);
                }
                double elapsedS = (local[1] - local[0]) / 1e9;
                double freqEstInterval = Math.min(0.016 / ki, MAX_FREQ_EST_INTERVAL_S);
                if (elapsedS * (1 + FREQ_EST_MARGIN) < freqEstInterval) {
                    return new ServoOutput(-drift, ServoState.UNLOCKED);
                }
                drift += (1e9 - drift) * (offset[1] - offset[0]) / (local[1] - local[0]);
                drift = clamp(drift);
                ServoState state = ServoState.LOCKED;
                boolean firstStep = common.firstUpdate() && config.firstStepThresholdNs() > 0
                        && absOffset > config.firstStepThresholdNs();
                if (firstStep
                        || (config.stepThresholdNs() > 0 && absOffset > config.stepThresholdNs())) {
                    state = ServoState.JUMP;
                }
                count = 2;
                return new ServoOutput(-drift, state);
            }
            default -> {
                if (config.stepThresholdNs() > 0 && absOffset > config.stepThresholdNs()) {
                    count = 0;
                    return new ServoOutput(-drift, ServoState.UNLOCKED);
                }
                double kiTerm = ki * offsetNs * weight;
                double ppb = kp * offsetNs * weight + drift + kiTerm;
                if (ppb < -maxFrequency) {
                    ppb = -maxFrequency;
                } else if (ppb > maxFrequency) {
                    ppb = maxFrequency;
                } else {
                    drift += kiTerm;
                }
                return new ServoOutput(-ppb, ServoState.LOCKED);
            }
        }
    }

    @Override
    public void reset() {
        count = 0;
        common.reset();
    }

    @Override
    public double frequencyEstimatePpb() {
        return -drift;
    }

    @Override
    public void setFrequencyEstimatePpb(double dialledPpb) {
        drift = clamp(-dialledPpb);
    }

    private double clamp(double ppb) {
        return Math.max(-maxFrequency, Math.min(maxFrequency, ppb));
    }
}
