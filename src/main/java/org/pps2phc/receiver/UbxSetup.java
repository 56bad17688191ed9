package org.pps2phc.receiver;

import java.io.ByteArrayOutputStream;

/**
 * The optional RAM-only set-up of a u-blox receiver (ubx_setup 1): the messages pps2phc reads best, NAV-TIMEUTC,
 * NAV-TIMELS and TIM-TP, switched on at every navigation epoch. Generation 9 and later take CFG-VALSET to the RAM
 * layer only, for UART1 and USB (whichever this port is); earlier ones take CFG-MSG, which sets the port it arrives
 * on. A receiver NAKs what it does not know. Nothing is written to flash or battery-backed RAM: the receiver is as
 * it was after its next power cycle.
 */
public final class UbxSetup {
    private static final int CFG = 0x06;
    private static final int CFG_MSG = 0x01;
    private static final int CFG_VALSET = 0x8A;
    private static final int LAYER_RAM = 0x01;
    /** CFG-MSGOUT keys on UART1 (the USB one is two more): NAV-TIMEUTC, NAV-TIMELS, TIM-TP. */
    private static final long[] MSGOUT_UART1 = {0x2091005CL, 0x20910061L, 0x2091017EL};
    private static final int USB_OFFSET = 2;
    /** The same messages as (class, id) for CFG-MSG. */
    private static final int[][] LEGACY = {{0x01, 0x21}, {0x01, 0x26}, {0x0D, 0x01}};

    private UbxSetup() {
    }

    /** The frames to send, in order. */
    public static byte[] frames() {
        ByteArrayOutputStream valset = new ByteArrayOutputStream();
        valset.write(0); // version
        valset.write(LAYER_RAM);
        valset.write(0);
        valset.write(0);
        for (long key : MSGOUT_UART1) {
            for (long k : new long[] {key, key + USB_OFFSET}) {
                for (int b = 0; b < 4; b++) {
                    valset.write((int) (k >> (8 * b)) & 0xFF);
                }
                valset.write(1); // a one-byte value (key bits 28-30 = 2): output at every epoch
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(UbxParser.frame(CFG, CFG_VALSET, valset.toByteArray()));
        for (int[] m : LEGACY) {
            out.writeBytes(UbxParser.frame(CFG, CFG_MSG, new byte[] {(byte) m[0], (byte) m[1], 1}));
        }
        return out.toByteArray();
    }
}
