package org.pps2phc.config;

/** Where a key may appear in the config file. */
public enum Scope {
    /** Only in {@code [global]} (or before any section). */
    GLOBAL,
    /** In a device section such as {@code [eth0]} or {@code [/dev/ptp0]}, or in {@code [global]} as the default. */
    DEVICE;

    public String label() {
        return this == GLOBAL ? "global" : "global or device";
    }
}
