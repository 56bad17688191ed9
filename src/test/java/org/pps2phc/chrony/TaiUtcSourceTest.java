package org.pps2phc.chrony;

import org.pps2phc.core.port.KernelTaiSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    /** The same entries, expired in 2024: the kernel then outranks it. */
    private static final List<String> EXPIRED = List.of("#@\t3913056000", "3644697600\t36", "3692217600\t37");
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
    void aCurrentLeapFileComesFirstAndAnAgreeingKernelIsSilent() throws IOException {
        Path f = leapfile(TABLE);
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(37), Optional.of(f),
                OptionalInt.of(35), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(LeapState.fixed(37, "leapfile " + f), r.state());
        assertTrue(r.known());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void theKernelComesFirstWhenTheFileHasExpired() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(37), Optional.of(leapfile(EXPIRED)),
                OptionalInt.of(35), at("2025-03-01T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(LeapState.fixed(37, "kernel"), r.state());
    }

    /** A kernel offset that disagrees with a verified leap file does not win (issue 10, trap 3): it is reported. */
    @Test
    void kernelThatDisagreesWithTheFileIsReportedAndTheFileWins() throws IOException {
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(36), Optional.of(leapfile(TABLE)),
                OptionalInt.empty(), at("2025-03-10T00:00:00Z"));
        LeapReport r = s.current(NO_CHRONY);
        assertEquals(37, r.state().taiMinusUtcS());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).startsWith("kernel says TAI-UTC 36 now; using TAI-UTC 37 before "
                + "2025-03-10 24:00, no leap second (from leapfile "),
                r.warnings().toString());
    }

    /** The kernel's time state reaches the reconciliation: inside 23:59:60 its offset is already incremented. */
    @Test
    void insideTheInsertedSecondTheKernelsStateKeepsTheOffsetRight() throws IOException {
        TaiUtcSource s = new TaiUtcSource(
                () -> Optional.of(new org.pps2phc.core.LeapSnapshot.Kernel(37, org.pps2phc.core.LeapSnapshot.TIME_OOP,
                        true, false)),
                Optional.of(dir.resolve("none.list")), OptionalInt.empty(), at("2016-12-31T23:59:59.500Z"));
        LeapReport r = s.current(OptionalInt.of(1));
        assertEquals(new LeapState(36, Leap.INSERT, Instant.parse("2017-01-01T00:00:00Z").getEpochSecond(),
                "kernel"), r.state());
        assertEquals(37, r.state().taiMinusUtcAtUtc(Instant.parse("2017-01-01T00:00:00Z").getEpochSecond()
                * 1_000_000_000L), "00:00:00 with the new offset, not 38");
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
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(37), Optional.of(leapfile(EXPIRED)),
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
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(38), Optional.of(leapfile(EXPIRED)),
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
                "leapfile " + f), st);
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

    /** A clock the test moves: the reconciliation is redone when the UTC day changes, not at every second. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(String iso) {
            now = Instant.parse(iso);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void theReportIsMadeAgainOnlyWhenWhatItIsMadeFromChanges() throws IOException {
        Path f = leapfile(TABLE);
        int[] kernelTai = {37};
        MovableClock clock = new MovableClock("2025-06-29T12:00:00Z");
        TaiUtcSource s = new TaiUtcSource(() -> OptionalInt.of(kernelTai[0]), Optional.of(f), OptionalInt.empty(),
                clock);
        LeapReport first = s.current(OptionalInt.of(0));
        clock.now = clock.now.plusSeconds(3600);
        assertSame(first, s.current(OptionalInt.of(0)), "same day, same sources: the same report");

        kernelTai[0] = 36;
        LeapReport kernelMoved = s.current(OptionalInt.of(0));
        assertEquals(1, kernelMoved.warnings().size(), "the kernel now disagrees: " + kernelMoved.warnings());
        kernelTai[0] = 37;
        assertEquals(List.of(), s.current(OptionalInt.of(0)).warnings());

        LeapReport chronyAnnounces = s.current(OptionalInt.of(1));
        assertEquals(1, chronyAnnounces.warnings().size(), "chrony's insert disagrees with the file: "
                + chronyAnnounces.warnings());

        // the month's last day: a leap second would be at its end, and the file says none
        clock.now = Instant.parse("2025-06-30T00:00:01Z");
        LeapReport lastDay = s.current(OptionalInt.of(0));
        assertNotSame(first, lastDay);
        assertEquals(LeapState.fixed(37, "leapfile " + f), lastDay.state());
        assertEquals(List.of(), lastDay.warnings());

        // the file expires within the day: the report names it
        Files.write(f, List.of("#@\t3960273600", "3644697600\t36", "3692217600\t37"));
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(10)));
        clock.now = Instant.parse("2025-06-30T11:59:59Z");
        assertTrue(s.current(OptionalInt.of(0)).warnings().stream().noneMatch(w -> w.contains("expired")));
        clock.now = Instant.parse("2025-06-30T12:00:00Z");
        assertTrue(s.current(OptionalInt.of(0)).warnings().stream().anyMatch(w -> w.contains("expired")),
                "expired at 2025-06-30T12:00:00Z");
    }
}
