package org.pps2phc.ntpshm;

/**
 * Whether a sink's samples reach their consumer, for status output and for the daemon to log once per change.
 *
 * @param delivering the last sample was handed to the consumer
 * @param detail     what happened, one line (which socket, which error, what to do)
 */
public record SinkStatus(boolean delivering, String detail) {
}
