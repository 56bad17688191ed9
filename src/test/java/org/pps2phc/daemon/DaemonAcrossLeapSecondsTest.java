package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.chrony.TaiUtcSource;
import org.pps2phc.config.Settings;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapSnapshot;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * The daemon across an inserted and a deleted leap second, its time of day answered every time by the hardest
 * query there is: the one inside 23:59:60 (the kernel in TIME_OOP with its offset already incremented, chrony's
 * insert still pending), or the one in the last second before a deleted one (the kernel in TIME_DEL). Every sample the NTP outputs publish must put the PHC at its true TAI and its true UTC,
 * and none may be published from 23:59:59 to 00:00:01.
 */
class DaemonAcrossLeapSecondsTest {
    private static final long S = 1_000_000_000L;
    /** 2027-01-01T00:00:00Z. */
    private static final long MIDNIGHT = 1_798_761_600L;

    private static Settings settings(Path dir) throws Exception {
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "[global]\nstatus_dir " + dir.resolve("status") + "\nlock_count 5\n[/dev/ptp9]\n");
        return Settings.load(conf);
    }

    /** The time of day as TaiUtcSource reconciles it from a kernel, chrony and a wall clock frozen at one query. */
    private static TimeOfDaySource frozenQuery(LeapSnapshot.Kernel kernel, int chronyStatus, long utcMs, Path dir) {
        TaiUtcSource taiUtc = new TaiUtcSource(() -> Optional.of(kernel), Optional.of(dir.resolve("no.list")),
                OptionalInt.empty(), Clock.fixed(Instant.ofEpochMilli(utcMs), ZoneOffset.UTC));
        return () -> TodVerdict.trusted(1e6, taiUtc.current(OptionalInt.of(chronyStatus)).state(), "test");
    }

    private static List<PhcSample> run(Path dir, LeapState truth, TimeOfDaySource tod) throws Exception {
        SampleRecorder recorder = new SampleRecorder();
        FakeHardware hw = new FakeHardware(S, truth.utcToTai((MIDNIGHT - 300) * S), truth);
        OpenDevice device = new OpenDevice(hw, hw, Optional.of(hw::crossTimestamp), "fake", hw::close);
        Settings settings = settings(dir);
        Ports ports = new Ports(PulseDevice.fixed(device), tod, List.of(new LeapWindowGuard(recorder)),
                Optional.empty(), hw::monoNanos, "fake");
        Daemon daemon = new Daemon(settings, ports, SystemdNotifier.fromEnvironment(Map.of(), 1), null,
                () -> settings);
        hw.backlog = daemon::pendingEvents;
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = runner.submit(daemon::run);
            assertTrue(Poll.until(() -> hw.utcNanos() > (MIDNIGHT + 20) * S, 60_000), "the world passes midnight");
            daemon.requestStop("test");
            assertEquals(0, exit.get(20, TimeUnit.SECONDS));
        } finally {
            runner.shutdownNow();
        }
        return recorder.published;
    }

    private static void assertEverySampleTrue(List<PhcSample> published, LeapState truth) {
        long before = published.stream().filter(p -> p.phcUtcNs() < (MIDNIGHT - 1) * S).count();
        long after = published.stream().filter(p -> p.phcUtcNs() >= (MIDNIGHT + 2) * S).count();
        assertTrue(before > 10 && after > 10, "samples on both sides of midnight: " + before + ", " + after);
        for (PhcSample p : published) {
            long utcS = Math.floorDiv(p.phcUtcNs(), S);
            assertTrue(utcS < MIDNIGHT - 1 || utcS > MIDNIGHT + 1, "published inside the leap window: " + p);
            long trueTai = truth.utcToTai(p.sysNs());
            assertTrue(Math.abs(p.phcTaiNs() - trueTai) < 1_000_000, "PHC off true TAI by "
                    + (p.phcTaiNs() - trueTai) + " ns: " + p);
            assertEquals(truth.taiToUtc(p.phcTaiNs()), p.phcUtcNs(), "UTC of " + p);
        }
    }

    @Test
    void acrossAnInsertedSecondEverySampleIsTrueOrWithheld(@TempDir Path dir) throws Exception {
        LeapState truth = new LeapState(37, Leap.INSERT, MIDNIGHT, "truth");
        TimeOfDaySource inside2359s60 = frozenQuery(new LeapSnapshot.Kernel(38, LeapSnapshot.TIME_OOP, true, false),
                1, (MIDNIGHT - 1) * 1000 + 500, dir);
        assertEverySampleTrue(run(dir, truth, inside2359s60), truth);
    }

    @Test
    void acrossADeletedSecondEverySampleIsTrueOrWithheld(@TempDir Path dir) throws Exception {
        LeapState truth = new LeapState(37, Leap.DELETE, MIDNIGHT, "truth");
        TimeOfDaySource lastSecond = frozenQuery(new LeapSnapshot.Kernel(37, LeapSnapshot.TIME_DEL, false, true),
                2, (MIDNIGHT - 2) * 1000 + 500, dir);
        assertEverySampleTrue(run(dir, truth, lastSecond), truth);
    }
}
