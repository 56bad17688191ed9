package org.pps2phc.daemon;

import org.pps2phc.core.Snapshot;

/**
 * Keeps ptp4l's grandmaster settings true to the discipline state (the ptp4l adapter implements it). It is called on
 * the daemon's ptp4l worker thread, never on the event loop, so it may block on ptp4l for as long as it must: the
 * worker always hands it the newest snapshot and drops the ones it had no time for.
 */
public interface Ptp4lUpdater extends AutoCloseable {
    /** For status and logs ("ptp4l /var/run/ptp4l"). */
    String name();

    /**
     * Called at least once a second with the current state; the keeper decides when to send (on change, and every
     * resend period). Exceptions are logged by the worker and the next snapshot comes as usual.
     */
    void update(Snapshot snapshot) throws Exception;

    /** The clockClass last sent to ptp4l and whether ptp4l confirmed it, for metrics; empty before the first try. */
    default java.util.Optional<Announcement> lastAnnouncement() {
        return java.util.Optional.empty();
    }

    /** @param confirmed ptp4l confirmed these settings and no attempt has failed since */
    record Announcement(int clockClass, boolean confirmed) {
    }

    /** Leaves ptp4l announcing that this grandmaster is not traceable (the daemon is stopping). */
    @Override
    void close();
}
