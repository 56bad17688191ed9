package org.pps2phc.core;

import java.util.Locale;

/** What the engine dials while it holds over ({@code holdover_mode}). */
public enum HoldoverMode {
    /** The frequency predicted from what the lock saw ({@link HoldoverPredictor}): the daemon's default. */
    PREDICT,
    /**
     * The frequency the servo last dialled, kept as it was, as linuxptp's ts2phc keeps it when pulses stop: the
     * baseline that shows what prediction buys.
     */
    FREEZE;

    /** The name in the configuration file. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code key} in the configuration file. */
    public static HoldoverMode of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
