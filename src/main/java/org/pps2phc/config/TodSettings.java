package org.pps2phc.config;

import java.util.Optional;

/**
 * The time-of-day check, for the chrony adapter.
 *
 * @param chronyAddress chronyd's command address, "host:port"
 * @param timeoutMs     how long the first query waits (retries wait twice and four times as long)
 * @param ownRefid      the refid of pps2phc's own refclock in chrony; empty: no circularity check
 * @param allowLocal    accept chrony's free-running local reference
 * @param maxErrorNs    the largest error bound that may name a second
 * @param intervalS     seconds between queries (at least 1)
 * @param maxAgeS       a verdict older than this many seconds (and than three intervals) is untrusted
 */
public record TodSettings(String chronyAddress, int timeoutMs, Optional<String> ownRefid, boolean allowLocal,
                          double maxErrorNs, double intervalS, double maxAgeS) {
    /** The age after which a verdict is untrusted, ns: tod_max_age, never less than three intervals. */
    public long maxAgeNs() {
        return Math.round(Math.max(maxAgeS, 3 * intervalS) * 1e9);
    }
}
