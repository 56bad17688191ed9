package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

class CrossCheckedTimeOfDayTest {
    private static final LeapState LEAP = LeapState.fixed(37, "test");

    private static TodVerdict receiver(long systemMinusUtcNs) {
        return TodVerdict.trusted(2e6, LEAP, "GNSS /dev/ttyS0", systemMinusUtcNs);
    }

    @Test
    void theSourceStandsUnlessATrustedCheckPutsUtcOutsideBothBounds() {
        TodVerdict chrony = TodVerdict.trusted(5e6, LEAP, "192.0.2.1");
        assertTrue(new CrossCheckedTimeOfDay(() -> receiver(3_000_000), () -> chrony, "chronyd").query().trusted(),
                "3 ms apart, within 2 + 5 + 2 ms");
        TodVerdict off = new CrossCheckedTimeOfDay(() -> receiver(-1_000_000_000L), () -> chrony, "chronyd").query();
        assertFalse(off.trusted());
        assertEquals("untrusted (GNSS /dev/ttyS0 and chronyd (192.0.2.1) disagree by 1 s: neither names a second)",
                off.summary());
        TodVerdict chronyUnsure = TodVerdict.untrusted("not synchronised", LEAP, "none");
        assertTrue(new CrossCheckedTimeOfDay(() -> receiver(-1_000_000_000L), () -> chronyUnsure, "chronyd").query()
                .trusted(), "an untrusted check checks nothing");
    }
}
