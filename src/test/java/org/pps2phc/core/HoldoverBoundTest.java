package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The measured bound (acquiring, relocking) right after the measured offsets start afresh. */
class HoldoverBoundTest {
    /** Offsets a locked PHC shows through a pulse with about 20 ns of noise, quantised to 8 ns. */
    private static final double[] NOISY = {8, -16, 24, 0, -8, 32, -24, 16, 0, -16, 8, 24, -8, 0, 16, -24};

    @Test
    void afterAStepThePulsesKnownNoiseCoversAnOffsetThatHappenedNotToMove() {
        Holdover h = new Holdover(DisciplineConfig.defaults());
        long monoNs = 0;
        for (double offset : NOISY) {
            h.measured(offset);
            h.locked(offset, 0, monoNs += 1_000_000_000L);
        }
        h.phaseLost(); // stepped: the phase starts afresh, the pulse's noise does not
        h.measured(8);
        h.measured(8);
        // cm4-m8t, seed 3, after a 3 ms step from outside: 8 ns claimed where the PHC was 22 ns off
        double bound = h.measuredBoundNs();
        assertTrue(bound >= 8 + 3 * 15, "bound " + bound);
    }

    @Test
    void beforeAnyLockAStepForgetsTheMovementOfAnUncorrectedFrequency() {
        Holdover h = new Holdover(DisciplineConfig.defaults());
        for (int k = 0; k < 20; k++) {
            h.measured(-37e9 - 3100.0 * k); // acquiring: 3.1 ppm off, not yet corrected
        }
        h.phaseLost(); // the first step
        for (double offset : new double[] {-6, 2, -3, 1, -2, 3}) {
            h.measured(offset);
        }
        assertTrue(h.measuredBoundNs() < 100, "the step took the frequency's movement away: " + h.measuredBoundNs());
    }

    @Test
    void aFreshNoiseEstimateClaimsNothingUntilItHasSeenEnoughMovements() {
        Holdover h = new Holdover(DisciplineConfig.defaults());
        for (double offset : NOISY) {
            h.measured(offset);
        }
        h.pulsesForgotten(); // the device went and came back: nothing measured before holds
        h.measured(-4);
        h.measured(-4);
        assertTrue(Double.isNaN(h.measuredBoundNs()), "one movement of 0 ns bounds nothing");
        for (int i = 0; i < 4; i++) {
            h.measured(NOISY[i]);
        }
        assertTrue(h.measuredBoundNs() > Math.abs(NOISY[3]), "five movements bound the offset: " + h.measuredBoundNs());
    }

    @Test
    void aNewLockIsBoundedByWhatThePulsesShowUntilItsOwnSpreadIsKnown() {
        Holdover h = new Holdover(DisciplineConfig.defaults());
        for (double offset : NOISY) { // a quiet earlier lock's pulses (its locked spread is not fed here)
            h.measured(offset / 4);
        }
        h.phaseLost();
        for (double offset : new double[] {-40, -17, 41, 49, 49, 61, 38, 90, 71, 90}) { // acquiring, still moving
            h.measured(offset);
        }
        h.lockStarted();
        // harsh, seed 2, 30 s device removal: 101 ns claimed at the lock where the PHC was 107 ns off
        assertTrue(h.lockedBoundNs() >= h.measuredBoundNs() && h.lockedBoundNs() > 107,
                "locked " + h.lockedBoundNs() + " measured " + h.measuredBoundNs());
    }
    @Test
    void aMissedPulseWhileLockedWidensTheBoundByWhatTheLastDialCanDoUnchecked() {
        // harsh, pi-linuxptp, seed 2, second 75436: a -91 ns offset, the PI's kick of about +95 ppb, then no pulse:
        // the PHC ran 2 s at the kicked frequency and was 153 ns off under a locked bound of 150 ns
        Holdover h = new Holdover(DisciplineConfig.defaults());
        long monoNs = 0;
        for (int k = 0; k < 200; k++) {
            double offset = NOISY[k % NOISY.length] * 2;
            h.measured(offset);
            h.locked(offset, 87085 + offset, monoNs += 1_000_000_000L);
        }
        h.measured(-91);
        h.locked(-91, 87177, monoNs += 1_000_000_000L);
        double onTime = h.lockedBoundNs(1.0);
        double oneMissed = h.lockedBoundNs(2.0);
        assertTrue(onTime >= 91, "the last offset is covered: " + onTime);
        assertTrue(oneMissed >= onTime + 92, "a second more at a dial 92 ppb off the mean: " + onTime + " -> "
                + oneMissed);
    }
}
