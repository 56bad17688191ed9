package org.pps2phc.core.port;

import org.pps2phc.core.PhcSample;

/** A consumer of PHC samples (NTP SHM segment, chrony SOCK). */
public interface SampleSink extends AutoCloseable {
    String name();

    void publish(PhcSample sample);

    /** Leaves the output with nothing a consumer could take as a fresh sample. */
    void withdraw();

    @Override
    void close();
}
