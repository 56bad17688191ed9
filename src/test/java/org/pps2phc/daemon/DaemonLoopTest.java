package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.config.Settings;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.SampleSink;

class DaemonLoopTest {
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRunner() {
        runner.shutdownNow();
    }

    static final class RecordingSink implements SampleSink {
        final AtomicInteger published = new AtomicInteger();
        final AtomicInteger withdrawn = new AtomicInteger();
        volatile boolean closed;

        @Override
        public String name() {
            return "test-sink";
        }

        @Override
        public void publish(PhcSample sample) {
            published.incrementAndGet();
        }

        @Override
        public void withdraw() {
            withdrawn.incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Blocks forever in its first update, like a keeper whose ptp4l stopped answering. */
    static final class StuckKeeper implements Ptp4lUpdater {
        final CountDownLatch entered = new CountDownLatch(1);
        volatile boolean closed;

        @Override
        public String name() {
            return "ptp4l (stuck)";
        }

        @Override
        public void update(Snapshot snapshot) throws InterruptedException {
            entered.countDown();
            Thread.sleep(Long.MAX_VALUE);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static Settings settings(Path dir) throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "[global]\nstatus_dir " + dir.resolve("status") + "\nlock_count 5\n"
                + "summary_interval 1\n[/dev/ptp9]\n");
        return Settings.load(conf);
    }

    private static Ports ports(FakeHardware hw, RecordingSink sink, Optional<Ptp4lUpdater> keeper) {
        TodVerdict trusted = TodVerdict.trusted(1e6, LeapState.fixed(37, "test"), "test");
        OpenDevice device = new OpenDevice(hw, hw, Optional.of(hw::crossTimestamp), "fake", hw::close);
        return new Ports(PulseDevice.fixed(device), () -> trusted, List.of(sink), keeper, hw::monoNanos,
                "fake PHC /dev/ptp9");
    }

    private static String status(Path dir) {
        try {
            return Files.readString(dir.resolve("status").resolve(StatusFile.NAME));
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void locksPublishesNotifiesAndStopsCleanly(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        RecordingSink sink = new RecordingSink();
        StuckKeeper keeper = new StuckKeeper();
        Settings settings = settings(dir);
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            SystemdNotifier notifier = SystemdNotifier.fromEnvironment(
                    Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "400000"), 1);
            Daemon daemon = new Daemon(settings, ports(hw, sink, Optional.of(keeper)), notifier, null,
                    () -> settings);
            hw.backlog = daemon::pendingEvents;
            Future<Integer> exit = runner.submit(daemon::run);

            assertTrue(systemd.await("READY=1"::equals, 30_000).isPresent(), "READY=1 within TimeoutStartSec");
            assertTrue(Poll.until(() -> status(dir).contains("\"state\": \"locked\""), 10_000),
                    "locked within 10 s: " + status(dir));
            assertTrue(hw.frequencyCalls.get() > 5, "the loop steers the PHC");
            assertTrue(sink.published.get() > 0, "samples reach the sink once locked");
            assertTrue(keeper.entered.await(3, TimeUnit.SECONDS), "the ptp4l worker gets snapshots");
            // The keeper is stuck in ptp4l, yet the loop goes on: the status keeps being rewritten.
            String before = status(dir);
            assertTrue(Poll.until(() -> !status(dir).equals(before) && !status(dir).isEmpty(), 3000),
                    "status still updated while the keeper blocks");
            assertTrue(systemd.awaitCount(l -> l.equals("WATCHDOG=1"), 3, 3000), "watchdog pings");
            assertTrue(systemd.await(l -> l.startsWith("STATUS=locked, offset "), 3000).isPresent(),
                    systemd.lines().toString());
            assertTrue(status(dir).contains("\"outputs\": [\"test-sink\", \"ptp4l (stuck)\"]"), status(dir));

            long stopAsked = System.nanoTime();
            daemon.requestStop("test");
            assertEquals(0, exit.get(SystemdUnitTest.TIMEOUT_STOP_S, TimeUnit.SECONDS));
            // the keeper is stuck in ptp4l: its bound (1.5 s) and the other joins (0.5 s each) run out
            assertTrue(System.nanoTime() - stopAsked < SystemdUnitTest.TIMEOUT_STOP_S * 1_000_000_000L / 2,
                    "the stop takes well under TimeoutStopSec");
            assertTrue(hw.closed, "extts disarmed");
            assertTrue(sink.closed, "sink closed");
            assertTrue(sink.withdrawn.get() > 0, "sink withdrawn");
            assertTrue(keeper.closed, "keeper closed");
            assertTrue(systemd.await("STOPPING=1"::equals, 1000).isPresent());
            assertFalse(Files.exists(dir.resolve("status").resolve(StatusFile.NAME)), "status file removed");
        }
    }

    @Test
    void lostPulsesLeadToHoldover(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        RecordingSink sink = new RecordingSink();
        Settings settings = settings(dir);
        Daemon daemon = new Daemon(settings, ports(hw, sink, Optional.empty()),
                SystemdNotifier.fromEnvironment(Map.of(), 1), null, () -> settings);
        hw.backlog = daemon::pendingEvents;
        Future<Integer> exit = runner.submit(daemon::run);
        assertTrue(Poll.until(() -> status(dir).contains("\"state\": \"locked\""), 10_000), status(dir));
        hw.silent = true;
        assertTrue(Poll.until(() -> status(dir).contains("\"state\": \"holdover\""), 5000), status(dir));
        daemon.requestStop("test");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aFailingPulseSourceEndsTheDaemonWithIoErr(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        Settings settings = settings(dir);
        Daemon daemon = new Daemon(settings, ports(hw, new RecordingSink(), Optional.empty()),
                SystemdNotifier.fromEnvironment(Map.of(), 1), null, () -> settings);
        hw.backlog = daemon::pendingEvents;
        Future<Integer> exit = runner.submit(daemon::run);
        assertTrue(Poll.until(() -> !status(dir).isEmpty(), 3000));
        hw.failure = "/dev/ptp9: read failed: No such device";
        assertEquals(74, exit.get(20, TimeUnit.SECONDS));
        assertTrue(hw.closed);
    }
}
