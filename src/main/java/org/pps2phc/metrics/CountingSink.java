package org.pps2phc.metrics;

import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.SampleSink;

/** A sink that counts what passes through it into {@link DaemonMetrics}, then hands it on unchanged. */
final class CountingSink implements SampleSink {
    private final SampleSink sink;
    private final MonotonicClock clock;
    private final DaemonMetrics metrics;
    private long lastSampleMonoNs = -1;

    CountingSink(SampleSink sink, MonotonicClock clock, DaemonMetrics metrics) {
        this.sink = sink;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public void publish(PhcSample sample) {
        sink.publish(sample);
        lastSampleMonoNs = clock.nanos();
        metrics.samplePublished(sink.name());
    }

    @Override
    public void withdraw() {
        sink.withdraw();
    }

    @Override
    public void close() {
        sink.close();
    }

    /** Seconds since the last sample at monotonic time {@code nowNs}; +Inf before the first. */
    double lastSampleAgeS(long nowNs) {
        return lastSampleMonoNs < 0 ? Double.POSITIVE_INFINITY : (nowNs - lastSampleMonoNs) / 1e9;
    }
}
