package org.pps2phc.linux;

import org.pps2phc.core.EdgeMode;

/** The PTP_EXTTS_REQUEST variant the driver accepted, which tells how many edges per pulse it stamps. */
public enum EdgeRequest {
    /** PTP_EXTTS_REQUEST2, rising edge only, strict: the driver stamps exactly that edge. */
    RISING_STRICT(EdgeMode.SINGLE, "rising edge only (PTP_EXTTS_REQUEST2, strict)"),
    /** PTP_EXTTS_REQUEST2, both edges: drivers such as igb and igc that cannot stamp one edge alone. */
    BOTH_STRICT(EdgeMode.BOTH, "both edges (PTP_EXTTS_REQUEST2, strict; the driver refuses one edge alone)"),
    /** The v1 PTP_EXTTS_REQUEST, for drivers whose REQUEST2 is broken (kernel 6.15+ on some PHYs): not strict. */
    RISING_V1(EdgeMode.SINGLE, "rising edge (v1 PTP_EXTTS_REQUEST, not strict: the driver's edge choice is unverified)");

    private final EdgeMode edgeMode;
    private final String description;

    EdgeRequest(EdgeMode edgeMode, String description) {
        this.edgeMode = edgeMode;
        this.description = description;
    }

    public EdgeMode edgeMode() {
        return edgeMode;
    }

    public String description() {
        return description;
    }
}
