package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.State;

class GrandmasterPolicyTest {
    private static final long NS = 1_000_000_000L;
    /** 2016-12-31 leap second: 36 before, 37 from 2017-01-01T00:00:00Z. */
    private static final long LEAP_AT = Instant.parse("2017-01-01T00:00:00Z").getEpochSecond();
    private static final LeapState INSERT_2016 = new LeapState(36, Leap.INSERT, LEAP_AT, "test");
    private static final LeapState NO_LEAP = LeapState.fixed(37, "test");
    private static final long NOW = Instant.parse("2026-11-21T10:00:00Z").getEpochSecond() * NS;

    private final GrandmasterPolicy policy = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()
            .withClockAccuracyNs(100).withOffsetScaledLogVariance(0x4E5D));

    private static long utc(String iso) {
        return Instant.parse(iso).getEpochSecond() * NS;
    }

    @Test
    void lockedIsAPrimaryReferenceTraceableToGnss() {
        GrandmasterSettings s = policy.settingsFor(State.LOCKED, false, NO_LEAP, NOW);
        assertEquals(new GrandmasterSettings(6, 0x21, 0x4E5D, 37, new TimeFlags(false, false, true, true, true, true),
                TimeSource.GNSS), s);
    }

    @Test
    void holdoverWithinBudgetIsClassSevenStillTraceable() {
        GrandmasterSettings s = policy.settingsFor(State.HOLDOVER, true, NO_LEAP, NOW);
        assertEquals(7, s.clockClass());
        assertEquals(0x21, s.clockAccuracy());
        assertTrue(s.flags().timeTraceable());
        assertEquals(TimeSource.GNSS, s.timeSource());
    }

    @Test
    void notInSyncIsTheFreeRunningClassWithUnknownAccuracy() {
        GrandmasterSettings expected = new GrandmasterSettings(248, 0xFE, 0xFFFF, 37,
                new TimeFlags(false, false, true, true, false, false), TimeSource.INTERNAL_OSCILLATOR);
        assertEquals(expected, policy.settingsFor(State.HOLDOVER, false, NO_LEAP, NOW), "holdover past its budget");
        assertEquals(expected, policy.settingsFor(State.ACQUIRING, true, NO_LEAP, NOW));
        assertEquals(expected, policy.settingsFor(State.FREE_RUNNING, true, NO_LEAP, NOW));
        assertEquals(expected, policy.notInSync(NO_LEAP, NOW));
        GrandmasterPolicy degraded = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()
                .withFreeRunningClockClass(52));
        assertEquals(52, degraded.settingsFor(State.FREE_RUNNING, false, NO_LEAP, NOW).clockClass());
    }

    @Test
    void measuredAccuracyIsAnnouncedOnlyWhenWorseThanConfigured() {
        assertEquals(0x21, policy.settingsFor(State.LOCKED, false, NO_LEAP, NOW, OptionalDouble.of(10)).clockAccuracy());
        assertEquals(0x23, policy.settingsFor(State.LOCKED, false, NO_LEAP, NOW, OptionalDouble.of(600)).clockAccuracy());
        GrandmasterPolicy unknown = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()
                .withClockAccuracyNs(Double.NaN));
        assertEquals(0xFE, unknown.settingsFor(State.LOCKED, false, NO_LEAP, NOW).clockAccuracy());
        assertEquals(0x20, unknown.settingsFor(State.LOCKED, false, NO_LEAP, NOW, OptionalDouble.of(20))
                .clockAccuracy());
    }

    @Test
    void leap61OnlyInTheLastTwelveHoursThenTheNewOffset() {
        GrandmasterSettings dayBefore = policy.settingsFor(State.LOCKED, false, INSERT_2016, utc("2016-12-30T23:00:00Z"));
        assertFalse(dayBefore.flags().leap61());
        assertEquals(36, dayBefore.currentUtcOffset());
        // before 12:00 on the leap day: linuxptp receivers would already take a flag after 06:00, but 1588
        // receivers expect at most 12 h of warning
        assertFalse(policy.settingsFor(State.LOCKED, false, INSERT_2016, utc("2016-12-31T11:59:59Z")).flags().leap61());
        GrandmasterSettings noon = policy.settingsFor(State.LOCKED, false, INSERT_2016, utc("2016-12-31T12:00:00Z"));
        assertTrue(noon.flags().leap61());
        assertFalse(noon.flags().leap59());
        assertEquals(36, noon.currentUtcOffset());
        GrandmasterSettings last = policy.settingsFor(State.LOCKED, false, INSERT_2016,
                utc("2016-12-31T23:59:59Z") + 999_999_999);
        assertTrue(last.flags().leap61());
        assertEquals(36, last.currentUtcOffset());
        GrandmasterSettings after = policy.settingsFor(State.LOCKED, false, INSERT_2016, utc("2017-01-01T00:00:00Z"));
        assertFalse(after.flags().leap61());
        assertEquals(37, after.currentUtcOffset());
    }

    @Test
    void leapFlagsDoNotDependOnBeingInSync() {
        GrandmasterSettings s = policy.settingsFor(State.FREE_RUNNING, false, INSERT_2016, utc("2016-12-31T18:00:00Z"));
        assertTrue(s.flags().leap61());
        assertEquals(248, s.clockClass());
    }

    @Test
    void deletedLeapSecondSetsLeap59AndLowersTheOffset() {
        LeapState delete = new LeapState(37, Leap.DELETE, LEAP_AT, "test");
        GrandmasterSettings before = policy.settingsFor(State.LOCKED, false, delete, utc("2016-12-31T20:00:00Z"));
        assertTrue(before.flags().leap59());
        assertFalse(before.flags().leap61());
        assertEquals(37, before.currentUtcOffset());
        assertEquals(36, policy.settingsFor(State.LOCKED, false, delete, utc("2017-01-01T00:00:01Z")).currentUtcOffset());
    }

    @Test
    void rejectsClassesAGrandmasterMustNotAnnounce() {
        assertThrows(IllegalArgumentException.class, () -> GrandmasterPolicyConfig.defaults().withFreeRunningClockClass(255));
        assertThrows(IllegalArgumentException.class, () -> GrandmasterPolicyConfig.defaults().withHoldoverClockClass(6));
        assertThrows(IllegalArgumentException.class, () -> GrandmasterPolicyConfig.defaults().withClockAccuracyNs(-1));
        assertThrows(IllegalArgumentException.class, () -> GrandmasterPolicyConfig.defaults().withFreeRunningClockClass(0));
    }

    @Test
    void configuredClassesAndTimeSourceAreAnnounced() {
        GrandmasterPolicy telecom = new GrandmasterPolicy(GrandmasterPolicyConfig.defaults()
                .withClassesLockedHoldoverFreeRunning(6, 135, 165).withTimeSource(0x10)
                .withClockAccuracyNs(ClockAccuracy.boundNs(0x21)));
        assertEquals(0x21, telecom.settingsFor(State.LOCKED, false, NO_LEAP, NOW).clockAccuracy());
        assertEquals(0x10, telecom.settingsFor(State.LOCKED, false, NO_LEAP, NOW).timeSource());
        assertEquals(135, telecom.settingsFor(State.HOLDOVER, true, NO_LEAP, NOW).clockClass());
        assertEquals(165, telecom.settingsFor(State.HOLDOVER, false, NO_LEAP, NOW).clockClass());
        assertEquals(TimeSource.INTERNAL_OSCILLATOR, telecom.settingsFor(State.ACQUIRING, false, NO_LEAP, NOW)
                .timeSource());
        assertTrue(Double.isNaN(ClockAccuracy.boundNs(0xFE)));
    }
}
