package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte layouts pps2phc writes, against the C structs as gcc lays them out on this machine. */
class RefclockAbiTest {
    private static final int UNIT = 46;
    private static final long NS = 1_000_000_000L;

    @TempDir
    static Path dir;
    private static Path probe;

    @BeforeAll
    static void compile() throws Exception {
        probe = TestSupport.compileAbiProbe(dir);
    }

    @BeforeEach
    @AfterEach
    void clean() {
        TestSupport.removeSegment(UNIT);
    }

    private static Map<String, Long> fields(TestSupport.Result r) {
        assertEquals(0, r.code(), r.output());
        Map<String, Long> m = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[1].matches("-?[0-9]+")) {
                m.put(f[0], Long.parseLong(f[1]));
            } else if (f.length == 2) {
                m.put(f[0] + ".text", 0L);
            }
        }
        return m;
    }

    @Test
    void javaOffsetsMatchTheCStructs() throws Exception {
        Map<String, Long> c = fields(TestSupport.run(10, probe.toString(), "layout"));
        assertEquals(ShmTime.SIZE, c.get("shmTime.size"));
        assertEquals(ShmTime.MODE, c.get("shmTime.mode"));
        assertEquals(ShmTime.COUNT, c.get("shmTime.count"));
        assertEquals(ShmTime.CLOCK_SEC, c.get("shmTime.clockTimeStampSec"));
        assertEquals(ShmTime.CLOCK_USEC, c.get("shmTime.clockTimeStampUSec"));
        assertEquals(ShmTime.RECEIVE_SEC, c.get("shmTime.receiveTimeStampSec"));
        assertEquals(ShmTime.RECEIVE_USEC, c.get("shmTime.receiveTimeStampUSec"));
        assertEquals(ShmTime.LEAP, c.get("shmTime.leap"));
        assertEquals(ShmTime.PRECISION, c.get("shmTime.precision"));
        assertEquals(ShmTime.NSAMPLES, c.get("shmTime.nsamples"));
        assertEquals(ShmTime.VALID, c.get("shmTime.valid"));
        assertEquals(ShmTime.CLOCK_NSEC, c.get("shmTime.clockTimeStampNSec"));
        assertEquals(ShmTime.RECEIVE_NSEC, c.get("shmTime.receiveTimeStampNSec"));

        assertEquals(SockSample.SIZE, c.get("sock_sample.size"));
        assertEquals(SockSample.TV_SEC, c.get("sock_sample.tv_sec"));
        assertEquals(SockSample.TV_USEC, c.get("sock_sample.tv_usec"));
        assertEquals(SockSample.OFFSET, c.get("sock_sample.offset"));
        assertEquals(SockSample.PULSE, c.get("sock_sample.pulse"));
        assertEquals(SockSample.LEAP, c.get("sock_sample.leap"));
        assertEquals(SockSample.PAD, c.get("sock_sample._pad"));
        assertEquals(SockSample.MAGIC, c.get("sock_sample.magic"));

        assertEquals(SysvShmCalls.SHMID_DS_SIZE, c.get("shmid_ds.size"));
        assertEquals(SysvShmCalls.SHMID_DS_UID, c.get("shmid_ds.uid"));
        assertEquals(SysvShmCalls.SHMID_DS_MODE, c.get("shmid_ds.mode"));
        assertEquals(4, c.get("shmid_ds.mode_size"), "mode is read as a 32-bit int (low 16 bits on x86_64)");
        assertEquals(SysvShmCalls.SHMID_DS_SEGSZ, c.get("shmid_ds.shm_segsz"));
        assertEquals(SysvShmCalls.SHMID_DS_NATTCH, c.get("shmid_ds.shm_nattch"));
        assertEquals(8, c.get("shmid_ds.nattch_size"));
        assertEquals(SysvShmCalls.IPC_CREAT, c.get("IPC_CREAT"));
        assertEquals(SysvShmCalls.IPC_EXCL, c.get("IPC_EXCL"));
        assertEquals(SysvShmCalls.IPC_STAT, c.get("IPC_STAT"));
        assertEquals(SysvShmCalls.IPC_RMID, c.get("IPC_RMID"));
    }

    @Test
    void aPublishedSampleReadsBackThroughTheCStruct() throws Exception {
        long sys = 1_790_000_000L * NS + 987_654_321L;
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(UNIT))) {
            sink.publish(Samples.at(sys));
            Map<String, Long> c = fields(TestSupport.run(10, probe.toString(), "peek",
                    Integer.toHexString(NtpShmConfig.key(UNIT))));
            assertEquals(1L, c.get("mode"));
            assertEquals(1L, c.get("valid"));
            assertEquals(0L, c.get("count") % 2, "count is even between writes");
            assertEquals(1_790_000_000L, c.get("receiveSec"));
            assertEquals(987_654_321L, c.get("receiveNSec"));
            assertEquals(987_654L, c.get("receiveUSec"));
            assertEquals(1_790_000_000L, c.get("clockSec"), "UTC: the 37 TAI seconds are gone");
            assertEquals(987_904_321L, c.get("clockNSec"), "PHC(UTC) = system + 250 us");
            assertEquals(987_904L, c.get("clockUSec"));
            assertEquals(0L, c.get("leap"));
            assertEquals(ShmTime.precision(Samples.BRACKET_NS), (long) c.get("precision"));
            assertEquals(-21L, c.get("precision"), "400 ns bracket: 2^-22 s = 238 ns < 400 ns <= 2^-21 s = 477 ns");

            sink.withdraw();
            Map<String, Long> after = fields(TestSupport.run(10, probe.toString(), "peek",
                    Integer.toHexString(NtpShmConfig.key(UNIT))));
            assertEquals(0L, after.get("valid"), "withdrawn: nothing a reader could take as fresh");
        }
    }

    @Test
    void aReaderRacingTheWriterNeverAcceptsATornSample() throws Exception {
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(UNIT))) {
            Process reader = new ProcessBuilder(probe.toString(), "race", Integer.toHexString(NtpShmConfig.key(UNIT)),
                    "3000", Long.toString(Samples.PHC_AHEAD_NS)).redirectErrorStream(true).start();
            try {
                long sys = 1_790_000_000L * NS;
                long written = 0;
                while (reader.isAlive()) {
                    // every sample has different seconds, nanoseconds and microseconds, so a torn copy shows
                    sys += 1_000_123_457L;
                    sink.publish(Samples.at(sys));
                    written++;
                }
                int code = reader.waitFor();
                String out = new String(reader.getInputStream().readAllBytes());
                Map<String, Long> r = fields(new TestSupport.Result(code, out));
                assertEquals(0L, r.get("bad"), "a copy that passed the count check was torn: " + out);
                // on a loaded machine reader and writer may rarely run at the same time; a few dozen samples are
                // still enough to catch a writer that does not mark its writes (torn copies by the thousand)
                assertTrue(r.get("samples") >= 50, "the reader saw too few distinct samples to mean much: " + r
                        + ", written " + written);
            } finally {
                reader.destroyForcibly();
            }
        }
    }

    @Test
    void aSockDatagramDecodesAsTheCStruct() throws Exception {
        long sys = 1_790_000_000L * NS + 987_654_321L;
        byte[] datagram = SockSample.of(Samples.at(sys), Timescale.UTC).encode();
        TestSupport.Result r = TestSupport.run(10, datagram, probe.toString(), "sock");
        assertEquals(0, r.code(), r.output());
        Map<String, String> m = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(" ");
            m.put(f[0], f[1]);
        }
        assertEquals("1790000000", m.get("tv_sec"));
        assertEquals("987654", m.get("tv_usec"));
        assertEquals(250.321e-6, Double.parseDouble(m.get("offset")), 1e-12);
        assertEquals("0", m.get("pulse"));
        assertEquals("0", m.get("leap"));
        assertEquals("534f434b", m.get("magic"));
    }
}
