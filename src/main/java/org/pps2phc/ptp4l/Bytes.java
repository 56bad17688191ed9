package org.pps2phc.ptp4l;

/** Big-endian field access for PTP messages. */
final class Bytes {
    private Bytes() {
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static int s16(byte[] b, int off) {
        return (short) u16(b, off);
    }

    static int s32(byte[] b, int off) {
        return (u16(b, off) << 16) | u16(b, off + 2);
    }

    static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) (v >> 8);
        b[off + 1] = (byte) v;
    }

    /** linuxptp's way of printing a clock identity: 001122.fffe.334455. */
    static String clockIdentity(byte[] b, int off) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == 3 || i == 5) {
                s.append('.');
            }
            s.append(String.format("%02x", b[off + i] & 0xFF));
        }
        return s.toString();
    }
}
