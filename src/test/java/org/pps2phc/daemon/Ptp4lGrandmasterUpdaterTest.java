package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.daemon.UserError;
import org.pps2phc.config.Settings;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;

class Ptp4lGrandmasterUpdaterTest {
    @Test
    void offUnlessPtp4lUpdateIsSet() {
        assertTrue(Assemblies.ptp4l(Settings.defaults()).isEmpty());
    }

    @Test
    void settingsThePolicyRefusesAreAConfigError() throws Exception {
        Settings s = Settings.parse("p.conf", List.of("ptp4l_update 1", "clock_class_locked 7",
                "clock_class_holdover 7"));
        UserError e = assertThrows(UserError.class, () -> Assemblies.ptp4l(s));
        assertEquals(78, e.exitCode());
        assertTrue(e.getMessage().startsWith("ptp4l settings: "), e.getMessage());
    }

    @Test
    void aMissingPtp4lIsNeitherFatalNorBlocking(@TempDir Path dir) throws Exception {
        Settings s = Settings.parse("p.conf", List.of("ptp4l_update 1", "uds_address " + dir.resolve("no-ptp4l")));
        Ptp4lUpdater updater = Assemblies.ptp4l(s).orElseThrow();
        assertEquals("ptp4l " + dir.resolve("no-ptp4l"), updater.name());
        Snapshot snap = new Snapshot(State.LOCKED, 1, 3, 100, TodVerdict.unknown(LeapState.fixed(37, "t")), 0, 1, 0,
                0, 0, EdgeMode.SINGLE, -1, "pi-linuxptp", Double.NaN, "anchored");
        long start = System.nanoTime();
        assertTrue(updater.lastAnnouncement().isEmpty(), "nothing tried yet");
        updater.update(snap);
        updater.update(snap);
        assertEquals(new Ptp4lUpdater.Announcement(6, false), updater.lastAnnouncement().orElseThrow(),
                "the locked class was tried, and nobody confirmed it");
        updater.close();
        assertTrue(System.nanoTime() - start < 3_000_000_000L, "each call returns within about a reply timeout");
    }

    @Test
    void ptp4lClientAddressIsAPathBoundWhileOpen(@TempDir Path dir) throws Exception {
        Path reply = dir.resolve("pps2phc.ptp4l");
        Settings s = Settings.parse("p.conf", List.of("ptp4l_update 1", "uds_address " + dir.resolve("ptp4l"),
                "ptp4l_client_address " + reply));
        Ptp4lUpdater updater = Assemblies.ptp4l(s).orElseThrow();
        assertTrue(Files.exists(reply), "bound at " + reply);
        updater.close();
        assertTrue(Files.notExists(reply), "removed on close");

        Settings same = Settings.parse("p.conf", List.of("ptp4l_update 1", "uds_address " + reply,
                "ptp4l_client_address " + reply));
        UserError e = assertThrows(UserError.class, () -> Assemblies.ptp4l(same));
        assertEquals(78, e.exitCode());
        assertEquals("ptp4l settings: the client address must differ from ptp4l's uds_address " + reply,
                e.getMessage());
    }
}
