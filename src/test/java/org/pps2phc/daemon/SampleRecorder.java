package org.pps2phc.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.SampleSink;

/** An NTP output for tests: every sample published, and "withdraw" for each withdrawal, in order. */
final class SampleRecorder implements SampleSink {
    final List<PhcSample> published = new CopyOnWriteArrayList<>();
    /** "p" for each sample published, "w" for each withdrawal. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public void publish(PhcSample sample) {
        published.add(sample);
        calls.add("p");
    }

    @Override
    public void withdraw() {
        calls.add("w");
    }

    @Override
    public void close() {
    }
}
