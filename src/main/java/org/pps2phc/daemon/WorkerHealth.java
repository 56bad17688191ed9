package org.pps2phc.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether every worker thread still makes progress: each one beats at least once per turn of its own loop, and one
 * that has not beaten within its limit is stuck. The event loop pets systemd's watchdog only while none is, so a
 * stuck pulse reader or time-of-day poller gets the daemon restarted. Times are CLOCK_MONOTONIC ns given by the
 * caller, so tests run it in virtual time.
 */
final class WorkerHealth {
    /** The last beat is updated in place: a beat, several a second, allocates nothing. */
    private record Worker(long limitNs, AtomicLong lastBeatNs) {
    }

    private final Map<String, Worker> workers = new ConcurrentHashMap<>();

    /** Starts watching {@code name}, which must beat at least every {@code limitNs}. */
    void watch(String name, long limitNs, long nowNs) {
        workers.put(name, new Worker(limitNs, new AtomicLong(nowNs)));
    }

    /** Stops watching {@code name} (it ended on purpose). */
    void forget(String name) {
        workers.remove(name);
    }

    void beat(String name, long nowNs) {
        Worker w = workers.get(name);
        if (w != null) {
            w.lastBeatNs().set(nowNs);
        }
    }

    /** The workers that have not beaten within their limit, each as "name (N s without progress)". */
    List<String> stuck(long nowNs) {
        List<String> stuck = new ArrayList<>();
        workers.forEach((name, w) -> {
            long silentNs = nowNs - w.lastBeatNs().get();
            if (silentNs > w.limitNs()) {
                stuck.add(String.format("%s (%.0f s without progress)", name, silentNs / 1e9));
            }
        });
        stuck.sort(null);
        return stuck;
    }
}
