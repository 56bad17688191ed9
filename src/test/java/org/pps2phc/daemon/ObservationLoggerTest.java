package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    private static Snapshot snapshot(long missing) {
        return new Snapshot(State.LOCKED, 1, 4, 23712, TodVerdict.unknown(LeapState.fixed(37, "t")), 0, 10,
                missing, 1, 1, EdgeMode.BOTH, 100_000_000, "pi-linuxptp", Double.NaN);
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
        assertEquals("summary 60 s: offset rms 3.5 ns max 4 ns, freq +101.0 ppb sd 1.0, pulses 2, missing 2, "
                + "outliers 1, glitches 1, state locked", stats.summarize(snapshot(2), 60));
        // The next window starts empty and counts missing pulses from where the last one ended.
        assertEquals("summary 60 s: no pulse accepted, missing 3, outliers 0, glitches 0, freq +23712 ppb, "
                + "state locked", stats.summarize(snapshot(5), 60));
    }

    @Test
    void statusLineTellsTheStory() {
        assertEquals("locked, offset 4 ns, freq +23712 ppb, time of day untrusted (no answer from the time-of-day "
                + "source yet)", Daemon.statusLine(snapshot(0)));
    }

    @Test
    void deviceNamesAreShortenedAsTs2phcDoes() {
        assertEquals("ptp0", Daemon.shortName("/dev/ptp0"));
        assertEquals("sim", Daemon.shortName("sim"));
    }
}
