package org.pps2phc.metrics;

import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.ForwardingSink;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.SampleSink;

/** A sink that counts what passes through it into {@link DaemonMetrics}, then hands it on unchanged. */
final class CountingSink extends ForwardingSink {
    private final MonotonicClock clock;
    private final DaemonMetrics metrics;
    private long lastSampleMonoNs = -1;

    CountingSink(SampleSink sink, MonotonicClock clock, DaemonMetrics metrics) {
        super(sink);
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void publish(PhcSample sample) {
        super.publish(sample);
        lastSampleMonoNs = clock.nanos();
        metrics.samplePublished(name());
    }

    /** Seconds since the last sample at monotonic time {@code nowNs}; +Inf before the first. */
    double lastSampleAgeS(long nowNs) {
        return lastSampleMonoNs < 0 ? Double.POSITIVE_INFINITY : (nowNs - lastSampleMonoNs) / 1e9;
    }
}
