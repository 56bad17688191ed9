package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.pps2phc.config.LoggingSettings;

import org.junit.jupiter.api.Test;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;

class ObservationLoggerTest {
    private static Observation.Pulse pulse(PulseVerdict verdict, double offset, double freq) {
        return new Observation.Pulse(1, 0, 0, verdict, 100, offset, freq, State.LOCKED, "s2");
    }

    private static Observation.Pulse pulse(PulseVerdict verdict, double offset, double freq, State state) {
        return new Observation.Pulse(1, 0, 0, verdict, 100, offset, freq, state, "s2");
    }

    private static Snapshot snapshot(long missing) {
        return snapshot(State.LOCKED, missing, Double.NaN);
    }

    private static Snapshot snapshot(State state, long missing, double boundNs) {
        return new Snapshot(state, 1, 4, 23712, TodVerdict.unknown(LeapState.fixed(37, "t")), 0, 10,
                missing, 1, 1, EdgeMode.BOTH, 100_000_000, "pi-linuxptp", boundNs, "anchored");
    }

    /** What the logger writes under the journal (each line with its syslog priority) while {@code body} runs. */
    private static String journal(java.util.function.Consumer<ObservationLogger> body) {
        LoggingSettings settings = new LoggingSettings(7, "", "off", 1, 60);
        return JournalCapture.of(settings, control -> body.accept(new ObservationLogger("ptp0", settings)));
    }

    @Test
    void theEnginesLabellingTaiUtcAndEdgeFindingsAreLoggedAtTheirPriorities() {
        String out = journal(log -> {
            log.observe(new Observation.LabellingChange("anchored", "phase-lost", "the pulse train is 2.4 ms off the "
                    + "PHC's seconds", 0));
            log.observe(new Observation.LabellingChange("phase-lost", "anchored", "stepped to the trusted time of "
                    + "day's second", 0));
            log.observe(new Observation.TaiUtcDisagreement(37, "leapfile /usr/share/zoneinfo/leap-seconds.list", 36,
                    "kernel", "PHC0"));
            log.observe(new Observation.EdgesLearned(EdgeMode.SINGLE, EdgeMode.BOTH, 100_000_000));
        });
        assertEquals("<4>seconds anchored -> phase-lost: the pulse train is 2.4 ms off the PHC's seconds\n"
                + "<5>seconds phase-lost -> anchored: stepped to the trusted time of day's second\n"
                + "<4>TAI-UTC 37 s from leapfile /usr/share/zoneinfo/leap-seconds.list is kept: kernel claims 36 s "
                + "with no leap second announced (time of day PHC0)\n"
                + "<4>ptp0: the pulse train shows both edges a pulse (100000000 ns apart) although arming reported "
                + "single; labelling afresh\n", out);
    }

    @Test
    void aDisputeOfTheSecondsIsWarnedWhenItStartsAndWhenTheTimeOfDayWins() {
        String out = journal(log -> {
            log.observe(new Observation.LabellingChange("anchored", "disputed", "the trusted time of day (GNSS) says "
                    + "second 98, the PHC 100 (+2 s)", 0));
            log.observe(new Observation.Disagreement(100, 98, 1, false, 900));
            log.observe(new Observation.Disagreement(1000, 998, 901, true, 0));
            log.observe(new Observation.LabellingChange("disputed", "anchored", "re-anchored on the trusted time of "
                    + "day", 0));
        });
        assertEquals("<4>seconds anchored -> disputed: the trusted time of day (GNSS) says second 98, the PHC 100 "
                + "(+2 s)\n"
                + "<4>the PHC is at second 100 but the trusted time of day says 98 (first): not locked while disputed; "
                + "the time of day wins if it still says so in 900 s\n"
                + "<4>the PHC is at second 1000 but the trusted time of day says 998 (901 in a row): relabelling the "
                + "PHC on the time of day\n"
                + "<5>seconds disputed -> anchored: re-anchored on the trusted time of day\n", out);
    }

    @Test
    void aGnssOutageIsWarnedFromLossToBudgetAndItsEndIsMeasured() {
        long s = 1_000_000_000L;
        String out = journal(log -> {
            log.observe(new Observation.StateChange(State.ACQUIRING, State.LOCKED, "10 pulses within 100 ns", 0));
            log.observe(new Observation.StateChange(State.LOCKED, State.HOLDOVER, "no pulse for 1500 ms", 100 * s));
            log.summary(snapshot(State.HOLDOVER, 0, 350), 60, 160 * s);
            log.observe(new Observation.StateChange(State.HOLDOVER, State.ACQUIRING, "pulses are back", 225 * s));
            log.observe(new Observation.Pulse(1, 0, 225 * s, PulseVerdict.ACCEPTED, 100, 412, 23712,
                    State.ACQUIRING, "s2"));
            log.observe(new Observation.Pulse(1, 0, 226 * s, PulseVerdict.ACCEPTED, 101, 400, 23712,
                    State.ACQUIRING, "s2"));
            log.observe(new Observation.StateChange(State.ACQUIRING, State.LOCKED, "10 pulses within 100 ns",
                    240 * s));
            log.observe(new Observation.StateChange(State.LOCKED, State.HOLDOVER, "no pulse for 1500 ms", 300 * s));
            // back within the phase gate: relocking, still announced as holdover; then lost again
            log.observe(new Observation.StateChange(State.HOLDOVER, State.HOLDOVER, "pulses are back within the "
                    + "phase gate: relocking", 310 * s));
            log.observe(new Observation.Pulse(1, 0, 310 * s, PulseVerdict.ACCEPTED, 200, -35, 23712,
                    State.HOLDOVER, "s2"));
            log.observe(new Observation.StateChange(State.HOLDOVER, State.HOLDOVER, "no pulse for 1500 ms while "
                    + "relocking", 312 * s));
            log.observe(new Observation.StateChange(State.HOLDOVER, State.FREE_RUNNING,
                    "holdover budget of 3600 s used up", 3901 * s));
        });
        assertEquals("<5>state acquiring -> locked: 10 pulses within 100 ns\n"
                + "<4>state locked -> holdover: no pulse for 1500 ms\n"
                + "<6>summary 60 s: no locked pulse, missing 0, outliers 0, glitches 0, freq +23712 ppb, "
                + "state holdover\n"
                + "<4>in holdover for 60 s: time-error bound now 350 ns\n"
                + "<4>state holdover -> acquiring: pulses are back\n"
                + "<5>holdover ended after 125 s: the first pulse back found a phase error of +412 ns\n"
                + "<5>state acquiring -> locked: 10 pulses within 100 ns\n"
                + "<4>state locked -> holdover: no pulse for 1500 ms\n"
                + "<5>state holdover -> holdover: pulses are back within the phase gate: relocking\n"
                + "<5>holdover ended after 10 s: the first pulse back found a phase error of -35 ns\n"
                + "<4>state holdover -> holdover: no pulse for 1500 ms while relocking\n"
                + "<4>state holdover -> free-running: holdover budget of 3600 s used up\n"
                + "<4>holdover ended after 3589 s with no pulse back: the PHC free-runs\n", out);
    }

    @Test
    void aPulseReadBeforeTheHoldoverWasDeclaredEndsItAfterNoTimeAtAll() {
        // under load the pulse reader can stamp an event, then lose the CPU while the loop's tick declares the
        // holdover: the pulse reaches the logger after the state change with an earlier monotonic time
        long s = 1_000_000_000L;
        String out = journal(log -> {
            log.observe(new Observation.StateChange(State.LOCKED, State.HOLDOVER, "no pulse for 1500 ms", 10 * s));
            log.observe(new Observation.Pulse(1, 0, 5 * s, PulseVerdict.ACCEPTED, 100, 3, 23712, State.HOLDOVER,
                    "s2"));
        });
        assertTrue(out.contains("<5>holdover ended after 0 s: the first pulse back found a phase error of +3 ns\n"),
                out);
    }

    @Test
    void anUntrustedTimeOfDayIsAWarning() {
        String out = journal(log -> log.observe(new Observation.TodChange(
                TodVerdict.untrusted("chronyd not synchronised", LeapState.fixed(37, "t"), "none"))));
        assertTrue(out.startsWith("<4>time of day untrusted"), out);
    }

    @Test
    void theFirstSummaryLeavesOutTheInitialStep() {
        PulseStats stats = new PulseStats();
        // the first labelled pulse: the PHC was on UTC, 37 s off TAI, and is stepped while acquiring
        stats.add(pulse(PulseVerdict.ACCEPTED, -37e9, 0, State.ACQUIRING));
        stats.add(pulse(PulseVerdict.ACCEPTED, 20, 5, State.ACQUIRING));
        stats.add(pulse(PulseVerdict.ACCEPTED, 3, 100, State.LOCKED));
        stats.add(pulse(PulseVerdict.ACCEPTED, -4, 102, State.LOCKED));
        assertEquals("summary 60 s: 2 locked pulses, offset rms 3.5 ns max 4 ns, freq +101.0 ppb sd 1.0, "
                + "2 accepted while not locked, missing 0, outliers 0, glitches 0, state locked",
                stats.summarize(snapshot(0), 60));
    }

    @Test
    void pulseLineIsTs2phcShaped() {
        assertEquals("ptp0 offset      -12 s2 freq   +23712 locked",
                ObservationLogger.pulseLine("ptp0", pulse(PulseVerdict.ACCEPTED, -12, 23712)));
    }

    @Test
    void summaryHasRmsMaxFrequencyAndCounts() {
        PulseStats stats = new PulseStats();
        stats.add(pulse(PulseVerdict.ACCEPTED, 3, 100));
        stats.add(pulse(PulseVerdict.ACCEPTED, -4, 102));
        stats.add(pulse(PulseVerdict.OUTLIER, 5000, 102));
        stats.add(pulse(PulseVerdict.GLITCH, Double.NaN, 102));
        stats.add(pulse(PulseVerdict.TRAILING_EDGE, Double.NaN, 102));
        assertEquals("summary 60 s: 2 locked pulses, offset rms 3.5 ns max 4 ns, freq +101.0 ppb sd 1.0, "
                + "missing 2, outliers 1, glitches 1, state locked", stats.summarize(snapshot(2), 60));
        // The next window starts empty and counts missing pulses from where the last one ended.
        assertEquals("summary 60 s: no locked pulse, missing 3, outliers 0, glitches 0, freq +23712 ppb, "
                + "state locked", stats.summarize(snapshot(5), 60));
    }

    @Test
    void statusLineTellsTheStory() {
        assertEquals("locked, offset 4 ns, freq +23712 ppb, time of day untrusted (no answer from the time-of-day "
                + "source yet)", Daemon.statusLine(snapshot(0)));
    }

    @Test
    void statusLineSaysWhenTheSecondsAreDisputed() {
        Snapshot disputed = new Snapshot(State.ACQUIRING, 1, 4, 23712, TodVerdict.unknown(LeapState.fixed(37, "t")),
                0, 10, 0, 1, 1, EdgeMode.BOTH, 100_000_000, "kalman", Double.NaN, "disputed");
        assertEquals("acquiring (seconds disputed by the time of day)", Daemon.stateText(disputed));
        assertTrue(Daemon.statusLine(disputed).startsWith("acquiring (seconds disputed by the time of day), offset "),
                Daemon.statusLine(disputed));
        assertEquals("locked", Daemon.stateText(snapshot(0)));
    }

    @Test
    void deviceNamesAreShortenedAsTs2phcDoes() {
        assertEquals("ptp0", Daemon.shortName("/dev/ptp0"));
        assertEquals("sim", Daemon.shortName("sim"));
    }
}
