package org.pps2phc.daemon;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.port.TimeOfDaySource;
import org.pps2phc.receiver.ReceiverStatus;

/**
 * Everything the daemon drives, opened by a {@link DaemonAssembly}: the real devices or the simulator.
 *
 * @param device       the PHC and its extts channel, opened (and reopened) by the daemon
 * @param timeOfDay    the time-of-day judge (chrony)
 * @param sinks        NTP outputs (SHM, SOCK); may be empty
 * @param keeper       ptp4l's grandmaster settings, if enabled
 * @param clock        CLOCK_MONOTONIC (or the simulator's virtual time) for the engine
 * @param description  one line for the start-up log ("eth0, channel 0, pin 0")
 * @param receiver     the GNSS receiver's (or gpsd's) side of the time of day, for the status file; empty without
 */
public record Ports(PulseDevice device, TimeOfDaySource timeOfDay, List<SampleSink> sinks,
                   Optional<Ptp4lUpdater> keeper, MonotonicClock clock, String description,
                   Supplier<Optional<ReceiverStatus>> receiver) {
    public Ports {
        sinks = List.copyOf(sinks);
    }

    /** Without a receiver. */
    public Ports(PulseDevice device, TimeOfDaySource timeOfDay, List<SampleSink> sinks,
                 Optional<Ptp4lUpdater> keeper, MonotonicClock clock, String description) {
        this(device, timeOfDay, sinks, keeper, clock, description, Optional::empty);
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
