package org.pps2phc.ptp4l;

import java.time.Duration;

/**
 * How to reach ptp4l's management socket.
 *
 * @param udsAddress        ptp4l's uds_address (its read-write socket; SET is refused on the read-only one)
 * @param clientAddress     pps2phc's own address, which ptp4l replies to: '@name' (abstract, same network
 *                          namespace only) or a path
 * @param domainNumber      must equal ptp4l's domainNumber
 * @param transportSpecific must equal ptp4l's transportSpecific (unless ptp4l sets ignore_transport_specific)
 * @param replyTimeout      how long one request waits for its reply
 */
public record Ptp4lClientConfig(String udsAddress, String clientAddress, int domainNumber, int transportSpecific,
                                Duration replyTimeout) {
    /** linuxptp up to 4.4's default; newer linuxptp uses /var/run/ptp/ptp4l and keeps this as a symlink. */
    public static final String DEFAULT_UDS_ADDRESS = "/var/run/ptp4l";
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofMillis(150);

    public Ptp4lClientConfig {
        if (udsAddress == null || udsAddress.isEmpty()) {
            throw new IllegalArgumentException("uds_address is empty");
        }
        if (clientAddress == null || clientAddress.isEmpty()) {
            throw new IllegalArgumentException("the client address is empty");
        }
        if (clientAddress.equals(udsAddress)) {
            // binding there would unlink ptp4l's own socket
            throw new IllegalArgumentException("the client address must differ from ptp4l's uds_address " + udsAddress);
        }
        if (domainNumber < 0 || domainNumber > 255) {
            throw new IllegalArgumentException("domainNumber " + domainNumber + " is outside 0..255");
        }
        if (transportSpecific < 0 || transportSpecific > 15) {
            throw new IllegalArgumentException("transportSpecific " + transportSpecific + " is outside 0..15");
        }
        if (replyTimeout == null || replyTimeout.isNegative() || replyTimeout.isZero()
                || replyTimeout.toMillis() > 5000) {
            throw new IllegalArgumentException("reply timeout " + replyTimeout + " is outside 1 ms..5 s");
        }
    }

    /** The defaults: /var/run/ptp4l, abstract '@pps2phc.PID.ptp4l', domain 0, transportSpecific 0, 150 ms. */
    public static Ptp4lClientConfig defaults() {
        return new Ptp4lClientConfig(DEFAULT_UDS_ADDRESS, defaultClientAddress(), 0, 0, DEFAULT_REPLY_TIMEOUT);
    }

    /** '@pps2phc.PID.ptp4l': abstract, so nothing is left behind in the file system. */
    public static String defaultClientAddress() {
        return "@pps2phc." + ProcessHandle.current().pid() + ".ptp4l";
    }

    public Ptp4lClientConfig withUdsAddress(String address) {
        return new Ptp4lClientConfig(address, clientAddress, domainNumber, transportSpecific, replyTimeout);
    }

    public Ptp4lClientConfig withClientAddress(String address) {
        return new Ptp4lClientConfig(udsAddress, address, domainNumber, transportSpecific, replyTimeout);
    }

    public Ptp4lClientConfig withDomainNumber(int domain) {
        return new Ptp4lClientConfig(udsAddress, clientAddress, domain, transportSpecific, replyTimeout);
    }

    public Ptp4lClientConfig withTransportSpecific(int ts) {
        return new Ptp4lClientConfig(udsAddress, clientAddress, domainNumber, ts, replyTimeout);
    }

    public Ptp4lClientConfig withReplyTimeout(Duration timeout) {
        return new Ptp4lClientConfig(udsAddress, clientAddress, domainNumber, transportSpecific, timeout);
    }
}
