package org.pps2phc.config;

/**
 * The time-of-day check, for the chrony adapter.
 *
 * @param chronyAddress chronyd's command address: "host:port" (UDP) or a Unix socket path
 * @param timeoutMs     how long one query may take
 * @param ownRefid      the refid of pps2phc's own refclock in chrony: never trusted as a time of day
 * @param maxErrorNs    the largest error bound that may name a second
 * @param intervalS     seconds between queries (at least 1)
 */
public record TodSettings(String chronyAddress, int timeoutMs, String ownRefid, double maxErrorNs, double intervalS) {
}
