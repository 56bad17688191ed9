package org.pps2phc.receiver;

import java.util.Optional;
import java.util.function.UnaryOperator;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PulseSource;

/**
 * A pulse source that hands every event to the receiver, which pairs its messages with the pulses and may correct
 * the event (qErr), before the engine sees it.
 */
public final class PulseTap implements PulseSource {
    private final PulseSource pulses;
    private final UnaryOperator<ExttsEvent> tap;

    public PulseTap(PulseSource pulses, UnaryOperator<ExttsEvent> tap) {
        this.pulses = pulses;
        this.tap = tap;
    }

    @Override
    public EdgeMode edgeMode() {
        return pulses.edgeMode();
    }

    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws ClockException, InterruptedException {
        return pulses.next(timeoutNs).map(tap);
    }

    @Override
    public void wakeUp() {
        pulses.wakeUp();
    }

    @Override
    public void close() {
        pulses.close();
    }
}
