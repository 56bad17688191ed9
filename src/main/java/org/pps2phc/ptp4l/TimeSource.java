package org.pps2phc.ptp4l;

/** IEEE 1588 timeSource values pps2phc announces. */
public final class TimeSource {
    /** GNSS (named GPS in 1588-2008). */
    public static final int GNSS = 0x20;
    /** A free-running oscillator: what ptp4l announces by default. */
    public static final int INTERNAL_OSCILLATOR = 0xA0;

    private TimeSource() {
    }
}
