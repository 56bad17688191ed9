package org.pps2phc.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses chronyd's command address as the config and the command line give it: "127.0.0.1:323", "[::1]:323", "localhost", "::1". */
public final class ChronyAddressParser {
    public static final int DEFAULT_PORT = 323;

    private ChronyAddressParser() {
    }

    /**
     * @throws IllegalArgumentException with a one-line message when the text is not host[:port]
     */
    public static InetSocketAddress parse(String text) {
        return parse(text, "chrony address", DEFAULT_PORT);
    }

    /**
     * {@code host[:port]} of any UDP or TCP peer, {@code what} naming it in messages ("gpsd address").
     *
     * @throws IllegalArgumentException with a one-line message when the text is not host[:port]
     */
    public static InetSocketAddress parse(String text, String what, int defaultPort) {
        String host;
        String port = null;
        String t = text.strip();
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(what + " '" + text + "': missing ']' after the IPv6 address");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(what + " '" + text + "': expected ':port' after ']'");
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
            throw new IllegalArgumentException(what + " '" + text + "': no host (use e.g. 127.0.0.1:"
                    + defaultPort + ")");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException(what + " '" + text + "': port must be 1 to 65535");
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(what + " '" + text + "': unknown host '" + host + "'");
        }
    }

}
