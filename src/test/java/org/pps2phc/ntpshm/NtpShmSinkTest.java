package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, attaching to and leaving real SysV segments, and the message a user gets when one is not theirs. */
class NtpShmSinkTest {
    private static final int CREATE_UNIT = 47;
    private static final int FOREIGN_UNIT = 48;
    private static final int ROOT_UNIT = 49;
    private static final int NOBODY = 65534;

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
        for (int unit : List.of(CREATE_UNIT, FOREIGN_UNIT, ROOT_UNIT)) {
            TestSupport.removeSegment(unit);
        }
    }

    private Map<String, Long> peek(int unit) throws Exception {
        TestSupport.Result r = TestSupport.run(10, probe.toString(), "peek", Integer.toHexString(NtpShmConfig.key(unit)));
        assertEquals(0, r.code(), r.output());
        Map<String, Long> m = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split(" ");
            m.put(f[0], Long.parseLong(f[1]));
        }
        return m;
    }

    @Test
    void createsTheSegmentWithTheConfiguredPermissions() throws Exception {
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(CREATE_UNIT, 0640, Timescale.UTC))) {
            assertTrue(sink.createdSegment());
            SegmentInfo info = sink.segmentInfo();
            assertEquals(0640, info.mode());
            assertEquals(0, info.ownerUid());
            assertEquals("root", info.owner());
            assertEquals(96, info.size());
            assertEquals(1, info.attached());
            assertFalse(info.writableByOthers());
            assertEquals("unit 47 (key 0x4e54505f, owner root uid 0, mode 0640)", info.describe());
            assertEquals(0L, peek(CREATE_UNIT).get("valid"), "a new segment holds no valid sample");
        }
    }

    @Test
    void attachesToASegmentSomeoneElseCreatedAndClearsItsStaleSample() throws Exception {
        // another process (chronyd, ntpd, an earlier run) made it: here user nobody, mode 0600
        TestSupport.require("/usr/bin/setpriv", "util-linux");
        TestSupport.Result made = TestSupport.run(10, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", probe.toString(), "create", Integer.toHexString(NtpShmConfig.key(FOREIGN_UNIT)), "600");
        assertEquals(0, made.code(), made.output());
        try (NtpShmSink first = NtpShmSink.open(new NtpShmConfig(FOREIGN_UNIT))) {
            first.publish(Samples.now());
            assertEquals(1L, peek(FOREIGN_UNIT).get("valid"));
        }
        assertEquals(0L, peek(FOREIGN_UNIT).get("valid"), "close withdraws the sample");
        // a fresh writer finds the segment as the last one left it, and still marks it invalid at open
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(FOREIGN_UNIT))) {
            assertFalse(sink.createdSegment());
            SegmentInfo info = sink.segmentInfo();
            assertEquals(NOBODY, info.ownerUid());
            assertEquals(0600, info.mode());
            assertEquals(0L, peek(FOREIGN_UNIT).get("valid"));
            sink.publish(Samples.now());
            assertEquals(1L, peek(FOREIGN_UNIT).get("valid"));
        }
        assertTrue(SysvShmCalls.LIBC.shmget(NtpShmConfig.key(FOREIGN_UNIT), 0, 0) >= 0,
                "the segment outlives the writer: consumers stay attached to it");
    }

    @Test
    void aSegmentOwnedByAnotherUserIsOneClearMessage() throws Exception {
        TestSupport.require("/usr/bin/setpriv", "util-linux");
        try (NtpShmSink rootOwned = NtpShmSink.open(new NtpShmConfig(ROOT_UNIT))) {
            assertTrue(rootOwned.createdSegment());
            // the same code, run as user nobody, in a JVM of its own
            Path cp = dir.resolve("cp");
            copyTree(codeSource(NtpShmSink.class), cp.resolve("classes"));
            copyTree(codeSource(OpenSegmentMain.class), cp.resolve("test-classes"));
            Path jna = codeSource(Native.class);
            Files.copy(jna, cp.resolve("jna.jar"));
            Path jnaTmp = Files.createDirectories(cp.resolve("jnatmp"));
            TestSupport.run(10, "chmod", "-R", "a+rwX", dir.toString());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = cp.resolve("classes") + ":" + cp.resolve("test-classes") + ":" + cp.resolve("jna.jar");
            TestSupport.Result r = TestSupport.run(60, "setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                    "--clear-groups", java, "-Djna.tmpdir=" + jnaTmp, "-cp", classpath,
                    OpenSegmentMain.class.getName(), Integer.toString(ROOT_UNIT));
            assertEquals(77, r.code(), r.output());
            String message = r.output().strip();
            assertFalse(message.contains("\n"), "one line: " + message);
            assertTrue(message.contains("unit 49 (key 0x4e545061, owner root uid 0, mode 0600)"), message);
            assertTrue(message.contains("user nobody uid 65534"), message);
            assertTrue(message.contains("ipcrm -M 0x4e545061"), message);
            assertTrue(message.contains("Before=chrony.service"), message);
        }
    }

    private static Path codeSource(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void rejectsPermissionsThatWouldLockTheWriterOut() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NtpShmConfig(0, 0400, Timescale.UTC));
        assertTrue(e.getMessage().contains("0400"), e.getMessage());
    }
}
