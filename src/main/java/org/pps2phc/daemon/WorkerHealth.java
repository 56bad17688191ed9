package org.pps2phc.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether every worker thread still makes progress: each one beats at least once per turn of its own loop, and one
 * that has not beaten within its limit is stuck. The event loop pets systemd's watchdog only while none is, so a
 * stuck pulse reader or time-of-day poller gets the daemon restarted. Times are CLOCK_MONOTONIC ns given by the
 * caller, so tests run it in virtual time.
 */
final class WorkerHealth {
    /** The last beat is updated in place: a beat, several a second, allocates nothing. */
    private record Worker(String name, long limitNs, AtomicLong lastBeatNs) {
    }

    /** Replaced whole when a worker starts or ends (rarely); read without a lock or an iterator, every second. */
    private volatile Worker[] workers = new Worker[0];

    /** Starts watching {@code name}, which must beat at least every {@code limitNs}. */
    synchronized void watch(String name, long limitNs, long nowNs) {
        List<Worker> next = without(name);
        next.add(new Worker(name, limitNs, new AtomicLong(nowNs)));
        workers = next.toArray(new Worker[0]);
    }

    /** Stops watching {@code name} (it ended on purpose). */
    synchronized void forget(String name) {
        workers = without(name).toArray(new Worker[0]);
    }

    private List<Worker> without(String name) {
        List<Worker> rest = new ArrayList<>();
        for (Worker w : workers) {
            if (!w.name().equals(name)) {
                rest.add(w);
            }
        }
        return rest;
    }

    void beat(String name, long nowNs) {
        for (Worker w : workers) {
            if (w.name().equals(name)) {
                w.lastBeatNs().set(nowNs);
            }
        }
    }

    /** The workers that have not beaten within their limit, each as "name (N s without progress)". */
    List<String> stuck(long nowNs) {
        List<String> stuck = List.of();
        for (Worker w : workers) {
            long silentNs = nowNs - w.lastBeatNs().get();
            if (silentNs > w.limitNs()) {
                if (stuck.isEmpty()) {
                    stuck = new ArrayList<>();
                }
                stuck.add(String.format("%s (%.0f s without progress)", w.name(), silentNs / 1e9));
            }
        }
        if (stuck.size() > 1) {
            stuck.sort(null);
        }
        return stuck;
    }
}
