package org.pps2phc.receiver;

import java.util.List;

/**
 * One burst of messages describing one navigation epoch (the pulse just gone), as the assembler closed it.
 *
 * @param startSysNs   system time of the burst's first byte: what the burst is paired with its pulse by
 * @param lastByteSysNs system time of its last byte
 * @param idleBefore   the line was quiet before it (false: it followed the previous burst with no gap, so its start
 *                     says nothing about its pulse)
 * @param partial      it began before the port was read (the first burst after opening)
 * @param messages     what it carried, in order
 */
public record Epoch(long startSysNs, long lastByteSysNs, boolean idleBefore, boolean partial,
                    List<ReceiverMessage> messages) {
    public Epoch {
        messages = List.copyOf(messages);
    }

    public long lengthNs() {
        return lastByteSysNs - startSysNs;
    }
}
