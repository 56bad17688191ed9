package org.pps2phc.core;

/** A leap second announced for the end of the current UTC day (or none). */
public enum Leap {
    NONE, INSERT, DELETE
}
