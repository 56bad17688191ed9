package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.chrony.Chronyd;

/**
 * The real chronyd (Debian package chrony, -x so it never touches the clock) reads pps2phc's samples through each
 * shipped refclock line: SHM with pps, SHM with UTC time, SHM with TAI and the tai option, and SOCK. The samples
 * put the PHC 250 us ahead of the system clock; chronyc must show that offset for every source.
 */
class ChronyConsumerTest {
    private static final int CMDPORT = 11410;
    private static final int PPS_UNIT = 40;
    private static final int TOD_UNIT = 41;
    private static final int TAI_UNIT = 42;
    /** chronyc shows system - reference: the system clock is 250 us behind the PHC. */
    private static final double EXPECTED_S = -Samples.PHC_AHEAD_NS / 1e9;
    private static final double TOLERANCE_S = 20e-6;
    private static final List<String> REFIDS = List.of("PPS0", "TOD1", "TAI2", "SOCK");

    @TempDir
    Path dir;
    private final List<AutoCloseable> sinks = new ArrayList<>();
    private Chronyd chronyd;
    private ScheduledExecutorService publisher;

    @BeforeEach
    @AfterEach
    void cleanSegments() {
        for (int unit : List.of(PPS_UNIT, TOD_UNIT, TAI_UNIT)) {
            TestSupport.removeSegment(unit);
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        if (publisher != null) {
            publisher.shutdownNow();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (chronyd != null) {
            chronyd.close();
        }
        for (AutoCloseable sink : sinks) {
            sink.close();
        }
    }

    @Test
    void chronySeesThePhcOffsetThroughEveryShippedRefclockLine() throws Exception {
        TestSupport.require("/usr/bin/chronyc", "chrony");
        Path sockPath = dir.resolve("pps2phc.sock");

        // pps2phc starts first and creates its segments (the recommended order); unit 41 is left to chronyd
        NtpShmSink pps = track(NtpShmSink.open(new NtpShmConfig(PPS_UNIT, 0600, Timescale.UTC)));
        NtpShmSink tai = track(NtpShmSink.open(new NtpShmConfig(TAI_UNIT, 0600, Timescale.TAI)));
        assertTrue(pps.createdSegment() && tai.createdSegment());
        List<SinkStatus> sockChanges = new CopyOnWriteArrayList<>();
        ChronySockSink sock = track(ChronySockSink.open(new ChronySockConfig(sockPath.toString()), sockChanges::add));

        // chronyd is not running yet: the SOCK sink keeps trying, and says so once
        for (int i = 0; i < 5; i++) {
            sock.publish(Samples.now());
        }
        assertEquals(1, sockChanges.size(), sockChanges.toString());
        assertFalse(sock.connected());
        assertTrue(sock.lastError().orElseThrow().contains("chronyd is not listening"), sock.lastError().get());
        assertTrue(sock.lastError().get().contains(sockPath.toString()), sock.lastError().get());

        chronyd = Chronyd.start(dir, CMDPORT, chronyConf(sockPath));
        TestSupport.await(20, 100, () -> Files.exists(sockPath) && SysvShmCalls.LIBC.shmget(
                NtpShmConfig.key(TOD_UNIT), 0, 0) >= 0 ? null
                : "chronyd did not create its SOCK socket and SHM 41; log: " + chronyd.log());

        NtpShmSink tod = track(NtpShmSink.open(new NtpShmConfig(TOD_UNIT)));
        assertFalse(tod.createdSegment(), "chronyd created unit 41 first");
        assertEquals(0600, tod.segmentInfo().mode());

        List<org.pps2phc.core.port.SampleSink> all = List.of(pps, tod, tai, sock);
        publisher = Executors.newSingleThreadScheduledExecutor();
        publisher.scheduleAtFixedRate(() -> {
            var sample = Samples.now();
            all.forEach(s -> s.publish(sample));
        }, 0, 1, TimeUnit.SECONDS);

        String[] last = {""};
        TestSupport.await(90, 1000, () -> {
            String problem = TestSupport.checkChronycOffsets(CMDPORT, REFIDS, EXPECTED_S, TOLERANCE_S, last);
            return problem == null ? null : problem + "\n" + last[0];
        });
        assertTrue(sock.connected());
        assertEquals(2, sockChanges.size(), "absent once, then delivering once: " + sockChanges);
        assertTrue(sockChanges.get(1).delivering());
    }

    private <T extends AutoCloseable> T track(T sink) {
        sinks.add(sink);
        return sink;
    }

    /** The shipped refclock lines, on the test's units, socket and refids, all noselect (see below). */
    /** The refclock lines under test, after {@link Chronyd}'s isolating ones. */
    private String[] chronyConf(Path sockPath) throws Exception {
        return new String[] {
            "logdir " + dir, "log refclocks",
            // the local reference makes chrony "synchronised", which pps refclocks without lock need; noselect
            // keeps every refclock out of selection, so no (virtual, -x) correction shifts the offsets chronyc shows
            "local stratum 10",
            TestSupport.adaptChronyConf("chrony-pps2phc-shm.conf", "SHM 0", "SHM " + PPS_UNIT, "PPS0"),
            TestSupport.adaptChronyConf("chrony-pps2phc-shm-tod.conf", "SHM 0", "SHM " + TOD_UNIT, "TOD1"),
            TestSupport.adaptChronyConf("chrony-pps2phc-shm-tai.conf", "SHM 0", "SHM " + TAI_UNIT, "TAI2"),
            TestSupport.adaptChronyConf("chrony-pps2phc-sock.conf", "/run/chrony.pps2phc.sock", sockPath.toString(),
                    "SOCK")};
    }

}
