package org.pps2phc.core;

/** What the engine made of one extts event. */
public enum PulseVerdict {
    /** A leading edge, labelled and fed to the servo. */
    ACCEPTED,
    /** The trailing edge of a pulse on a NIC that stamps both edges: expected, not used. */
    TRAILING_EDGE,
    /** Fits no edge of the pulse train: a spurious event. */
    GLITCH,
    /** A leading edge too far from where the pulse train says it should be: not fed to the servo. */
    OUTLIER,
    /** Not yet known whether this is a pulse or a glitch (the train is being learned), or which edge leads. */
    UNCLASSIFIED,
    /** No trusted time of day to name its second, and the PHC's own seconds are not yet established. */
    UNLABELLED,
    /** Timestamped before the last step (an older era): never compared with the new one. */
    STALE;

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
