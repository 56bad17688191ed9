package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.port.KernelTaiSource;
import org.pps2phc.daemon.UserError;
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
        UserError scenario = assertThrows(UserError.class, () -> Assemblies.simulated("mars", List.of(), 1, Set.of()));
        assertEquals(64, scenario.exitCode());
        assertTrue(scenario.getMessage().startsWith("unknown scenario 'mars'"), scenario.getMessage());
        UserError key = assertThrows(UserError.class, () -> Assemblies.simulated(null, List.of("warp=9"), 1, Set.of()));
        assertEquals(64, key.exitCode());
        assertTrue(key.getMessage().startsWith("unknown simulation key 'warp'"), key.getMessage());
    }

    @Test
    void theSimulatedPortsAreThePacedSimulator() throws Exception {
        Ports ports = Assemblies.simulated("i210-f9t", List.of("pps.jitter_ns=2"), 7, Set.of()).open(Settings.defaults());
        OpenDevice device = ports.device().open();
        assertEquals("sim", device.phc().name());
        assertEquals(org.pps2phc.core.EdgeMode.BOTH, device.pulses().edgeMode());
        assertEquals("simulated PHC (scenario i210-f9t, seed 7, [pps.jitter_ns=2])", ports.description());
        long t0 = ports.clock().nanos();
        Thread.sleep(50);
        long elapsed = ports.clock().nanos() - t0;
        assertTrue(elapsed >= 40_000_000L && elapsed < 2_000_000_000L, "virtual time runs at wall-clock pace: "
                + elapsed);
        device.closer().close();
    }

    @Test
    void aSimulationFeedsOnlyTheOutputsNamedForIt() throws Exception {
        Settings production = Settings.parse("pps2phc.conf", List.of("[global]", "ntpshm_segment 80",
                "sock_path /run/chrony.pps2phc.sock", "ptp4l_update 1", "[eth0]"));
        Ports ports = Assemblies.simulated(null, List.of(), 1, Set.of()).open(production);
        try {
            assertEquals(List.of(), ports.sinks());
            assertTrue(ports.keeper().isEmpty());
            assertTrue(ports.outputNames().isEmpty(), ports.outputNames().toString());
        } finally {
            ports.device().open().closer().close();
        }

        Ports shmOnly = Assemblies.simulated(null, List.of(), 1, Set.of(SimulatedOutput.NTPSHM)).open(production);
        try {
            assertEquals(List.of("ntpshm unit 80"), shmOnly.sinks().stream().map(s -> s.name()).toList());
            assertTrue(shmOnly.keeper().isEmpty());
        } finally {
            shmOnly.sinks().forEach(s -> s.close());
            shmOnly.device().open().closer().close();
            org.pps2phc.ntpshm.TestSupport.removeSegment(80);
        }

        Settings noSock = Settings.parse("lab.conf", List.of("ntpshm_segment -1"));
        UserError e = assertThrows(UserError.class,
                () -> Assemblies.simulated(null, List.of(), 1, Set.of(SimulatedOutput.SOCK)).open(noSock));
        assertEquals(64, e.exitCode());
        assertEquals("--feed sock: lab.conf sets no chrony SOCK (sock_path)", e.getMessage());
    }
}
