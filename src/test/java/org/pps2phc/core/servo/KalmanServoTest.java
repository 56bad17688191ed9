package org.pps2phc.core.servo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KalmanServoTest {
    private static final long S = 1_000_000_000L;
    private static final ServoConfig TS2PHC = ServoConfig.linuxptpDefaults();

    private static KalmanServo servo(KalmanConfig tuning, long maxAdj) {
        return new KalmanServo(TS2PHC, tuning, 0, maxAdj);
    }

    /** A PHC with a constant frequency error in closed loop with the servo, measured with white noise. */
    private static final class Loop {
        final KalmanServo servo;
        double errorPpb;
        /** Random walk of the frequency error, ppb per pulse (0: constant). */
        double walkPpb;
        final SplittableRandom rng = new SplittableRandom(5);
        final double noiseNs;
        double phase;
        double dialled;
        long t = 1_000 * S;

        Loop(KalmanServo servo, double errorPpb, double phase, double noiseNs) {
            this.servo = servo;
            this.errorPpb = errorPpb;
            this.phase = phase;
            this.noiseNs = noiseNs;
        }

        ServoOutput pulse() {
            ServoOutput out = servo.sample(phase + rng.nextGaussian() * noiseNs, t, 1.0);
            if (out.state() != ServoState.UNLOCKED) {
                dialled = out.adjustPpb();
            }
            if (out.state() == ServoState.JUMP) {
                phase = 0;
            }
            phase += errorPpb + dialled;
            errorPpb += rng.nextGaussian() * walkPpb;
            t += S;
            return out;
        }
    }

    @Test
    void firstSampleOnlyRecordsTheSecondEstimatesFrequencyAndSteers() {
        KalmanServo s = servo(KalmanConfig.defaults().withTimeConstantS(4), 62_499_999);
        assertEquals(new ServoOutput(0, ServoState.UNLOCKED), s.sample(0, 10 * S, 1));
        ServoOutput second = s.sample(1000, 11 * S, 1);
        assertEquals(ServoState.LOCKED, second.state());
        double bias = KalmanConfig.defaults().biasNs();
        assertEquals(-1000 - (1000 + bias) / 4.0, second.adjustPpb(), 1e-9,
                "cancel 1000 ppb, take 1/4 of the phase (the truncation bias corrected)");
        assertEquals(-1000, s.frequencyEstimatePpb(), 1e-9);
    }

    @Test
    void firstUpdateBeyondTheFirstStepThresholdJumpsOnceThenTracks() {
        Loop loop = new Loop(servo(KalmanConfig.defaults(), 62_499_999), 23_700, 37.2e9, 0);
        assertEquals(ServoState.UNLOCKED, loop.pulse().state());
        ServoOutput jump = loop.pulse();
        assertEquals(ServoState.JUMP, jump.state());
        assertEquals(-23_700, jump.adjustPpb(), 1e-6, "the measured frequency error, negated");
        for (int i = 0; i < 20; i++) {
            ServoState state = loop.pulse().state();
            assertTrue(state == ServoState.LOCKED || state == ServoState.LOCKED_STABLE, "no second jump: " + state);
        }
        // The loop's stamps are exact: the servo's correction of truncated ones leaves the PHC that much behind.
        assertEquals(-KalmanConfig.defaults().biasNs(), loop.phase, 1e-3);
    }

    @Test
    void convergesThroughMeasurementNoiseAndFiltersIt() {
        KalmanConfig matched = new KalmanConfig(8, 0.2, 0.01, 0, 2, 5, 4, 0);
        Loop loop = new Loop(servo(matched, 62_499_999), -3100, 5000, 8);
        double sumSq = 0;
        for (int i = 0; i < 600; i++) {
            loop.pulse();
            if (i >= 300) {
                sumSq += loop.phase * loop.phase;
            }
        }
        double rms = Math.sqrt(sumSq / 300);
        assertTrue(rms < 3, "the PHC's phase stays well inside the 8 ns measurement noise: " + rms);
        assertEquals(3100, loop.servo.frequencyEstimatePpb(), 1.5);
    }

    @Test
    void resetForgetsThePhaseButKeepsTheFrequency() {
        Loop loop = new Loop(servo(KalmanConfig.defaults(), 62_499_999), 12_000, 0, 0);
        for (int i = 0; i < 50; i++) {
            loop.pulse();
        }
        double estimate = loop.servo.frequencyEstimatePpb();
        assertEquals(-12_000, estimate, 1e-3);
        loop.servo.reset();
        assertEquals(estimate, loop.servo.frequencyEstimatePpb());
        loop.phase = 300;
        ServoOutput out = loop.pulse();
        assertEquals(ServoState.LOCKED, out.state(), "one pulse is enough after a reset");
        assertEquals(-12_000 - (300 + KalmanConfig.defaults().biasNs()) / KalmanConfig.defaults().timeConstantS(),
                out.adjustPpb(), 1e-3);
    }

    @Test
    void anOutlierIsNotTakenButARunOfThemIs() {
        KalmanConfig tuning = KalmanConfig.defaults();
        Loop loop = new Loop(servo(tuning, 62_499_999), 500, 0, 0);
        for (int i = 0; i < 100; i++) {
            loop.pulse();
        }
        ServoOutput before = loop.pulse();
        double real = loop.phase;
        ServoOutput outlier = loop.servo.sample(real + 10_000, loop.t, 1);
        assertEquals(before.adjustPpb(), outlier.adjustPpb(), 0.5, "a 10 us outlier is not used");
        loop.t += S;
        loop.phase += loop.errorPpb + outlier.adjustPpb();
        loop.phase += 10_000; // the reference really moved
        double steepest = 0;
        for (int i = 0; i < tuning.gateRunLimit(); i++) {
            steepest = Math.min(steepest, loop.pulse().adjustPpb());
        }
        assertTrue(steepest < -1000, "after a run of them the new phase is taken: " + steepest);
        loop.pulse();
        assertTrue(Math.abs(loop.phase) < 100, "and steered to: " + loop.phase);
    }

    @Test
    void theDriftStateFollowsATemperatureRamp() {
        double[] rms = new double[2];
        double[] drifts = {0, 0.01};
        for (int i = 0; i < 2; i++) {
            KalmanConfig tuning = new KalmanConfig(8, 0.2, 0.05, drifts[i], 2, 5, 4, 0);
            KalmanServo s = servo(tuning, 62_499_999);
            double phase = 0;
            double dialled = 0;
            double sumSq = 0;
            for (int k = 0; k < 1200; k++) {
                double error = 1000 + 0.5 * k; // the frequency error ramps at 0.5 ppb/s
                ServoOutput out = s.sample(phase, 1000 * S + k * S, 1);
                if (out.state() != ServoState.UNLOCKED) {
                    dialled = out.adjustPpb();
                }
                phase += error + 0.25 + dialled;
                if (k >= 600) {
                    sumSq += phase * phase;
                }
            }
            rms[i] = Math.sqrt(sumSq / 600);
        }
        assertTrue(rms[1] < 1, "with the drift state the ramp leaves no lag: " + rms[1]);
        assertTrue(rms[0] > 5 * rms[1], "without it the phase lags the ramp: " + rms[0]);
    }

    @Test
    void beyondTheStepThresholdItUnlocksThenJumpsOnTheNextPulse() {
        KalmanServo s = new KalmanServo(TS2PHC.withStepThresholds(20_000, 1_000_000), KalmanConfig.defaults(), 0,
                62_499_999);
        Loop loop = new Loop(s, 700, 0, 0);
        for (int i = 0; i < 30; i++) {
            loop.pulse();
        }
        loop.phase += 5_000_000;
        assertEquals(ServoState.UNLOCKED, loop.pulse().state());
        ServoOutput jump = loop.pulse();
        assertEquals(ServoState.JUMP, jump.state());
        assertEquals(-700, jump.adjustPpb(), 1, "the frequency estimate survives");
        assertEquals(ServoState.LOCKED, loop.pulse().state());
        assertEquals(0, loop.phase, 1);
    }

    @Test
    void neverAsksBeyondTheDevicesMaxAdj() {
        Loop loop = new Loop(servo(KalmanConfig.defaults(), 1000), 5000, 0, 0);
        for (int i = 0; i < 10; i++) {
            assertTrue(Math.abs(loop.pulse().adjustPpb()) <= 1000);
        }
    }

    @Test
    void holdoverFrequencyIsWhatTheCallerSays() {
        KalmanServo s = servo(KalmanConfig.defaults(), 62_499_999);
        s.setFrequencyEstimatePpb(-4321);
        assertEquals(-4321, s.frequencyEstimatePpb());
        s.reset();
        s.sample(10, 5 * S, 1);
        s.sample(10, 6 * S, 1);
        // the estimate started from -4321 and moved only by what the two samples showed
        assertTrue(Math.abs(s.frequencyEstimatePpb() + 4321) < 20, "estimate " + s.frequencyEstimatePpb());
    }

    @Test
    void registeredAsKalman() {
        assertTrue(Servos.names().contains("kalman"));
        assertEquals("kalman", Servos.create("kalman", TS2PHC, 0, 62_499_999).name());
        assertThrows(IllegalArgumentException.class, () -> new KalmanConfig(0, 0, 0, 0, 1, 5, 4, 0));
    }

    @Test
    void theBankSteersWithTheModelThatFitsThePulses() {
        double[] rms = new double[2];
        KalmanServo single = servo(KalmanConfig.defaults(), 62_499_999);
        KalmanServo bank = new KalmanServo(TS2PHC, KalmanConfig.bank(), 0, 62_499_999);
        KalmanServo[] servos = {single, bank};
        for (int k = 0; k < 2; k++) {
            Loop loop = new Loop(servos[k], 12_000, 0, 8);
            loop.walkPpb = 0.5; // a wander faster than the default model expects (a TCXO in a draught)
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < 3000; i++) {
                loop.pulse();
                if (i >= 1000) {
                    sum += loop.phase;
                    sumSq += loop.phase * loop.phase;
                }
            }
            rms[k] = Math.sqrt(sumSq / 2000 - (sum / 2000) * (sum / 2000)); // about the bias both correct
        }
        assertTrue(bank.steeringTuning().randomWalkPpbPerSqrtS() >= 0.2,
                "a fast wander: a model that expects it steers, not " + bank.steeringTuning());
        assertTrue(rms[1] < 0.8 * rms[0], "the bank's phase wander " + rms[1] + " ns beats the default model's " + rms[0]);
    }
}
