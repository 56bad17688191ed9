package org.pps2phc.daemon;

import java.util.Optional;
import org.pps2phc.core.port.PhcClock;
import org.pps2phc.core.port.PulseSource;

/**
 * One opening of a {@link PulseDevice}.
 *
 * @param phc         the clock being disciplined
 * @param pulses      its armed extts channel
 * @param crossTime   on-demand PHC/system cross-timestamps for holdover samples, if the device can
 * @param description one line for the log ("/dev/ptp0 (eth0), channel 0, pin 0, rising edge only (...)")
 * @param closer      disarms the channel and closes the device
 */
public record OpenDevice(PhcClock phc, PulseSource pulses, Optional<CrossTimestamper> crossTime, String description,
                         AutoCloseable closer) {
}
