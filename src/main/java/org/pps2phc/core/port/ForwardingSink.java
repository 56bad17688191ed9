package org.pps2phc.core.port;

import org.pps2phc.core.PhcSample;

/** A sink that hands everything on to another: a decorator overrides what it changes. */
public abstract class ForwardingSink implements SampleSink {
    private final SampleSink sink;

    protected ForwardingSink(SampleSink sink) {
        this.sink = sink;
    }

    @Override
    public String name() {
        return sink.name();
    }

    @Override
    public void publish(PhcSample sample) {
        sink.publish(sample);
    }

    @Override
    public void withdraw() {
        sink.withdraw();
    }

    @Override
    public void close() {
        sink.close();
    }
}
