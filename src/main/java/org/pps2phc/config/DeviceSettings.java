package org.pps2phc.config;

/**
 * The pulse input, for the Linux PHC adapter.
 *
 * @param name              the device section's name: an interface ("eth0") or a PHC ("/dev/ptp0"); null if none
 * @param channel           ts2phc.channel
 * @param pinIndex          ts2phc.pin_index
 * @param pinName           ts2phc.pin_name ("" when unset; overrides pinIndex)
 * @param polarity          ts2phc.extts_polarity: "rising", "falling" or "both"
 * @param exttsCorrectionNs ts2phc.extts_correction
 * @param pulseWidthNs      ts2phc.pulsewidth (-1: learn)
 */
public record DeviceSettings(String name, int channel, int pinIndex, String pinName, String polarity,
                             long exttsCorrectionNs, long pulseWidthNs) {
}
