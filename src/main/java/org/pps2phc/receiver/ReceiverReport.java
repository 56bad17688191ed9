package org.pps2phc.receiver;

import java.util.List;
import org.pps2phc.core.TodVerdict;

/**
 * The receiver as {@code pps2phc tod} shows it.
 *
 * @param port        the serial port or TCP address
 * @param verdict     the time-of-day verdict now
 * @param counts      bytes, messages and checksum failures on the stream
 * @param last        the latest pulse named (its delay after the pulse, the system clock's offset), or null
 * @param lastMessages the time messages of the latest burst
 * @param lastInvalid why the latest burst named no second, or null
 * @param note        a remark that does not stop it ("bursts of 2.1 s"), or ""
 * @param epochs      bursts seen
 * @param paired      bursts paired with a pulse
 */
public record ReceiverReport(String port, TodVerdict verdict, StreamDecoder.Counts counts,
                             PulsePairing.Pairing last, List<String> lastMessages, String lastInvalid, String note,
                             long epochs, long paired) {
    public ReceiverReport {
        lastMessages = List.copyOf(lastMessages);
    }
}
