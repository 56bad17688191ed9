package org.pps2phc.sim;

import java.util.concurrent.TimeUnit;

/** Maps virtual time to the wall clock (System.nanoTime) for real-time runs, at a chosen speed. */
final class WallPacer {
    private final long simAnchorNs;
    private final long wallAnchorNs;
    private final double speed;

    WallPacer(long simAnchorNs, long wallAnchorNs, double speed) {
        this.simAnchorNs = simAnchorNs;
        this.wallAnchorNs = wallAnchorNs;
        this.speed = speed;
    }

    long simNow() {
        return simAnchorNs + (long) ((System.nanoTime() - wallAnchorNs) * speed);
    }

    /** Sleeps until virtual time reaches {@code simNs} on the wall clock. */
    void sleepUntil(long simNs) throws InterruptedException {
        long wallTarget = wallAnchorNs + (long) ((simNs - simAnchorNs) / speed);
        for (long left = wallTarget - System.nanoTime(); left > 0; left = wallTarget - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
