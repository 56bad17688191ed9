package org.pps2phc.core.port;

import org.pps2phc.core.TodVerdict;

/** Judges whether the system clock may name seconds (chrony's tracking, in production). */
public interface TimeOfDaySource {
    /** Asks once; blocks for at most the source's own timeout. Never throws: trouble is an untrusted verdict. */
    TodVerdict query();
}
