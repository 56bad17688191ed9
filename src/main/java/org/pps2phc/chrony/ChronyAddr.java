package org.pps2phc.chrony;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** chrony's IPAddr as sent in cmdmon replies: a family and 16 address bytes. */
public record ChronyAddr(int family, byte[] raw) {
    public static final int UNSPEC = 0;
    public static final int INET4 = 1;
    public static final int INET6 = 2;
    public static final int ID = 3;

    public ChronyAddr {
        raw = raw.clone();
    }

    /** The first four bytes as a big-endian word: the IPv4 address, or a refclock's refid. */
    public int word() {
        return ByteBuffer.wrap(raw).getInt(0);
    }

    @Override
    public String toString() {
        try {
            return switch (family) {
                case INET4 -> InetAddress.getByAddress(Arrays.copyOf(raw, 4)).getHostAddress();
                case INET6 -> InetAddress.getByAddress(raw).getHostAddress();
                case ID -> String.format("ID#%08X", word());
                default -> "-";
            };
        } catch (UnknownHostException e) {
            throw new IllegalStateException("fixed-length address rejected", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChronyAddr a && a.family == family && Arrays.equals(a.raw, raw);
    }

    @Override
    public int hashCode() {
        return 31 * family + Arrays.hashCode(raw);
    }
}
