package org.pps2phc.core;

/**
 * Staleness and eras: every step (and every change of device) opens an era, and an event stamped on an older
 * timeline is recognised by the step floor and by its age against its own cross-timestamp, so nothing is compared
 * across eras.
 */
final class Eras {
    private static final long SECOND = DisciplineConfig.SECOND_NS;
    /** An event whose cross-timestamp came later than this after its edge is from before a step or garbled. */
    private static final long MAX_EVENT_AGE_NS = 2 * SECOND;
    /** A cross-timestamp may precede its edge by this much (clock read granularity), no more. */
    private static final long MIN_EVENT_AGE_NS = -SECOND / 1000;

    private long era;
    /** Edges timestamped before this PHC time predate the last step. */
    private long stepFloorPhcNs = Long.MIN_VALUE;

    long era() {
        return era;
    }

    boolean isStale(ExttsEvent event) {
        return event.phcNs() < stepFloorPhcNs || event.ageNs() < MIN_EVENT_AGE_NS
                || event.ageNs() > MAX_EVENT_AGE_NS;
    }

    /** The PHC is stepped by {@code deltaNs} right after {@code event}'s cross-timestamp: the new era's number. */
    long stepped(ExttsEvent event, long deltaNs) {
        era++;
        stepFloorPhcNs = event.xts().phcNs() + deltaNs;
        return era;
    }

    /** The device went away or came back: a new era with no floor (its timeline is unknown). */
    void deviceChanged() {
        era++;
        stepFloorPhcNs = Long.MIN_VALUE;
    }
}
