package org.pps2phc.core;

import org.pps2phc.core.servo.ServoConfig;

/**
 * Everything the discipline engine is told, with defaults a production grandmaster can start from.
 *
 * @param servo                linuxptp servo keys (thresholds, gains, max frequency)
 * @param servoName            which servo ({@code clock_servo}): "pi-linuxptp" or "kalman"
 * @param pulseWidthNs         the PPS pulse width (ts2phc.pulsewidth), or -1 to learn it from the pulse train
 * @param exttsCorrectionNs    added to every extts timestamp (ts2phc.extts_correction: cable and input delay)
 * @param todMaxErrorNs        largest time-of-day error bound that may name a second
 * @param lockThresholdNs      |offset| under which a pulse counts towards lock
 * @param lockCount            consecutive pulses under the threshold that make LOCKED
 * @param pulseTimeoutNs       no accepted pulse for this long while locked: HOLDOVER
 * @param holdoverBudgetNs     HOLDOVER lasts at most this long, then FREE_RUNNING
 * @param todMismatchLimit     consecutive trusted time-of-day disagreements with the PHC's second that relabel it while acquiring
 *                             (an announced PHC is relabelled only when it is seen to have jumped)
 * @param todOverruleNs        a trusted time of day that disagrees with a PHC locked on its anchor by the same whole
 *                             seconds for this long wins: the PHC is relabelled (until then the seconds are disputed
 *                             and nothing is announced)
 * @param frequencyAverageS    time constant of the frequency average held in holdover
 * @param outlierFloorNs       a locked pulse this close to the expected offset is never an outlier
 * @param outlierMadFactor     a locked pulse further than this many MADs from the median offset is an outlier
 * @param outlierRunLimit      this many outliers in a row means the reference moved: re-acquire
 * @param holdoverSamplesNs    keep publishing NTP samples this long into holdover (0: only while locked)
 * @param holdoverMode         what holdover dials: the predicted frequency, or the last one dialled (linuxptp's)
 */
public record DisciplineConfig(ServoConfig servo, String servoName, long pulseWidthNs, long exttsCorrectionNs,
                               double todMaxErrorNs, double lockThresholdNs, int lockCount, long pulseTimeoutNs,
                               long holdoverBudgetNs, int todMismatchLimit, long todOverruleNs,
                               double frequencyAverageS, double outlierFloorNs, double outlierMadFactor,
                               int outlierRunLimit, long holdoverSamplesNs, HoldoverMode holdoverMode) {

    public static final long SECOND_NS = 1_000_000_000L;

    public static DisciplineConfig defaults() {
        return new DisciplineConfig(ServoConfig.linuxptpDefaults(), "kalman", -1, 0,
                100e6, 1000, 10, 3_500_000_000L, 1800 * SECOND_NS, 10, 900 * SECOND_NS, 20, 1000, 10, 8, 0,
                HoldoverMode.PREDICT);
    }

    public DisciplineConfig withServo(ServoConfig s, String name) {
        return new DisciplineConfig(s, name, pulseWidthNs, exttsCorrectionNs, todMaxErrorNs, lockThresholdNs,
                lockCount, pulseTimeoutNs, holdoverBudgetNs, todMismatchLimit, todOverruleNs,
                frequencyAverageS, outlierFloorNs, outlierMadFactor, outlierRunLimit, holdoverSamplesNs, holdoverMode);
    }

    public DisciplineConfig withPulseWidthNs(long width) {
        return new DisciplineConfig(servo, servoName, width, exttsCorrectionNs, todMaxErrorNs, lockThresholdNs,
                lockCount, pulseTimeoutNs, holdoverBudgetNs, todMismatchLimit, todOverruleNs,
                frequencyAverageS, outlierFloorNs, outlierMadFactor, outlierRunLimit, holdoverSamplesNs, holdoverMode);
    }

    public DisciplineConfig withHoldoverBudgetNs(long budget) {
        return new DisciplineConfig(servo, servoName, pulseWidthNs, exttsCorrectionNs, todMaxErrorNs,
                lockThresholdNs, lockCount, pulseTimeoutNs, budget, todMismatchLimit, todOverruleNs,
                frequencyAverageS, outlierFloorNs, outlierMadFactor, outlierRunLimit, holdoverSamplesNs, holdoverMode);
    }

    public DisciplineConfig withTodOverruleNs(long overrule) {
        return new DisciplineConfig(servo, servoName, pulseWidthNs, exttsCorrectionNs, todMaxErrorNs,
                lockThresholdNs, lockCount, pulseTimeoutNs, holdoverBudgetNs, todMismatchLimit, overrule,
                frequencyAverageS, outlierFloorNs, outlierMadFactor, outlierRunLimit, holdoverSamplesNs, holdoverMode);
    }

    public DisciplineConfig withHoldoverMode(HoldoverMode mode) {
        return new DisciplineConfig(servo, servoName, pulseWidthNs, exttsCorrectionNs, todMaxErrorNs,
                lockThresholdNs, lockCount, pulseTimeoutNs, holdoverBudgetNs, todMismatchLimit, todOverruleNs,
                frequencyAverageS, outlierFloorNs, outlierMadFactor, outlierRunLimit, holdoverSamplesNs, mode);
    }
}
