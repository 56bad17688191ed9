package org.pps2phc.core.port;

/** CLOCK_MONOTONIC, or the simulator's virtual time. */
@FunctionalInterface
public interface MonotonicClock {
    long nanos();
}
