package org.pps2phc.linux;

/**
 * One programmable pin of a PHC (struct ptp_pin_desc).
 *
 * @param function PTP_PF_NONE 0, EXTTS 1, PEROUT 2, PHYSYNC 3
 * @param channel  the extts or perout channel the function uses
 */
public record PinDescription(int index, String name, int function, int channel) {
    public String functionName() {
        return switch (function) {
            case PtpIoctls.PTP_PF_NONE -> "none";
            case PtpIoctls.PTP_PF_EXTTS -> "extts";
            case PtpIoctls.PTP_PF_PEROUT -> "perout";
            case PtpIoctls.PTP_PF_PHYSYNC -> "physync";
            default -> "function " + function;
        };
    }
}
