package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.PulseVerdict;

class UnusablePulsesTest {
    @Test
    void warnsOncePerRunAfterEnoughUnusablePulses() {
        UnusablePulses u = new UnusablePulses();
        for (int i = 1; i < UnusablePulses.RUN_BEFORE_WARNING; i++) {
            assertTrue(u.add(PulseVerdict.UNLABELLED).isEmpty(), "pulse " + i);
            assertTrue(u.add(PulseVerdict.TRAILING_EDGE).isEmpty(), "trailing edges neither count nor reset");
        }
        assertEquals(Optional.of(PulseVerdict.UNLABELLED), u.add(PulseVerdict.UNLABELLED));
        for (int i = 0; i < 100; i++) {
            assertTrue(u.add(PulseVerdict.UNCLASSIFIED).isEmpty(), "once per run");
        }
        u.add(PulseVerdict.ACCEPTED);
        for (int i = 1; i < UnusablePulses.RUN_BEFORE_WARNING; i++) {
            u.add(PulseVerdict.UNCLASSIFIED);
        }
        assertEquals(Optional.of(PulseVerdict.UNCLASSIFIED), u.add(PulseVerdict.UNCLASSIFIED), "a new run warns again");
    }
}
