package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.os.PseudoTerminal;

/** The RAM-only set-up, as a receiver on the far end of a pty receives it. */
class UbxSetupTest {
    @Test
    void cfgValsetToTheRamLayerOnlyThenCfgMsgForOlderReceivers() throws Exception {
        byte[] received = new byte[4096];
        int n = 0;
        try (PseudoTerminal pty = PseudoTerminal.open();
             ByteTransport t = SerialTransport.opener(pty.path(), 115_200, UbxSetup.frames()).open()) {
            byte[] buf = new byte[4096];
            for (int r; n < UbxSetup.frames().length && (r = pty.readFromFarEnd(buf, 2000)) > 0; n += r) {
                System.arraycopy(buf, 0, received, n, r);
            }
        }
        byte[] sent = java.util.Arrays.copyOf(received, n);
        assertArrayEquals(UbxSetup.frames(), sent, "the far end reads exactly the frames");
        List<String> frames = new ArrayList<>();
        StreamDecoder d = new StreamDecoder(0);
        d.feed(sent, sent.length, 0, x -> frames.add(x.message().name()));
        assertEquals(List.of("UBX-06-8A", "UBX-06-01", "UBX-06-01", "UBX-06-01"), frames, "well-formed frames");
        assertEquals(0x01, sent[7], "CFG-VALSET layers: RAM only (never BBR 0x02 or flash 0x04)");
        int valsetLength = (sent[4] & 0xFF) | (sent[5] & 0xFF) << 8;
        assertEquals(4 + 6 * 5, valsetLength, "NAV-TIMEUTC, NAV-TIMELS, TIM-TP on UART1 and USB");
        assertEquals(0x2091017E, UbxParser.i4(sent, 6 + 4 + 4 * 5), "CFG-MSGOUT-UBX_TIM_TP_UART1");
    }
}
