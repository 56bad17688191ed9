package org.pps2phc.core;

import java.util.Locale;

/** The discipline state, which every output (logs, status, SHM, ptp4l) reports. */
public enum State {
    /** No usable pulses, or the holdover budget ran out: the PHC runs on its last frequency. */
    FREE_RUNNING,
    /** Pulses arrive; the second is being named and the servo is converging. */
    ACQUIRING,
    /** Each pulse is on its second and the servo has converged. */
    LOCKED,
    /** Pulses were lost while locked: the best frequency estimate is held, no steps. */
    HOLDOVER;

    /** Written once: every pulse's log line, status line and status file name the state. */
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** "free-running", "acquiring", "locked", "holdover". */
    public String label() {
        return label;
    }
}
