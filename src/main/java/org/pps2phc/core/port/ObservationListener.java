package org.pps2phc.core.port;

import org.pps2phc.core.Observation;

/** Receives every observation the engine makes (the daemon's logger, the simulator's scorer, status). */
@FunctionalInterface
public interface ObservationListener {
    void observe(Observation observation);
}
