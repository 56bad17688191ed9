package org.pps2phc.ntpshm;

import java.util.function.Consumer;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.SampleSink;

/**
 * Publishes PHC samples in an NTP SHM refclock segment for chrony ({@code refclock SHM N}) or ntpd
 * ({@code refclock shm unit N}). Each sample is the PHC (UTC, or TAI when configured) against CLOCK_REALTIME at the
 * same instant, from the cross-timestamp taken after a pulse; its precision is the cross-timestamp bracket.
 * What to publish and when (locked, holdover) is the engine's decision.
 */
public final class NtpShmSink implements SampleSink {
    private final NtpShmConfig config;
    private final NtpShmSegment segment;
    private final Consumer<String> onOtherWriter;
    private long published;
    private boolean otherWriterReported;

    private NtpShmSink(NtpShmConfig config, NtpShmSegment segment, Consumer<String> onOtherWriter) {
        this.config = config;
        this.segment = segment;
        this.onOtherWriter = onOtherWriter;
    }

    /**
     * Creates the segment with {@code config.permissions()}, or attaches to an existing one, and leaves it with no
     * valid sample until the first {@link #publish}.
     *
     * @throws NtpShmException with a one-line message naming the segment, its owner and mode, and what to do
     */
    public static NtpShmSink open(NtpShmConfig config) throws NtpShmException {
        return open(config, message -> { });
    }

    /**
     * {@link #open(NtpShmConfig)}, and {@code onOtherWriter} is told (once, in one line) when another process writes
     * the segment while this sink does: one that started after this one was opened.
     */
    public static NtpShmSink open(NtpShmConfig config, Consumer<String> onOtherWriter) throws NtpShmException {
        return new NtpShmSink(config, NtpShmSegment.open(config), onOtherWriter);
    }

    @Override
    public String name() {
        return "ntpshm unit " + config.unit();
    }

    public NtpShmConfig config() {
        return config;
    }

    /** Whether this process created the segment (otherwise chronyd, ntpd or an earlier run did). */
    public boolean createdSegment() {
        return segment.created();
    }

    /** The segment's owner, mode and number of attached processes now; for status and the start-up log. */
    public SegmentInfo segmentInfo() throws NtpShmException {
        return segment.info();
    }

    /** Samples written since open. */
    public long published() {
        return published;
    }

    @Override
    public void publish(PhcSample sample) {
        long foreign = segment.write(ShmTime.of(sample, config.timescale()));
        published++;
        if (foreign >= 0 && !otherWriterReported) {
            otherWriterReported = true;
            onOtherWriter.accept(String.format("NTP SHM unit %d (key 0x%08x): another process wrote the segment "
                    + "since our last sample (count %d): chronyd or ntpd sees two clocks' samples alternate; stop "
                    + "that writer (an old phc2sys, another pps2phc) or give this instance its own ntpshm_segment",
                    config.unit(), config.key(), foreign));
        }
    }

    @Override
    public void withdraw() {
        segment.invalidate();
    }

    /** Withdraws the sample and detaches; the segment stays for the consumers attached to it. */
    @Override
    public void close() {
        segment.invalidate();
        segment.close();
    }
}
