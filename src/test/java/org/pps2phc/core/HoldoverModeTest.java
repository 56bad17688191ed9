package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pps2phc.core.FixtureWorld.S;
import static org.pps2phc.core.FixtureWorld.START_TAI;

import org.junit.jupiter.api.Test;

/**
 * holdover_mode on a noiseless oscillator whose frequency error ramps (ageing, or a slow temperature change): freeze
 * keeps what the servo last dialled, as linuxptp does; predict follows the ramp the lock saw.
 */
class HoldoverModeTest {
    private static final double START_PPB = 1_000;
    private static final double RAMP_PPB_PER_S = 0.01;
    private static final int LOCKED_S = 2_400;
    private static final int GAP_S = 600;

    private static FixtureWorld lockedOnARamp(HoldoverMode mode) {
        FixtureWorld w = new FixtureWorld(-37.2 * S, START_PPB)
                .engine(DisciplineConfig.defaults().withHoldoverMode(mode), EdgeMode.SINGLE);
        w.trustTod(10e6);
        for (int k = 1; k <= LOCKED_S; k++) {
            w.freqErrorPpb = START_PPB + RAMP_PPB_PER_S * k;
            w.edgeAt(START_TAI + k * S);
        }
        assertEquals(State.LOCKED, w.state());
        return w;
    }

    /** Ticks through the gap, the ramp going on; returns the largest |theta| seen. */
    private static double throughTheGap(FixtureWorld w) {
        double worst = 0;
        for (int s = 1; s <= GAP_S; s++) {
            w.freqErrorPpb = START_PPB + RAMP_PPB_PER_S * (LOCKED_S + s);
            w.tick(START_TAI + (LOCKED_S + s) * S);
            worst = Math.max(worst, Math.abs(w.thetaNs));
        }
        assertEquals(State.HOLDOVER, w.state());
        assertEquals(0, w.boundViolations, "the announced bound covers the holdover");
        return worst;
    }

    @Test
    void aFrozenHoldKeepsTheLastFrequencyTheServoDialled() {
        FixtureWorld w = lockedOnARamp(HoldoverMode.FREEZE);
        double last = w.dialledPpb;
        int actions = w.actions.size();
        throughTheGap(w);
        assertEquals(last, w.dialledPpb, 0.0);
        assertTrue(w.actions.subList(actions, w.actions.size()).stream()
                .filter(a -> a instanceof Action.SetFrequency).allMatch(a -> ((Action.SetFrequency) a).ppb() == last),
                "a frozen hold dials only the last frequency again (undoing one dialled from outside)");
    }

    @Test
    void aPredictiveHoldBeatsAFrozenOneOnADriftingOscillator() {
        double frozen = throughTheGap(lockedOnARamp(HoldoverMode.FREEZE));
        double predicted = throughTheGap(lockedOnARamp(HoldoverMode.PREDICT));
        // frozen: the ramp integrated over the gap, 0.01 ppb/s * 600^2 / 2 = 1800 ns
        assertEquals(RAMP_PPB_PER_S * GAP_S * GAP_S / 2, frozen, 200);
        assertTrue(predicted < 0.1 * frozen, "predicted " + predicted + " ns, frozen " + frozen + " ns");
    }
}
