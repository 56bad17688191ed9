package org.pps2phc.core.servo;

/**
 * The linuxptp servo keys, in linuxptp's units, with linuxptp's defaults.
 *
 * @param firstStepThresholdNs step on the first update when |offset| exceeds this (0: never)
 * @param stepThresholdNs      step whenever |offset| exceeds this (0: never after the first update)
 * @param maxFrequencyPpb      cap on the frequency adjustment (config max_frequency; 0: hardware limit only)
 * @param piProportionalConst  pi_proportional_const (0: use scale/exponent/norm_max)
 * @param piIntegralConst      pi_integral_const (0: use scale/exponent/norm_max)
 * @param offsetThresholdNs    servo_offset_threshold (0: LOCKED_STABLE disabled)
 * @param numOffsetValues      servo_num_offset_values
 */
public record ServoConfig(double firstStepThresholdNs, double stepThresholdNs, double maxFrequencyPpb,
                          double piProportionalConst, double piIntegralConst,
                          double piProportionalScale, double piProportionalExponent, double piProportionalNormMax,
                          double piIntegralScale, double piIntegralExponent, double piIntegralNormMax,
                          double offsetThresholdNs, int numOffsetValues) {

    /** ts2phc's defaults: hardware timestamping, 20 us first step, never step afterwards. */
    public static ServoConfig linuxptpDefaults() {
        return new ServoConfig(20_000, 0, 900_000_000, 0, 0, 0.7, -0.3, 0.7, 0.3, 0.4, 0.3, 0, 10);
    }

    public ServoConfig withStepThresholds(double firstStepNs, double stepNs) {
        return new ServoConfig(firstStepNs, stepNs, maxFrequencyPpb, piProportionalConst, piIntegralConst,
                piProportionalScale, piProportionalExponent, piProportionalNormMax, piIntegralScale,
                piIntegralExponent, piIntegralNormMax, offsetThresholdNs, numOffsetValues);
    }

    /** The effective frequency cap given the device's max_adj, as linuxptp's servo_create computes it. */
    public double effectiveMaxFrequency(long deviceMaxAdjPpb) {
        double max = deviceMaxAdjPpb > 0 ? deviceMaxAdjPpb : Double.MAX_VALUE;
        if (maxFrequencyPpb > 0 && maxFrequencyPpb < max) {
            max = maxFrequencyPpb;
        }
        return max;
    }
}
