package org.pps2phc.chrony;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses and prints chronyd's command address: "127.0.0.1:323", "[::1]:323", "localhost", "::1". */
public final class ChronyAddress {
    public static final int DEFAULT_PORT = 323;
    public static final InetSocketAddress DEFAULT =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);

    private ChronyAddress() {
    }

    /**
     * @throws IllegalArgumentException with a one-line message when the text is not host[:port]
     */
    public static InetSocketAddress parse(String text) {
        String host;
        String port = null;
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("chrony address '" + text + "': missing ']' after the IPv6 address");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("chrony address '" + text + "': expected ':port' after ']'");
                }
                port = rest.substring(1);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        } else {
            host = t; // a bare IPv6 address has several ':' and no port
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("chrony address '" + text + "': no host (use e.g. 127.0.0.1:323)");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("chrony address '" + text + "': port must be 1 to 65535");
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("chrony address '" + text + "': unknown host '" + host + "'");
        }
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
