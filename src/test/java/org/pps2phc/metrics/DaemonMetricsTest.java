package org.pps2phc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.SampleSink;

class DaemonMetricsTest {
    private static final long S = 1_000_000_000L;
    private static final LeapState LEAP = LeapState.fixed(37, "test");

    private final DaemonMetrics metrics = new DaemonMetrics("1.2.3", OptionalDouble.of(100));

    private Map<String, Double> scrape() {
        return Exposition.samples(Exposition.text(metrics.registry()));
    }

    private static Observation.Pulse pulse(PulseVerdict verdict, double offsetNs) {
        return new Observation.Pulse(0, 0, 0, verdict, 100, offsetNs, 12.5, State.LOCKED, "s2");
    }

    private static Snapshot snapshot(State state, TodVerdict tod, long lastPulseNs, long missing) {
        return snapshot(state, tod, lastPulseNs, missing, "anchored");
    }

    private static Snapshot snapshot(State state, TodVerdict tod, long lastPulseNs, long missing, String seconds) {
        return new Snapshot(state, 0, 5, 12.5, tod, lastPulseNs, 10, missing, 0, 0, EdgeMode.SINGLE, 0, "pi", 40,
                seconds);
    }

    @Test
    void aDisputeOverTheSecondsIsAGaugeForItsAlert() {
        TodVerdict tod = TodVerdict.trusted(1e6, LEAP, "sim");
        metrics.snapshot(snapshot(State.LOCKED, tod, 9 * S, 0), 9 * S);
        assertEquals(0, scrape().get("pps2phc_seconds_disputed"));
        metrics.snapshot(snapshot(State.ACQUIRING, tod, 10 * S, 0, "disputed"), 10 * S);
        assertEquals(1, scrape().get("pps2phc_seconds_disputed"));
    }

    @Test
    void pulsesAreCountedByVerdictAndAcceptedOffsetsFallInTheirBuckets() {
        metrics.observe(pulse(PulseVerdict.ACCEPTED, -35));
        metrics.observe(pulse(PulseVerdict.ACCEPTED, 12));
        metrics.observe(pulse(PulseVerdict.ACCEPTED, 250));
        metrics.observe(pulse(PulseVerdict.GLITCH, Double.NaN));
        Map<String, Double> m = scrape();
        assertEquals(3, m.get("pps2phc_pulses_total{verdict=\"accepted\"}"));
        assertEquals(1, m.get("pps2phc_pulses_total{verdict=\"glitch\"}"));
        assertEquals(0, m.get("pps2phc_pulses_total{verdict=\"outlier\"}"), "every verdict is there from the start");
        assertEquals(250e-9, m.get("pps2phc_offset_seconds"), 1e-15);
        assertEquals(1, m.get("pps2phc_offset_abs_seconds_bucket{le=\"2.0E-8\"}"));
        assertEquals(2, m.get("pps2phc_offset_abs_seconds_bucket{le=\"4.0E-8\"}"));
        assertEquals(2, m.get("pps2phc_offset_abs_seconds_bucket{le=\"1.0E-7\"}"));
        assertEquals(3, m.get("pps2phc_offset_abs_seconds_bucket{le=\"3.0E-7\"}"));
        assertEquals(3, m.get("pps2phc_offset_abs_seconds_count"), "the glitch has no offset");
        assertEquals(12.5e-9, m.get("pps2phc_frequency_offset_ratio"), 1e-18);
        assertEquals(1, m.get("pps2phc_build_info{java=\"" + System.getProperty("java.version")
                + "\",version=\"1.2.3\"}"));
        assertEquals(100e-9, m.get("pps2phc_clock_accuracy_seconds"), 1e-18);
    }

    @Test
    void theStateIsOneHotAndHoldoverIsTimedFromItsStart() {
        TodVerdict tod = TodVerdict.trusted(1e6, LEAP, "sim");
        metrics.snapshot(snapshot(State.LOCKED, tod, 9 * S, 0), 9 * S);
        metrics.observe(new Observation.StateChange(State.LOCKED, State.HOLDOVER, "pulses lost", 10 * S));
        metrics.snapshot(snapshot(State.HOLDOVER, tod, 9 * S, 1), 11 * S);
        metrics.snapshot(snapshot(State.HOLDOVER, tod, 9 * S, 3), 14 * S);
        Map<String, Double> m = scrape();
        assertEquals(1, m.get("pps2phc_state{state=\"holdover\"}"));
        assertEquals(0, m.get("pps2phc_state{state=\"locked\"}"));
        assertEquals(0, m.get("pps2phc_state{state=\"free-running\"}"));
        assertEquals(4, m.get("pps2phc_holdover_current_seconds"), 1e-9);
        assertEquals(3, m.get("pps2phc_holdover_seconds_total"), 1e-9, "counted between the snapshots in holdover");
        assertEquals(5, m.get("pps2phc_last_pulse_age_seconds"), 1e-9);
        assertEquals(3, m.get("pps2phc_pulses_missing_total"));
        assertEquals(1, m.get("pps2phc_state_changes_total{state=\"holdover\"}"));
        assertEquals(40e-9, m.get("pps2phc_time_error_bound_seconds"), 1e-18);

        metrics.snapshot(snapshot(State.LOCKED, tod, 15 * S, 3), 15 * S);
        m = scrape();
        assertEquals(1, m.get("pps2phc_state{state=\"locked\"}"));
        assertEquals(0, m.get("pps2phc_state{state=\"holdover\"}"));
        assertEquals(0, m.get("pps2phc_holdover_current_seconds"));
        assertEquals(3, m.get("pps2phc_holdover_seconds_total"), 1e-9);
    }

    @Test
    void anUntrustedTimeOfDayNamesItsReasonWithNumbersMaskedAndTheLeapIsShown() {
        LeapState leap = new LeapState(37, Leap.INSERT, 1_798_761_600L, "test");
        metrics.observe(new Observation.TodChange(TodVerdict.untrusted("error bound 3.125 ms (limit 1 ms)", leap,
                "none")));
        Map<String, Double> m = scrape();
        assertEquals(0, m.get("pps2phc_time_of_day_trusted"));
        assertEquals(1, m.get("pps2phc_time_of_day_untrusted{reason=\"error bound N ms (limit N ms)\"}"));
        assertEquals(37, m.get("pps2phc_tai_utc_offset_seconds"));
        assertEquals(1, m.get("pps2phc_leap_pending"));
        assertEquals(1_798_761_600.0, m.get("pps2phc_leap_time_seconds"));

        metrics.observe(new Observation.TodChange(TodVerdict.trusted(2e5, leap, "PPS0")));
        m = scrape();
        assertEquals(1, m.get("pps2phc_time_of_day_trusted"));
        assertEquals(2e-4, m.get("pps2phc_time_of_day_error_bound_seconds"), 1e-15);
        assertTrue(m.keySet().stream().noneMatch(k -> k.startsWith("pps2phc_time_of_day_untrusted{")),
                "no reason once trusted: " + m.keySet());
    }

    @Test
    void samplesAreCountedPerOutputWithTheAgeOfTheLast() {
        long[] now = {20 * S};
        List<PhcSample> received = new ArrayList<>();
        SampleSink shm = new SampleSink() {
            @Override
            public String name() {
                return "ntpshm 2";
            }

            @Override
            public void publish(PhcSample sample) {
                received.add(sample);
            }

            @Override
            public void withdraw() {
            }

            @Override
            public void close() {
            }
        };
        List<SampleSink> counted = metrics.counting(List.of(shm), () -> now[0]);
        TodVerdict tod = TodVerdict.trusted(1e6, LEAP, "sim");
        metrics.snapshot(snapshot(State.LOCKED, tod, 20 * S, 0), 20 * S);
        assertEquals(Double.POSITIVE_INFINITY, scrape().get("pps2phc_output_last_sample_age_seconds{output=\"ntpshm 2\"}"));
        PhcSample sample = new PhcSample(37 * S, 0, 100, LEAP, State.LOCKED);
        counted.get(0).publish(sample);
        counted.get(0).publish(sample);
        now[0] = 22 * S;
        metrics.snapshot(snapshot(State.LOCKED, tod, 22 * S, 0), 22 * S + S / 2);
        Map<String, Double> m = scrape();
        assertEquals(2, received.size(), "the samples reach the sink");
        assertEquals(2, m.get("pps2phc_output_samples_total{output=\"ntpshm 2\"}"));
        assertEquals(2.5, m.get("pps2phc_output_last_sample_age_seconds{output=\"ntpshm 2\"}"), 1e-9);
    }

    @Test
    void ptp4lClassAndConfirmationAppearOnlyOnceReported() {
        assertFalse(scrape().containsKey("pps2phc_ptp4l_clock_class"));
        metrics.ptp4l(7, false);
        Map<String, Double> m = scrape();
        assertEquals(7, m.get("pps2phc_ptp4l_clock_class"));
        assertEquals(0, m.get("pps2phc_ptp4l_confirmed"));
    }
}
