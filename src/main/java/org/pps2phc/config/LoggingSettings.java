package org.pps2phc.config;

/**
 * What the daemon logs (all of it can change on SIGHUP).
 *
 * @param syslogLevel      the least important syslog priority logged (0..7)
 * @param messageTag       put at the start of each line ("" for none)
 * @param pulseLogLevel    "debug", "info", "notice" or "off"
 * @param pulseLogInterval log every Nth pulse
 * @param summaryIntervalS seconds between summaries (0: none)
 */
public record LoggingSettings(int syslogLevel, String messageTag, String pulseLogLevel, int pulseLogInterval,
                              int summaryIntervalS) {
}
