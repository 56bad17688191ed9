package org.pps2phc.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.port.SampleSink;

/**
 * The daemon's Prometheus metrics, kept from the engine's observations and its once-a-second snapshots (nothing is
 * computed inside core). The daemon's event loop calls {@link #observe} and {@link #snapshot}, its ptp4l worker
 * calls {@link #ptp4l} (always that one thread); the HTTP server's thread reads {@link #registry()}. The Prometheus client's metrics are
 * safe across those threads. docs/monitoring.md lists every metric.
 */
public final class DaemonMetrics implements ObservationListener {
    /** |offset| buckets, seconds: every 10 ns up to 100 ns (where a locked PHC lives), then coarser to 1 s. */
    static final double[] OFFSET_BUCKETS_S = {1e-9, 2e-9, 5e-9, 10e-9, 20e-9, 30e-9, 40e-9, 50e-9, 60e-9, 70e-9,
        80e-9, 90e-9, 100e-9, 150e-9, 200e-9, 300e-9, 500e-9, 1e-6, 2e-6, 5e-6, 10e-6, 100e-6, 1e-3, 10e-3, 0.1, 1};
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge state = gauge("pps2phc_state", "1 for the discipline state the daemon is in, 0 for the others",
            "state");
    private final Gauge offset = gauge("pps2phc_offset_seconds",
            "The last accepted pulse's offset: PHC minus the second it was labelled with");
    private final Histogram offsetAbs = Histogram.builder().name("pps2phc_offset_abs_seconds")
            .help("|offset| of every accepted pulse").classicOnly().classicUpperBounds(OFFSET_BUCKETS_S)
            .withoutExemplars().register(registry);
    private final Gauge frequency = gauge("pps2phc_frequency_offset_ratio",
            "The frequency adjustment dialled into the PHC, as a ratio (1e-9 is 1 ppb)");
    private final Gauge timeErrorBound = gauge("pps2phc_time_error_bound_seconds",
            "How far the PHC may be from true time now (NaN when unknown: acquiring, free-running)");
    private final Counter pulses = counter("pps2phc_pulses", "extts events by what the engine made of them",
            "verdict");
    private final Counter missing = counter("pps2phc_pulses_missing", "Expected pulses that did not come");
    private final Gauge lastPulseAge = gauge("pps2phc_last_pulse_age_seconds",
            "Seconds since the last accepted pulse (+Inf before the first)");
    private final Gauge todTrusted = gauge("pps2phc_time_of_day_trusted",
            "1 when the time of day (chrony) may name seconds, 0 when not");
    private final Gauge todUntrusted = gauge("pps2phc_time_of_day_untrusted",
            "1 for each reason the time of day is not trusted now (numbers masked as N); absent when trusted",
            "reason");
    private final Gauge todErrorBound = gauge("pps2phc_time_of_day_error_bound_seconds",
            "The time-of-day source's bound on the system clock's error (+Inf when unknown)");
    private final Gauge secondsDisputed = gauge("pps2phc_seconds_disputed",
            "1 while a trusted time of day disagrees by whole seconds with the PHC's seconds (not locked), else 0");
    private final Gauge taiUtc = gauge("pps2phc_tai_utc_offset_seconds", "TAI-UTC in effect");
    private final Gauge leapPending = gauge("pps2phc_leap_pending",
            "The leap second announced: 1 insert, -1 delete, 0 none");
    private final Gauge leapTime = gauge("pps2phc_leap_time_seconds",
            "When the announced leap second takes effect, UTC seconds since 1970 (0 when none)");
    /** Registered on the first ptp4l report, so that a daemon without ptp4l_update has neither. */
    private Gauge clockClass;
    private Gauge ptp4lConfirmed;
    private final Counter samples = counter("pps2phc_output_samples", "Samples written to each output", "output");
    private final Gauge sampleAge = gauge("pps2phc_output_last_sample_age_seconds",
            "Seconds since the last sample written to each output (+Inf before the first)", "output");
    private final Gauge holdover = gauge("pps2phc_holdover_current_seconds",
            "Seconds in the current holdover (0 when not in holdover)");
    private final Counter holdoverTotal = counter("pps2phc_holdover_seconds",
            "Seconds spent in holdover since the daemon started");
    private final Counter stateChanges = counter("pps2phc_state_changes", "Discipline state changes, by new state",
            "state");
    private final Counter disagreements = counter("pps2phc_time_of_day_disagreements",
            "Pulses whose PHC second disagreed with the trusted time of day");
    private final Counter actionFailures = counter("pps2phc_phc_action_failures",
            "Frequency changes and steps the PHC refused");

    private final List<CountingSink> sinks = new ArrayList<>();
    private State current;
    private long holdoverSinceNs = -1;
    private long lastSnapshotNs = -1;
    private long missingSeen;
    private String untrustedReasons = "";

    /**
     * @param version         the build's version, for pps2phc_build_info
     * @param clockAccuracyNs the configured clock accuracy while locked, for the p99 alert (empty: unknown)
     */
    public DaemonMetrics(String version, OptionalDouble clockAccuracyNs) {
        Info.builder().name("pps2phc_build_info").help("The running build: version and Java runtime")
                .labelNames("version", "java").register(registry)
                .setLabelValues(version, System.getProperty("java.version"));
        for (PulseVerdict v : PulseVerdict.values()) {
            pulses.initLabelValues(v.label());
        }
        for (State s : State.values()) {
            state.labelValues(s.label()).set(0);
            stateChanges.initLabelValues(s.label());
        }
        clockAccuracyNs.ifPresent(ns -> gauge("pps2phc_clock_accuracy_seconds",
                "The configured clock_accuracy while locked (absent when clock_accuracy is -1)").set(ns / 1e9));
        lastPulseAge.set(Double.POSITIVE_INFINITY);
        timeErrorBound.set(Double.NaN);
        offset.set(Double.NaN);
        holdover.set(0);
    }

    /** The version string this jar's manifest names ("development" in a build without one). */
    public static String buildVersion() {
        String v = DaemonMetrics.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** {@code sinks}, each counting its samples into pps2phc_output_samples_total (ages measured on {@code clock}). */
    public List<SampleSink> counting(List<SampleSink> outputs, MonotonicClock clock) {
        List<SampleSink> wrapped = new ArrayList<>();
        for (SampleSink s : outputs) {
            CountingSink c = new CountingSink(s, clock, this);
            samples.initLabelValues(s.name());
            sampleAge.labelValues(s.name()).set(Double.POSITIVE_INFINITY);
            sinks.add(c);
            wrapped.add(c);
        }
        return wrapped;
    }

    void samplePublished(String output) {
        samples.labelValues(output).inc();
    }

    @Override
    public void observe(Observation observation) {
        if (observation instanceof Observation.Pulse p) {
            pulses.labelValues(p.verdict().label()).inc();
            if (p.verdict() == PulseVerdict.ACCEPTED && !Double.isNaN(p.offsetNs())) {
                offset.set(p.offsetNs() / 1e9);
                offsetAbs.observe(Math.abs(p.offsetNs()) / 1e9);
            }
            frequency.set(p.freqPpb() / 1e9);
        } else if (observation instanceof Observation.StateChange s) {
            stateChanges.labelValues(s.to().label()).inc();
            if (s.to() == State.HOLDOVER) {
                holdoverSinceNs = s.monoNs();
            }
        } else if (observation instanceof Observation.TodChange t) {
            tod(t.verdict());
        } else if (observation instanceof Observation.Disagreement) {
            disagreements.inc();
        } else if (observation instanceof Observation.ActionFailed) {
            actionFailures.inc();
        }
    }

    /** The engine's state once a second, at the engine's monotonic time {@code nowNs}. */
    public void snapshot(Snapshot snap, long nowNs) {
        if (snap.state() != current) {
            if (current != null) {
                state.labelValues(current.label()).set(0);
            }
            state.labelValues(snap.state().label()).set(1);
        }
        if (snap.state() == State.HOLDOVER) {
            if (holdoverSinceNs < 0) {
                holdoverSinceNs = nowNs;
            }
            if (current == State.HOLDOVER && lastSnapshotNs >= 0) {
                holdoverTotal.inc(Math.max(0, nowNs - lastSnapshotNs) / 1e9);
            }
            holdover.set(Math.max(0, nowNs - holdoverSinceNs) / 1e9);
        } else {
            holdoverSinceNs = -1;
            holdover.set(0);
        }
        current = snap.state();
        lastSnapshotNs = nowNs;
        secondsDisputed.set(snap.secondsDisputed() ? 1 : 0);
        frequency.set(snap.frequencyPpb() / 1e9);
        timeErrorBound.set(snap.timeErrorBoundNs() / 1e9);
        lastPulseAge.set(snap.lastPulseMonoNs() < 0 ? Double.POSITIVE_INFINITY
                : (nowNs - snap.lastPulseMonoNs()) / 1e9);
        if (snap.missingPulses() > missingSeen) {
            missing.inc(snap.missingPulses() - missingSeen);
            missingSeen = snap.missingPulses();
        }
        tod(snap.tod());
        for (CountingSink s : sinks) {
            sampleAge.labelValues(s.name()).set(s.lastSampleAgeS(nowNs));
        }
    }

    /** What the ptp4l worker last did: the clockClass it sent and whether ptp4l confirmed it. */
    public void ptp4l(int sentClockClass, boolean confirmed) {
        if (clockClass == null) {
            clockClass = gauge("pps2phc_ptp4l_clock_class", "The clockClass last sent to ptp4l");
            ptp4lConfirmed = gauge("pps2phc_ptp4l_confirmed",
                    "1 when ptp4l confirmed the grandmaster settings last sent, 0 when not");
        }
        clockClass.set(sentClockClass);
        ptp4lConfirmed.set(confirmed ? 1 : 0);
    }

    private void tod(TodVerdict verdict) {
        todTrusted.set(verdict.trusted() ? 1 : 0);
        todErrorBound.set(verdict.errorBoundNs() / 1e9);
        String reasons = String.join("\n", verdict.reasons());
        if (!reasons.equals(untrustedReasons)) {
            todUntrusted.clear();
            for (String r : verdict.reasons()) {
                todUntrusted.labelValues(NUMBER.matcher(r).replaceAll("N")).set(1);
            }
            untrustedReasons = reasons;
        }
        LeapState leap = verdict.leap();
        taiUtc.set(leap.taiMinusUtcS());
        leapPending.set(leap.pending() == Leap.INSERT ? 1 : leap.pending() == Leap.DELETE ? -1 : 0);
        leapTime.set(leap.pending() == Leap.NONE ? 0 : leap.leapAtUtcS());
    }

    private Gauge gauge(String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).withoutExemplars().register(registry);
    }
}
