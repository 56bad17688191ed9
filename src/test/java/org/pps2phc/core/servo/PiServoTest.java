package org.pps2phc.core.servo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PiServoTest {
    private static final long S = 1_000_000_000L;

    private static PiServo servo(double dialledPpb) {
        return new PiServo(ServoConfig.linuxptpDefaults(), dialledPpb, 62_499_999);
    }

    @Test
    void hardwareGainsAtOneHertzAreLinuxptpsDefaults() {
        PiServo pi = servo(0);
        assertEquals(0.7, pi.kp(), 1e-12);
        assertEquals(0.3, pi.ki(), 1e-12);
    }

    @Test
    void gainsFollowScaleExponentAndNormMax() {
        PiServo pi = servo(0);
        pi.syncInterval(0.5);
        assertEquals(0.7 * Math.pow(0.5, -0.3), pi.kp(), 1e-12); // 0.862
        assertEquals(0.3 * Math.pow(0.5, 0.4), pi.ki(), 1e-12);  // 0.227
        pi.syncInterval(1.0 / 128);
        assertEquals(3.00, pi.kp(), 0.005);  // linuxptp's documented values at 128 Hz
        assertEquals(0.043, pi.ki(), 0.0005);
    }

    @Test
    void constantsOverrideScaleWithOnlyTheStabilityCap() {
        ServoConfig d = ServoConfig.linuxptpDefaults();
        ServoConfig c = new ServoConfig(d.firstStepThresholdNs(), d.stepThresholdNs(), d.maxFrequencyPpb(), 1.5, 2.5,
                d.piProportionalScale(), d.piProportionalExponent(), d.piProportionalNormMax(), d.piIntegralScale(),
                d.piIntegralExponent(), d.piIntegralNormMax(), 0, 10);
        PiServo pi = new PiServo(c, 0, 62_499_999);
        assertEquals(1.0, pi.kp(), 1e-12); // capped at 1.0 / interval
        assertEquals(2.0, pi.ki(), 1e-12); // capped at 2.0 / interval
    }

    @Test
    void handComputedSequence() {
        PiServo pi = servo(0);
        ServoOutput o1 = pi.sample(1000, 1 * S, 1);
        assertEquals(ServoState.UNLOCKED, o1.state());
        assertEquals(0, o1.adjustPpb(), 1e-12);
        // drift = (1e9 - 0) * (1100 - 1000) / 1e9 = 100 ppb: the PHC gains 100 ns/s, dial -100.
        ServoOutput o2 = pi.sample(1100, 2 * S, 1);
        assertEquals(ServoState.LOCKED, o2.state());
        assertEquals(-100, o2.adjustPpb(), 1e-9);
        // ki term 0.3 * 50 = 15; ppb = 0.7 * 50 + 100 + 15 = 150; drift becomes 115.
        ServoOutput o3 = pi.sample(50, 3 * S, 1);
        assertEquals(-150, o3.adjustPpb(), 1e-9);
        // ki term -6; ppb = -14 + 115 - 6 = 95; drift becomes 109.
        ServoOutput o4 = pi.sample(-20, 4 * S, 1);
        assertEquals(-95, o4.adjustPpb(), 1e-9);
        assertEquals(-109, pi.frequencyEstimatePpb(), 1e-9);
    }

    @Test
    void frequencyEstimateAccountsForTheFrequencyAlreadyDialled() {
        PiServo pi = servo(-20_000); // dialled -20 ppm: drift starts at +20000
        pi.sample(0, 1 * S, 1);
        ServoOutput o = pi.sample(500, 2 * S, 1);
        // drift = 20000 + (1e9 - 20000) * 500 / 1e9 = 20000 + 499.99
        assertEquals(-(20_000 + (1e9 - 20_000) * 500 / 1e9), o.adjustPpb(), 1e-6);
    }

    @Test
    void firstUpdateBeyondTheFirstStepThresholdJumpsOnceOnly() {
        PiServo pi = servo(0);
        pi.sample(-37_200_000_000.0, 1 * S, 1);
        ServoOutput jump = pi.sample(-37_199_976_300.0, 2 * S, 1);
        assertEquals(ServoState.JUMP, jump.state());
        assertEquals(-23_700, jump.adjustPpb(), 1e-3);
        // After the jump the servo is past its first update: a large offset no longer jumps (step_threshold 0).
        pi.reset();
        pi.sample(50_000, 3 * S, 1);
        assertEquals(ServoState.LOCKED, pi.sample(50_000, 4 * S, 1).state());
    }

    @Test
    void stepThresholdUnlocksAndReEstimates() {
        PiServo pi = new PiServo(ServoConfig.linuxptpDefaults().withStepThresholds(20_000, 100_000), 0, 62_499_999);
        pi.sample(0, 1 * S, 1);
        pi.sample(0, 2 * S, 1);
        assertEquals(ServoState.UNLOCKED, pi.sample(200_000, 3 * S, 1).state());
        pi.sample(200_000, 4 * S, 1);
        assertEquals(ServoState.JUMP, pi.sample(200_100, 5 * S, 1).state());
    }

    @Test
    void integratorStopsAtTheFrequencyLimit() {
        PiServo pi = new PiServo(ServoConfig.linuxptpDefaults(), 0, 1000);
        pi.sample(0, 1 * S, 1);
        pi.sample(0, 2 * S, 1);
        ServoOutput o = pi.sample(10_000, 3 * S, 1);
        assertEquals(-1000, o.adjustPpb(), 1e-9);
        assertEquals(0, pi.frequencyEstimatePpb(), 1e-9); // no windup
    }

    @Test
    void lockedStableNeedsTheConfiguredRunOfSmallOffsets() {
        ServoConfig d = ServoConfig.linuxptpDefaults();
        ServoConfig c = new ServoConfig(d.firstStepThresholdNs(), 0, d.maxFrequencyPpb(), 0, 0, 0.7, -0.3, 0.7, 0.3,
                0.4, 0.3, 100, 3);
        PiServo pi = new PiServo(c, 0, 62_499_999);
        pi.sample(10, 1 * S, 1);
        assertEquals(ServoState.LOCKED, pi.sample(10, 2 * S, 1).state());
        assertEquals(ServoState.LOCKED, pi.sample(10, 3 * S, 1).state());
        assertEquals(ServoState.LOCKED_STABLE, pi.sample(10, 4 * S, 1).state());
        assertEquals(ServoState.LOCKED, pi.sample(500, 5 * S, 1).state());
    }

    @Test
    void samplesOutOfOrderRestartTheEstimate() {
        PiServo pi = servo(0);
        pi.sample(0, 2 * S, 1);
        assertEquals(ServoState.UNLOCKED, pi.sample(0, 1 * S, 1).state());
    }
}
