package org.pps2phc.receiver;

import java.util.Optional;
import java.util.function.Consumer;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PulseSource;

/** A pulse source that also hands every event to the receiver, which pairs its messages with the pulses. */
public final class PulseTap implements PulseSource {
    private final PulseSource pulses;
    private final Consumer<ExttsEvent> tap;

    public PulseTap(PulseSource pulses, Consumer<ExttsEvent> tap) {
        this.pulses = pulses;
        this.tap = tap;
    }

    @Override
    public EdgeMode edgeMode() {
        return pulses.edgeMode();
    }

    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws ClockException, InterruptedException {
        Optional<ExttsEvent> e = pulses.next(timeoutNs);
        e.ifPresent(tap);
        return e;
    }

    @Override
    public void close() {
        pulses.close();
    }
}
