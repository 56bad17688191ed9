package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.port.PulseSource;

class PulseTapTest {
    /** The tap stands in for the channel in the daemon: the stop's wake-up and the close must reach the channel. */
    @Test
    void passesTheWakeUpAndTheCloseToTheChannel() {
        List<String> calls = new ArrayList<>();
        PulseSource channel = new PulseSource() {
            @Override
            public EdgeMode edgeMode() {
                return EdgeMode.SINGLE;
            }

            @Override
            public Optional<ExttsEvent> next(long timeoutNs) {
                return Optional.empty();
            }

            @Override
            public void wakeUp() {
                calls.add("wakeUp");
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
        PulseTap tap = new PulseTap(channel, e -> e);
        tap.wakeUp();
        tap.close();
        assertEquals(List.of("wakeUp", "close"), calls);
    }
}
