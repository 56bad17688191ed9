package org.pps2phc.daemon;

import java.util.List;
import java.util.Optional;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.PhcClock;
import org.pps2phc.core.port.PulseSource;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * Everything the daemon drives, opened by a {@link DaemonAssembly}: the real devices or the simulator.
 *
 * @param phc          the clock being disciplined
 * @param pulses       the armed extts channel
 * @param timeOfDay    the time-of-day judge (chrony)
 * @param sinks        NTP outputs (SHM, SOCK); may be empty
 * @param keeper       ptp4l's grandmaster settings, if enabled
 * @param clock        CLOCK_MONOTONIC (or the simulator's virtual time) for the engine
 * @param crossTime    on-demand PHC/system cross-timestamps for holdover samples, if the device can
 * @param description  one line for the start-up log ("/dev/ptp0 (eth0, igb) channel 0, pin 0")
 */
public record Ports(PhcClock phc, PulseSource pulses, TimeOfDaySource timeOfDay, List<SampleSink> sinks,
                   Optional<Ptp4lUpdater> keeper, MonotonicClock clock, Optional<CrossTimestamper> crossTime,
                   String description) {
    public Ports {
        sinks = List.copyOf(sinks);
    }

    /** Names of the outputs, for status. */
    public List<String> outputNames() {
        List<String> names = new java.util.ArrayList<>();
        for (SampleSink s : sinks) {
            names.add(s.name());
        }
        keeper.ifPresent(k -> names.add(k.name()));
        return names;
    }
}
