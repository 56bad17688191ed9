package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.chrony.KernelTaiSource;
import org.pps2phc.cli.UserError;
import org.pps2phc.config.Settings;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;

class AssembliesTest {
    @Test
    void timeOfDayFromASilentChronydIsUntrustedNotAnError() throws Exception {
        // 11598/udp: in the daemon tests' range, with nothing listening
        Settings s = Settings.parse("t.conf", List.of("chrony_address 127.0.0.1:11598", "chrony_timeout 0.05",
                "utc_offset 37"));
        TimeOfDaySource tod = Assemblies.timeOfDay(s, KernelTaiSource.none());
        long start = System.nanoTime();
        TodVerdict v = tod.query();
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "three short attempts");
        assertFalse(v.trusted());
        assertEquals(1, v.reasons().size(), v.reasons().toString());
    }

    @Test
    void theSimulatorRefusesUnknownScenariosAndKeys() {
        assertEquals(64, assertThrows(UserError.class, () -> Assemblies.simulated("mars", List.of())).exitCode());
        assertEquals(64, assertThrows(UserError.class,
                () -> Assemblies.simulated(null, List.of("warp=9"))).exitCode());
    }
}
