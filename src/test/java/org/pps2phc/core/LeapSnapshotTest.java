package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.LeapSnapshot.Kernel;

/**
 * The leap snapshot across an inserted and a deleted leap second, second by second from 23:59:58 to 00:00:02, with
 * every source behaving as it does there: the kernel's time state and offset, chrony's status lagging past
 * midnight, the leap file. What the engine gets must put every instant at its true TAI-UTC.
 */
class LeapSnapshotTest {
    private static final long NS = 1_000_000_000L;
    /** 2027-01-01T00:00:00Z. */
    private static final long MIDNIGHT = 1_798_761_600L;
    private static final long FAR = MIDNIGHT + 400 * 86_400L;

    private static LeapTable table(int before, int after) {
        return new LeapTable(List.of(new LeapTable.Entry(1_483_228_800L, before),
                new LeapTable.Entry(MIDNIGHT, after)), OptionalLong.of(FAR), LeapTable.HashStatus.MATCHES);
    }

    private static LeapSnapshot.Result at(long utcS, Kernel kernel, Leap chrony, LeapTable file) {
        return LeapSnapshot.reconcile(new LeapSnapshot.Inputs(utcS, Optional.ofNullable(kernel),
                Optional.ofNullable(chrony), Optional.ofNullable(file), "leapfile test", OptionalInt.of(37)));
    }

    /** The true TAI-UTC of an instant around an inserted second (37 before, 38 from 00:00:00 on). */
    private static int trueInsert(long utcS) {
        return utcS < MIDNIGHT ? 37 : 38;
    }

    @Test
    void insideTheInsertedSecondTheKernelsCountedOffsetAndChronysPendingInsertAreOnePicture() {
        // 23:59:60: CLOCK_REALTIME shows 23:59:59 again; the kernel is in TIME_OOP with TAI-UTC already 38, and
        // chrony still reports the insert as pending
        LeapSnapshot.Result r = at(MIDNIGHT - 1, new Kernel(38, LeapSnapshot.TIME_OOP, true, false), Leap.INSERT,
                null);
        assertEquals(new LeapState(37, Leap.INSERT, MIDNIGHT, "kernel"), r.state());
        assertTrue(r.consistent(), r.disagreements().toString());
        assertEquals(38, r.state().taiMinusUtcAtUtc(MIDNIGHT * NS), "00:00:00 is counted with the new offset");
        assertEquals(37, r.state().taiMinusUtcAtUtc((MIDNIGHT - 1) * NS + NS / 2));
    }

    @Test
    void acrossAnInsertedSecondEveryQueryPutsEveryInstantAtItsTrueOffset() {
        LeapTable file = table(37, 38);
        // what each source says at each query: {utc second, kernel tai, kernel state, STA_INS, chrony}
        Object[][] timeline = {
            {MIDNIGHT - 2, 37, LeapSnapshot.TIME_INS, true, Leap.INSERT},
            {MIDNIGHT - 1, 37, LeapSnapshot.TIME_INS, true, Leap.INSERT}, // 23:59:59
            {MIDNIGHT - 1, 38, LeapSnapshot.TIME_OOP, true, Leap.INSERT}, // 23:59:60
            {MIDNIGHT, 38, LeapSnapshot.TIME_WAIT, true, Leap.INSERT},    // chrony lags
            {MIDNIGHT + 1, 38, LeapSnapshot.TIME_WAIT, true, Leap.NONE},
            {MIDNIGHT + 2, 38, LeapSnapshot.TIME_OK, false, Leap.NONE},
        };
        for (boolean withFile : new boolean[] {true, false}) {
            for (Object[] q : timeline) {
                long now = (long) q[0];
                Kernel k = new Kernel((int) q[1], (int) q[2], (boolean) q[3], false);
                LeapSnapshot.Result r = at(now, k, (Leap) q[4], withFile ? file : null);
                assertTrue(r.consistent(), now + ": " + r.disagreements());
                for (long t = MIDNIGHT - 3; t <= MIDNIGHT + 3; t++) {
                    // a query after midnight is about the instants after it (the leap is past)
                    if (now < MIDNIGHT || t >= MIDNIGHT) {
                        assertEquals(trueInsert(t), r.state().taiMinusUtcAtUtc(t * NS + NS / 2),
                                "query at " + now + " (" + k + ", file " + withFile + "): instant " + t);
                    }
                }
            }
        }
    }

    @Test
    void acrossADeletedSecondEveryQueryPutsEveryInstantAtItsTrueOffset() {
        LeapTable file = table(37, 36);
        // 23:59:59 does not happen: the kernel goes from 23:59:58 to 00:00:00 with TAI-UTC 36
        Object[][] timeline = {
            {MIDNIGHT - 3, 37, LeapSnapshot.TIME_DEL, Leap.DELETE},
            {MIDNIGHT - 2, 37, LeapSnapshot.TIME_DEL, Leap.DELETE},
            {MIDNIGHT, 36, LeapSnapshot.TIME_WAIT, Leap.DELETE},
            {MIDNIGHT + 1, 36, LeapSnapshot.TIME_WAIT, Leap.NONE},
        };
        for (boolean withFile : new boolean[] {true, false}) {
            for (Object[] q : timeline) {
                long now = (long) q[0];
                Kernel k = new Kernel((int) q[1], (int) q[2], false, true);
                LeapSnapshot.Result r = at(now, k, (Leap) q[3], withFile ? file : null);
                assertTrue(r.consistent(), now + ": " + r.disagreements());
                if (now < MIDNIGHT) {
                    assertEquals(new LeapState(37, Leap.DELETE, MIDNIGHT, r.state().source()), r.state());
                } else {
                    assertEquals(LeapState.fixed(36, r.state().source()), r.state(), "past: the offset now");
                }
                assertEquals(36, r.state().taiMinusUtcAtUtc(MIDNIGHT * NS));
            }
        }
    }

    @Test
    void aKernelThatDisagreesWithTheLeapFileIsReportedAndTheFileWins() {
        LeapSnapshot.Result r = at(MIDNIGHT - 3600, new Kernel(38, LeapSnapshot.TIME_OK, false, false), Leap.NONE,
                table(37, 37));
        assertEquals(37, r.state().taiMinusUtcS());
        assertEquals(Leap.NONE, r.state().pending());
        assertEquals(List.of("kernel says TAI-UTC 38 before 2026-12-31 24:00, 38 after (TIME_OK); using TAI-UTC 37 "
                + "before 2026-12-31 24:00, no leap second (from leapfile test)"), r.disagreements());
    }

    @Test
    void chronyAndTheKernelDisagreeingAboutTheLeapIsReportedNamingBoth() {
        LeapSnapshot.Result r = at(MIDNIGHT - 60, new Kernel(37, LeapSnapshot.TIME_INS, true, false), Leap.NONE,
                null);
        assertEquals(Leap.INSERT, r.state().pending(), "the kernel outranks chrony");
        assertEquals(1, r.disagreements().size(), r.disagreements().toString());
        assertTrue(r.disagreements().get(0).startsWith("chrony says leap status none for 2026-12-31 24:00; using "
                + "TAI-UTC 37 before 2026-12-31 24:00, 38 after (from kernel)"),
                r.disagreements().get(0));
    }

    @Test
    void aLeapAnnouncedForADayThatEndsNoMonthIsIgnoredAndSaid() {
        long midMonth = MIDNIGHT + 14 * 86_400L + 3600;
        LeapSnapshot.Result r = at(midMonth, new Kernel(38, LeapSnapshot.TIME_INS, true, false), Leap.INSERT, null);
        assertEquals(new LeapState(38, Leap.NONE, 0, "kernel"), r.state());
        assertTrue(r.disagreements().stream().anyMatch(d -> d.contains("which ends no month: ignored")),
                r.disagreements().toString());
    }

    @Test
    void anExpiredLeapFileGivesItsOffsetButNotTheLeapWhichComesFromTheKernel() {
        LeapTable expired = new LeapTable(List.of(new LeapTable.Entry(1_483_228_800L, 37)),
                OptionalLong.of(MIDNIGHT - 86_400L * 30), LeapTable.HashStatus.MATCHES);
        LeapSnapshot.Result r = at(MIDNIGHT - 60, new Kernel(37, LeapSnapshot.TIME_INS, true, false), null, expired);
        assertEquals(new LeapState(37, Leap.INSERT, MIDNIGHT, "kernel"), r.state(),
                "the expired file ranks below the kernel");
        assertTrue(r.consistent(), r.disagreements().toString());
    }

    @Test
    void withNothingKnownTheOffsetIsAPlaceholder() {
        LeapSnapshot.Result r = LeapSnapshot.reconcile(new LeapSnapshot.Inputs(MIDNIGHT - 60, Optional.empty(),
                Optional.empty(), Optional.empty(), "leapfile test", OptionalInt.empty()));
        assertFalse(r.known());
        assertEquals(LeapSnapshot.PLACEHOLDER_OFFSET, r.state().taiMinusUtcS());
        assertEquals("unknown", r.state().source());
    }
}
