package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HoldoverPredictorTest {
    @Test
    void aSteadyFrequencyIsHeldAsItIs() {
        HoldoverPredictor p = new HoldoverPredictor(20);
        for (int i = 0; i < 2000; i++) {
            p.add(-23_700, i);
        }
        assertEquals(-23_700, p.frequency(0), 1e-9);
        assertEquals(-23_700, p.frequency(900), 1e-9);
    }

    @Test
    void aRampingFrequencyKeepsTheRecentValue() {
        // Monotonic drift (ageing): the long-term average lags far behind, so the recent one must win.
        HoldoverPredictor p = new HoldoverPredictor(20);
        for (int i = 0; i < 5000; i++) {
            p.add(i * 0.1, i);
        }
        double recent = 4999 * 0.1;
        assertTrue(Math.abs(p.frequency(900) - recent) < 30, "held " + p.frequency(900));
    }

    @Test
    void aFrequencySwingingAboutAMeanMovesTowardsTheMeanInALongGap() {
        HoldoverPredictor p = new HoldoverPredictor(20);
        for (int i = 0; i < 20_000; i++) {
            p.add(1000 + 100 * Math.sin(2 * Math.PI * i / 900.0), i);
        }
        // At i = 20000 the swing is at +64 ppb: a short gap holds about that, a long one goes most of the way back.
        double swing = 100 * Math.sin(2 * Math.PI * 20_000 / 900.0);
        assertTrue(Math.abs(p.frequency(0) - 1000 - swing) < 20, "start " + p.frequency(0));
        assertTrue(Math.abs(p.frequency(900) - 1000) < Math.abs(swing) / 2, "late " + p.frequency(900));
    }

    @Test
    void aFrequencySwingSeenWhileLockedIsFollowedThroughTheGap() {
        HoldoverPredictor p = lockedOnASwing(900, 0, 1);
        for (int s : new int[] {0, 200, 450, 900}) {
            double truth = 1000 + 100 * Math.sin(2 * Math.PI * (20_003 + s) / 900.0);
            assertEquals(truth, p.frequency(s), 3, "at " + s + " s");
        }
    }

    @Test
    void noiseWithoutASwingKeepsTheHeldAverage() {
        HoldoverPredictor p = new HoldoverPredictor(20);
        java.util.Random noise = new java.util.Random(2);
        for (int i = 0; i < 5000; i++) {
            p.add(-3100 + noise.nextGaussian(), i);
        }
        double held = p.frequency(0);
        p.start(5003);
        assertEquals(held, p.frequency(0), 1e-9);
        assertEquals(p.frequency(0), p.frequency(900), 1);
    }

    @Test
    void aSwingBetweenTheGridsPeriodsKeepsItsPhaseThroughALongGap() {
        // 1000 s lies between two of the period grid's points: unrefined, the extrapolated cycle drifts out of phase
        HoldoverPredictor p = lockedOnASwing(1000, 0, 3);
        assertTrue(p.followsSwing());
        double phaseMissNs = 0;
        for (int s = 0; s < 1800; s++) {
            double truth = 1000 + 100 * Math.sin(2 * Math.PI * (20_003 + s) / 1000.0);
            assertEquals(truth, p.frequency(s), 1, "at " + s + " s");
            phaseMissNs += p.frequency(s) - truth;
            assertTrue(Math.abs(phaseMissNs) <= p.swingPhaseBoundNs(s + 1), "bound at " + s + " s");
        }
    }

    @Test
    void theSwingIsFollowedFromWhereTheFrequencyIsNowNotWhereTheHoursFitPutsIt() {
        // a random walk moved the frequency 5 ppb off the swing's mean in the last minutes before the gap: the hour's
        // fit puts the gap's start a third of the way there (its trend bends towards the move), the hold starts there
        HoldoverPredictor p = lockedOnASwing(900, 5, 4);
        assertTrue(p.followsSwing());
        assertEquals(1005 + 100 * Math.sin(2 * Math.PI * 20_003 / 900.0), p.frequency(0), 1);
    }

    /**
     * 20000 s locked on 1000 ppb swinging by 100 ppb over {@code periodS}, with 1 ppb of white noise and
     * {@code lastWanderPpb} added over the last 300 s; holdover starts at 20003 s.
     */
    private static HoldoverPredictor lockedOnASwing(double periodS, double lastWanderPpb, long seed) {
        HoldoverPredictor p = new HoldoverPredictor(20);
        java.util.Random noise = new java.util.Random(seed);
        for (int i = 0; i < 20_000; i++) {
            double wander = i >= 19_700 ? lastWanderPpb : 0;
            p.add(1000 + wander + 100 * Math.sin(2 * Math.PI * i / periodS) + noise.nextGaussian(), i);
        }
        p.start(20_003);
        return p;
    }
}
