package org.pps2phc.daemon;

import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.port.ClockException;

/** Reads the PHC against the system clock on demand: the event loop asks once a second in HOLDOVER. */
@FunctionalInterface
public interface CrossTimestamper {
    CrossTimestamp read() throws ClockException;
}
