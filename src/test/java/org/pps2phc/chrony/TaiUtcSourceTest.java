package org.pps2phc.chrony;

import org.pps2phc.core.port.KernelTaiSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.LeapTable;

class TaiUtcSourceTest {
    private static final List<String> TABLE = List.of("#@\t3991593600", "3644697600\t36", "3692217600\t37");
    private static final OptionalInt NO_CHRONY = OptionalInt.empty();

    @TempDir
    Path dir;

    static Clock at(String iso) {
        return Clock.fixed(Instant.parse(iso), ZoneOffset.UTC);
    }

    Path leapfile(List<String> lines) throws IOException {
        Path p = dir.resolve("leap-seconds.list");
        Files.write(p, lines);
        return p;
    }

    @Test
    void kernelOffsetComesFirst() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(37), Optional.of(leapfile(TABLE)),
                OptionalInt.of(35), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(LeapState.fixed(37, "kernel"), r.state());
        assertTrue(r.known());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void kernelThatDisagreesWithTheFileIsWarnedAbout() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(36), Optional.of(leapfile(TABLE)),
                OptionalInt.empty(), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(36, r.state().taiMinusUtcS());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("kernel TAI offset 36 disagrees with"), r.warnings().toString());
    }

    @Test
    void leapFileWhenTheKernelDoesNotKnow() throws IOException {
        Path f = leapfile(TABLE);
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(f), OptionalInt.of(35),
                at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(LeapState.fixed(37, "leapfile " + f), r.state());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void expiredLeapFileWarnsAndKeepsItsLastOffset() throws IOException {
        Path f = leapfile(TABLE);
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(f), OptionalInt.empty(),
                at("2026-11-21T09:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertTrue(r.known());
        assertEquals(37, r.state().taiMinusUtcS());
        assertEquals("leapfile " + f + " (expired 2026-06-28)", r.state().source());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("expired 2026-06-28: TAI-UTC 37 kept"), r.warnings().toString());
    }

    @Test
    void configuredOffsetIsTheLastResort() {
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(dir.resolve("missing.list")),
                OptionalInt.of(37), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(LeapState.fixed(37, "config utc_offset"), r.state());
        assertEquals(1, r.warnings().size()); // the configured leap file is missing
        assertTrue(r.warnings().get(0).contains("does not exist"));
    }

    @Test
    void nothingKnownIsSaid() {
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(dir.resolve("missing.list")),
                OptionalInt.empty(), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertFalse(r.known());
        assertTrue(r.warnings().get(r.warnings().size() - 1).startsWith("TAI-UTC unknown"));
    }

    @Test
    void aDeviceOrAHugeFileIsReadWithALimitAndIgnoredInOneLine() throws IOException {
        TaiUtcSource zero = new TaiUtcSource(KernelTaiSource.none(), Optional.of(Path.of("/dev/zero")),
                OptionalInt.of(37), at("2025-03-01T00:00:00Z"));
        assertEquals(List.of("leap file ignored: /dev/zero is not a regular file (a leap-seconds.list is)"),
                zero.current(NO_CHRONY).warnings());
        Path huge = dir.resolve("huge.list");
        Files.write(huge, new byte[LeapTable.MAX_BYTES * 4]);
        TaiUtcSource big = new TaiUtcSource(KernelTaiSource.none(), Optional.of(huge), OptionalInt.of(37),
                at("2025-03-01T00:00:00Z"));
        assertEquals(List.of("leap file ignored: " + huge + ": larger than 256 KiB, so not a leap-seconds.list"),
                big.current(NO_CHRONY).warnings());
    }

    @Test
    void damagedFileIsIgnoredWithAReason() throws IOException {
        Path f = leapfile(List.of("3692217600 37", "#h 1 2 3 4 5"));
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(f), OptionalInt.of(37),
                at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals("config utc_offset", r.state().source());
        assertTrue(r.warnings().get(0).contains("does not match its '#h' SHA-1 line"), r.warnings().toString());
    }

    @Test
    void chronyAnnouncesTheLeapForTonight() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(37), Optional.of(leapfile(TABLE)),
                OptionalInt.empty(), at("2025-06-30T10:00:00Z"));
        LeapState insert = s.current(OptionalInt.of(1)).state();
        assertEquals(Leap.INSERT, insert.pending());
        assertEquals(Instant.parse("2025-07-01T00:00:00Z").getEpochSecond(), insert.leapAtUtcS());
        assertEquals("kernel, leap from chrony", insert.source());
        LeapState delete = s.current(OptionalInt.of(2)).state();
        assertEquals(Leap.DELETE, delete.pending());
        assertEquals(Leap.NONE, s.current(OptionalInt.of(0)).state().pending());
    }

    @Test
    void chronysStaleAnnouncementAfterMidnightIsIgnored() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(38), Optional.of(leapfile(TABLE)),
                OptionalInt.empty(), at("2025-07-01T00:00:05Z"));
        assertEquals(LeapState.fixed(38, "kernel"), s.current(OptionalInt.of(1)).state());
    }

    @Test
    void leapFileAnnouncesTheLeapAtTheEndOfTheMonth() throws IOException {
        Path f = leapfile(TABLE);
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(f), OptionalInt.empty(),
                at("2016-12-31T23:59:59Z"));
        LeapState st = s.current(OptionalInt.of(0)).state();
        assertEquals(new LeapState(36, Leap.INSERT, Instant.parse("2017-01-01T00:00:00Z").getEpochSecond(),
                "leapfile " + f + ", leap from leapfile"), st);
    }

    @Test
    void changedFileIsReread() throws IOException {
        Path f = leapfile(List.of("3644697600 36"));
        TaiUtcSource s = new TaiUtcSource(KernelTaiSource.none(), Optional.of(f), OptionalInt.empty(),
                at("2025-03-01T00:00:00Z"));
        assertEquals(36, s.current(NO_CHRONY).state().taiMinusUtcS());
        Files.write(f, TABLE);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(10)));
        assertEquals(37, s.current(NO_CHRONY).state().taiMinusUtcS());
    }
}
