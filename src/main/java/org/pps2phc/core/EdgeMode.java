package org.pps2phc.core;

/** Which pulse edges the NIC's external-timestamp channel reports. */
public enum EdgeMode {
    /** One event per pulse: the configured edge only. */
    SINGLE,
    /** Two events per pulse, leading and trailing, which software must tell apart (Intel igb/igc). */
    BOTH;
}
