package org.pps2phc.linux;

import org.pps2phc.core.EdgeMode;

/**
 * The PTP_EXTTS_REQUEST variant the driver accepted. Only a strict request (kernel 5.5 and later) says how many edges
 * the driver stamps; the others are a hint, and the engine learns the truth from the pulse train (two phase clusters
 * a pulse width apart are both edges, whatever the request said). docs/hardware.md tells which kernel takes which.
 */
public enum EdgeRequest {
    /** PTP_EXTTS_REQUEST2, rising edge only, strict: the driver stamps exactly that edge. */
    RISING_STRICT(EdgeMode.SINGLE, true, "rising edge only (PTP_EXTTS_REQUEST2, strict)"),
    /** PTP_EXTTS_REQUEST2, both edges: drivers such as igb and igc that cannot stamp one edge alone. */
    BOTH_STRICT(EdgeMode.BOTH, true, "both edges (PTP_EXTTS_REQUEST2, strict; the driver refuses one edge alone)"),
    /** PTP_EXTTS_REQUEST2 of a kernel without strict flags (EINVAL for them): the driver may stamp both edges. */
    RISING_UNVERIFIED(EdgeMode.SINGLE, false, "rising edge asked (PTP_EXTTS_REQUEST2 without strict flags: "
            + "which edges the driver stamps is learnt from the pulse train)"),
    /**
     * The v1 PTP_EXTTS_REQUEST: kernels before 5.4, and drivers whose REQUEST2 refuses every strict request (kernel
     * 6.15+ on some PHYs). Not strict.
     */
    RISING_V1(EdgeMode.SINGLE, false, "rising edge asked (v1 PTP_EXTTS_REQUEST, not strict: which edges the driver "
            + "stamps is learnt from the pulse train)");

    private final EdgeMode edgeMode;
    private final boolean verified;
    private final String description;

    EdgeRequest(EdgeMode edgeMode, boolean verified, String description) {
        this.edgeMode = edgeMode;
        this.verified = verified;
        this.description = description;
    }

    /** The edges the request asked for: what the driver stamps when {@link #verified()}, a hint otherwise. */
    public EdgeMode edgeMode() {
        return edgeMode;
    }

    /** Whether the kernel checked the request strictly, so that {@link #edgeMode()} is what the driver does. */
    public boolean verified() {
        return verified;
    }

    public String description() {
        return description;
    }
}
