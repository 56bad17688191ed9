package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
    @Test
    void sendsToAnAbstractSocket() throws Exception {
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket();
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.name()), 1)) {
            assertTrue(n.enabled());
            n.notify("READY=1\nSTATUS=locked, offset 3 ns");
            assertTrue(systemd.await("STATUS=locked, offset 3 ns"::equals, 2000).isPresent());
            assertEquals(List.of("READY=1", "STATUS=locked, offset 3 ns"), systemd.lines());
        }
    }

    @Test
    void sendsToASocketPath(@TempDir Path dir) throws Exception {
        String path = dir.resolve("notify").toString();
        try (NotifyReceiver systemd = NotifyReceiver.at(path);
             SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), 1)) {
            n.notify("STOPPING=1");
            assertTrue(systemd.await("STOPPING=1"::equals, 2000).isPresent());
        }
    }

    @Test
    void withoutNotifySocketItDoesNothing() {
        SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of(), 1);
        assertFalse(n.enabled());
        n.notify("READY=1");
        assertEquals(Optional.empty(), n.watchdogInterval());
    }

    @Test
    void aVanishedSocketIsNotFatalAndDeliveryResumesWhenItIsBack(@TempDir Path dir) throws Exception {
        String path = dir.resolve("gone").toString();
        try (SystemdNotifier n = SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", path), 1)) {
            n.notify("READY=1");
            n.notify("WATCHDOG=1");
            try (NotifyReceiver systemd = NotifyReceiver.at(path)) {
                n.notify("STATUS=back");
                assertTrue(systemd.await("STATUS=back"::equals, 2000).isPresent());
                assertEquals(List.of("STATUS=back"), systemd.lines(), "nothing sent while it was gone is replayed");
            }
        }
    }

    @Test
    void watchdogPingsAtHalfTheTimeoutForThisProcessOnly() {
        assertEquals(Optional.of(Duration.ofSeconds(15)), SystemdNotifier.fromEnvironment(
                Map.of("NOTIFY_SOCKET", "@x", "WATCHDOG_USEC", "30000000"), 42).watchdogInterval());
        assertEquals(Optional.of(Duration.ofMillis(500)), SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "42"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", "43"), 42).watchdogInterval());
        assertEquals(Optional.empty(), SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "soon"), 42).watchdogInterval());
    }

    @Test
    void anAbsurdlyShortWatchdogIsClampedNotSpunOn() {
        assertEquals(Optional.of(SystemdNotifier.MIN_PING_INTERVAL), SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "1"), 42).watchdogInterval());
        assertEquals(Optional.of(SystemdNotifier.MIN_PING_INTERVAL), SystemdNotifier.fromEnvironment(
                Map.of("WATCHDOG_USEC", "150000"), 42).watchdogInterval());
        // a ping interval this short would be the loop's only work: 1 us gave 567,388 pings in 5 s
        assertTrue(SystemdNotifier.MIN_PING_INTERVAL.toMillis() >= 10);
    }
}
