package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.config.Settings;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.os.UnixDatagramSocket;
import org.pps2phc.ptp4l.ManagementAction;
import org.pps2phc.ptp4l.ManagementCodec;
import org.pps2phc.ptp4l.ManagementId;
import org.pps2phc.ptp4l.ManagementReply;

/**
 * The daemon under faults (issue 10, traps 5 to 7): bugs in the loop or a worker, stuck workers, a time of day
 * that stops answering, a device that comes and goes. Each fault is followed through to what systemd, ptp4l and
 * the outputs see.
 */
class DaemonFaultsTest {
    private static final long MS = 1_000_000L;
    /** Short limits so that a stuck worker or a reopen shows within a test; stop bounds as in production. */
    private static final Daemon.Timing FAST = new Daemon.Timing(600 * MS, 600 * MS, 1500, 500, 50 * MS, 200 * MS);
    private static final TodVerdict TRUSTED = TodVerdict.trusted(1e6, LeapState.fixed(37, "test"), "test");

    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    /** What the stop did, in order: "ptp4l not in sync", "withdraw", "disarm". */
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopRunner() {
        runner.shutdownNow();
    }

    private final class Sink implements SampleSink {
        volatile int published;

        @Override
        public String name() {
            return "sink";
        }

        @Override
        public void publish(PhcSample sample) {
            published++;
        }

        @Override
        public void withdraw() {
            events.add("withdraw");
        }

        @Override
        public void close() {
        }
    }

    private final class Keeper implements Ptp4lUpdater {
        @Override
        public String name() {
            return "ptp4l (fake)";
        }

        @Override
        public void update(Snapshot snapshot) {
        }

        @Override
        public void close() {
            events.add("ptp4l not in sync");
        }
    }

    /** The device as the kernel shows it: present or not, each opening a fresh FakeHardware. */
    private static final class Device implements PulseDevice {
        static final class Gone extends ClockException {
            Gone() {
                super("/dev/ptp9: read failed: ENODEV (No such device)");
            }
        }

        volatile boolean present = true;
        final List<FakeHardware> openings = new CopyOnWriteArrayList<>();
        volatile java.util.function.IntSupplier backlog = () -> 0;

        @Override
        public String name() {
            return "/dev/ptp9";
        }

        @Override
        public OpenDevice open() throws ClockException {
            if (!present) {
                throw new ClockException("/dev/ptp9: no such PTP hardware clock (ENOENT)");
            }
            // one virtual monotonic clock across openings, as CLOCK_MONOTONIC is
            FakeHardware hw = openings.isEmpty() ? new FakeHardware()
                    : new FakeHardware(last().monoNanos() + 10 * FakeHardware.SECOND);
            hw.backlog = backlog;
            openings.add(hw);
            return new OpenDevice(hw, hw, Optional.of(hw::crossTimestamp), "fake", hw::close);
        }

        @Override
        public boolean gone(ClockException failure) {
            return failure instanceof Gone;
        }

        FakeHardware last() {
            return openings.get(openings.size() - 1);
        }

        long monoNanos() {
            return openings.isEmpty() ? FakeHardware.SECOND : last().monoNanos();
        }
    }

    private static Settings settings(Path dir, String extra) throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "[global]\nstatus_dir " + dir.resolve("status") + "\nlock_count 5\n" + extra
                + "[/dev/ptp9]\n");
        return Settings.load(conf);
    }

    private static String status(Path dir) {
        try {
            return Files.readString(dir.resolve("status").resolve(StatusFile.NAME));
        } catch (Exception e) {
            return "";
        }
    }

    private static boolean locked(Path dir) {
        return status(dir).contains("\"state\": \"locked\"");
    }

    private Daemon daemon(Settings settings, Device device, TimeOfDaySource tod, Optional<Ptp4lUpdater> keeper,
                          SystemdNotifier systemd) {
        Ports ports = new Ports(device, tod, List.of(new Sink()), keeper, device::monoNanos,
                "fake /dev/ptp9");
        return new Daemon(settings, ports, systemd, null, () -> settings, FAST);
    }

    private Daemon daemon(Settings settings, FakeHardware hw, Optional<Ptp4lUpdater> keeper, SystemdNotifier systemd) {
        hw.events = events::add;
        OpenDevice open = new OpenDevice(hw, hw, Optional.of(hw::crossTimestamp), "fake", hw::close);
        Ports ports = new Ports(PulseDevice.fixed(open), () -> TRUSTED, List.of(new Sink()), keeper, hw::monoNanos,
                "fake /dev/ptp9");
        Daemon d = new Daemon(settings, ports, systemd, null, () -> settings, FAST);
        hw.backlog = d::pendingEvents;
        return d;
    }

    /** What the orderly stop must have done, in this order, after the given point of {@link #events}. */
    private void assertOrderlyStopAfter(int from) {
        List<String> stop = new ArrayList<>(events.subList(from, events.size()));
        assertEquals("ptp4l not in sync", stop.get(0), "ptp4l is told first: " + stop);
        assertTrue(stop.indexOf("withdraw") > 0, "outputs withdrawn: " + stop);
        assertTrue(stop.indexOf("disarm") > stop.indexOf("withdraw"), "extts disarmed last: " + stop);
    }

    /**
     * ptp4l that reads every request and answers none: it records the clockClass of each GRANDMASTER_SETTINGS_NP
     * SET as "ptp4l SET class N".
     */
    private final class DeafPtp4l implements AutoCloseable {
        private final UnixDatagramSocket socket;
        private final Thread thread;
        private volatile boolean closed;

        DeafPtp4l(String path) throws Exception {
            socket = UnixDatagramSocket.bound(path);
            thread = new Thread(this::listen, "deaf ptp4l");
            thread.setDaemon(true);
            thread.start();
        }

        private void listen() {
            while (!closed) {
                try {
                    Optional<byte[]> d = socket.receive(1500, 50);
                    if (d.isPresent()) {
                        ManagementReply m = ManagementCodec.decode(d.get());
                        if (m.action() == ManagementAction.SET.code()
                                && m.managementId() == ManagementId.GRANDMASTER_SETTINGS_NP.code()) {
                            events.add("ptp4l SET class " + (m.data()[0] & 0xff));
                        }
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            thread.join(1000);
            socket.close();
        }
    }

    @Test
    void atStopAPtp4lThatDoesNotAnswerIsToldNotInSyncFirstAndTheStopIsBounded(@TempDir Path dir) throws Exception {
        String uds = dir.resolve("ptp4l").toString();
        Settings settings = settings(dir, "ptp4l_update 1\nuds_address " + uds + "\nptp4l_client_address "
                + dir.resolve("pps2phc.pmc") + "\n");
        FakeHardware hw = new FakeHardware();
        try (DeafPtp4l ptp4l = new DeafPtp4l(uds)) {
            Optional<Ptp4lUpdater> keeper = Assemblies.ptp4l(settings);
            Daemon d = daemon(settings, hw, keeper, SystemdNotifier.fromEnvironment(Map.of(), 1));
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(Poll.until(() -> events.contains("ptp4l SET class 6"), 30_000),
                    "locked, and ptp4l is asked for class 6 (unanswered): " + events);
            int before = events.size();
            long asked = System.nanoTime();
            d.requestStop("test");
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
            long tookNs = System.nanoTime() - asked;
            List<String> stop = new ArrayList<>(events.subList(before, events.size()));
            int notInSync = stop.indexOf("ptp4l SET class 248");
            assertTrue(notInSync >= 0, "ptp4l told not in sync: " + stop);
            assertTrue(notInSync < stop.indexOf("withdraw") && stop.indexOf("withdraw") < stop.indexOf("disarm"),
                    "ptp4l first, then the outputs, then extts: " + stop);
            assertTrue(tookNs < SystemdUnitTest.TIMEOUT_STOP_S * 1_000_000_000L / 2,
                    "the stop takes well under the unit's TimeoutStopSec: " + tookNs / 1e6 + " ms");
        }
    }

    @Test
    void aRuntimeExceptionInTheLoopRunsTheOrderlyStopAndExits70(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Daemon d = daemon(settings(dir, ""), hw, Optional.of(new Keeper()),
                    SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.name()), 1));
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(Poll.until(() -> hw.frequencyCalls.get() > 2, 20_000), "the loop steers the PHC");
            int before = events.size();
            hw.frequencyFault = new IllegalArgumentException("frequency adjustment is NaN");
            assertEquals(ExitCodes.SOFTWARE, exit.get(20, TimeUnit.SECONDS));
            assertTrue(systemd.await("STOPPING=1"::equals, 5000).isPresent(), systemd.lines().toString());
            assertOrderlyStopAfter(before);
        }
    }

    @Test
    void anErrorInThePulseReaderRunsTheOrderlyStopAndExits70(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Daemon d = daemon(settings(dir, ""), hw, Optional.of(new Keeper()),
                    SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.name()), 1));
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(systemd.await("READY=1"::equals, 20_000).isPresent());
            int before = events.size();
            hw.readError = new StackOverflowError("in the pulse reader");
            assertEquals(ExitCodes.SOFTWARE, exit.get(20, TimeUnit.SECONDS));
            assertTrue(systemd.await("STOPPING=1"::equals, 5000).isPresent());
            assertOrderlyStopAfter(before);
        }
    }

    @Test
    void aStuckPulseReaderStopsTheWatchdogPings(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Daemon d = daemon(settings(dir, ""), hw, Optional.empty(), SystemdNotifier.fromEnvironment(
                    Map.of("NOTIFY_SOCKET", systemd.name(), "WATCHDOG_USEC", "200000"), 1));
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(systemd.awaitCount("WATCHDOG=1"::equals, 3, 20_000), "pings while the reader runs");
            hw.stuck = true;
            // 600 ms without progress makes the reader stuck; from then on no ping (every 100 ms before)
            assertTrue(Poll.until(() -> quietFor(systemd, 1500), 30_000), "the pings stop: " + systemd.lines());
            hw.stuck = false;
            assertTrue(systemd.awaitCount("WATCHDOG=1"::equals, (int) systemd.count("WATCHDOG=1"::equals) + 2,
                    20_000), "progress again: pings again");
            d.requestStop("test");
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        }
    }

    /** A reader blocked in the kernel does not see the interrupt: the stop wakes it, before it disarms. */
    @Test
    void theStopWakesAPulseReaderBlockedInTheKernel(@TempDir Path dir) throws Exception {
        FakeHardware hw = new FakeHardware();
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Daemon d = daemon(settings(dir, ""), hw, Optional.empty(),
                    SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.name()), 1));
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(systemd.await("READY=1"::equals, 20_000).isPresent());
            hw.inKernel = true;
            assertTrue(Poll.until(() -> hw.blockedInKernel, 20_000), "the reader blocks");
            int before = events.size();
            d.requestStop("test");
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
            List<String> stop = new ArrayList<>(events.subList(before, events.size()));
            assertTrue(stop.contains("reader woken") && stop.indexOf("reader woken") < stop.indexOf("disarm"),
                    "the reader is woken and ends before extts is disarmed: " + stop);
        }
    }

    /** No WATCHDOG=1 arrived in the last {@code ms}. */
    private static boolean quietFor(NotifyReceiver systemd, long ms) {
        long lastPing = systemd.messages().stream().filter(m -> m.text().contains("WATCHDOG=1"))
                .mapToLong(NotifyReceiver.Message::atNanos).max().orElse(0);
        return System.nanoTime() - lastPing > ms * MS;
    }

    @Test
    void aTimeOfDayVerdictOlderThanTodMaxAgeIsUntrusted(@TempDir Path dir) throws Exception {
        CountDownLatch answered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TimeOfDaySource stalls = () -> {
            if (answered.getCount() == 0) {
                try {
                    release.await(); // chronyd stopped answering, and the poller with it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answered.countDown();
            return TRUSTED;
        };
        Device device = new Device();
        Settings settings = settings(dir, "tod_max_age 3\n");
        Daemon d = daemon(settings, device, stalls, Optional.empty(), SystemdNotifier.fromEnvironment(Map.of(), 1));
        device.backlog = d::pendingEvents;
        Future<Integer> exit = runner.submit(d::run);
        try {
            assertTrue(Poll.until(() -> status(dir).contains("\"todTrusted\": true"), 20_000), status(dir));
            assertTrue(Poll.until(() -> status(dir).contains("\"todTrusted\": false"), 20_000), status(dir));
            assertTrue(status(dir).contains("s old (tod_max_age 3 s)"), status(dir));
        } finally {
            release.countDown();
        }
        d.requestStop("test");
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void aDeviceAbsentAtStartOrGoneWhileRunningIsReopenedAndTheDaemonStaysUp(@TempDir Path dir) throws Exception {
        Device device = new Device();
        device.present = false;
        try (NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Daemon d = daemon(settings(dir, ""), device, () -> TRUSTED, Optional.of(new Keeper()),
                    SystemdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", systemd.name()), 1));
            device.backlog = d::pendingEvents;
            Future<Integer> exit = runner.submit(d::run);
            assertTrue(systemd.await("READY=1"::equals, 20_000).isPresent(), "up without the device");
            assertTrue(Poll.until(() -> status(dir).contains("\"state\": \"free-running\""), 20_000), status(dir));
            assertTrue(device.openings.isEmpty());

            device.present = true; // udev made the node
            assertTrue(Poll.until(() -> locked(dir), 30_000), "opened and locked: " + status(dir));
            FakeHardware first = device.last();

            device.present = false;
            first.gone = new Device.Gone(); // the NIC is reset
            assertTrue(Poll.until(() -> status(dir).contains("\"state\": \"free-running\""), 20_000), status(dir));
            assertTrue(first.closed, "the vanished device is closed");
            assertTrue(events.contains("withdraw"), "outputs withdrawn");
            assertFalse(exit.isDone(), "the daemon stays up");

            device.present = true; // a new device node
            assertTrue(Poll.until(() -> device.openings.size() == 2 && locked(dir), 30_000),
                    "reopened and locked again: " + status(dir));
            assertTrue(device.last().frequencyCalls.get() > 0, "the new device is steered");
            d.requestStop("test");
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
            assertTrue(device.last().closed, "extts disarmed at stop");
        }
    }
}
