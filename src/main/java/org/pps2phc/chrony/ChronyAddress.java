package org.pps2phc.chrony;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Prints chronyd's command address as chronyc would accept it: "127.0.0.1:323", "[::1]:323". */
public final class ChronyAddress {
    public static final int DEFAULT_PORT = 323;
    public static final InetSocketAddress DEFAULT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);

    private ChronyAddress() {
    }

    /** "127.0.0.1:323" or "[::1]:323". */
    public static String format(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            int zone = host.indexOf('%');
            String bare = zone >= 0 ? host.substring(0, zone) : host;
            host = "[" + compressIpv6(bare) + "]";
        }
        return host + ":" + a.getPort();
    }

    /** RFC 5952 short form: the longest run of two or more zero groups becomes "::". */
    static String compressIpv6(String host) {
        String[] groups = host.split(":", -1);
        if (groups.length != 8) {
            return host;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return host;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
        return head + "::" + tail;
    }
}
