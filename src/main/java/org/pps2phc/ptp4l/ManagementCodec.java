package org.pps2phc.ptp4l;

import java.nio.charset.StandardCharsets;

/**
 * Encodes PTP management requests and decodes replies, byte by byte, as one datagram each on ptp4l's UNIX socket:
 * the 34-byte common header, the 14-byte management body (target port, boundary hops, action) and one TLV.
 */
public final class ManagementCodec {
    static final int HEADER_LENGTH = 34;
    static final int MANAGEMENT_BODY_END = 48;
    /** Header, management body, TLV type and length, management id. */
    static final int MIN_REPLY_LENGTH = 54;
    private static final int MESSAGE_TYPE_MANAGEMENT = 0x0D;
    private static final int VERSION_PTP = 2;
    private static final int MINOR_VERSION = 1;
    private static final int TLV_MANAGEMENT = 0x0001;
    private static final int TLV_MANAGEMENT_ERROR_STATUS = 0x0002;
    private static final int LOG_MESSAGE_INTERVAL_MANAGEMENT = 0x7F;

    private final int transportSpecific;
    private final int domainNumber;
    private final byte[] sourcePortIdentity;

    /**
     * @param transportSpecific 0..15, must equal ptp4l's (1 for gPTP configurations)
     * @param domainNumber      0..255, must equal ptp4l's domainNumber or ptp4l drops the message
     * @param sourceId          names this client in sourcePortIdentity, as pmc does with its pid: the high 16 bits
     *                          go to clockIdentity bytes 6..7 and the low 16 bits to portNumber
     */
    public ManagementCodec(int transportSpecific, int domainNumber, int sourceId) {
        if (transportSpecific < 0 || transportSpecific > 15) {
            throw new IllegalArgumentException("transportSpecific " + transportSpecific + " is outside 0..15");
        }
        if (domainNumber < 0 || domainNumber > 255) {
            throw new IllegalArgumentException("domainNumber " + domainNumber + " is outside 0..255");
        }
        this.transportSpecific = transportSpecific;
        this.domainNumber = domainNumber;
        this.sourcePortIdentity = new byte[10];
        sourcePortIdentity[6] = (byte) (sourceId >>> 24);
        sourcePortIdentity[7] = (byte) (sourceId >>> 16);
        Bytes.putU16(sourcePortIdentity, 8, sourceId & 0xFFFF);
    }

    public int domainNumber() {
        return domainNumber;
    }

    public int transportSpecific() {
        return transportSpecific;
    }

    /** A GET carries a zeroed data block of the id's size, as the standard asks and pmc does. */
    public byte[] get(int sequenceId, ManagementId id) {
        return encode(sequenceId, ManagementAction.GET, id, new byte[id.dataLength()]);
    }

    public byte[] set(int sequenceId, ManagementId id, byte[] data) {
        if (data.length != id.dataLength()) {
            throw new IllegalArgumentException(id + " data must be " + id.dataLength() + " bytes, not " + data.length);
        }
        return encode(sequenceId, ManagementAction.SET, id, data);
    }

    private byte[] encode(int sequenceId, ManagementAction action, ManagementId id, byte[] data) {
        int tlvLength = 2 + data.length; // managementId + data; our data blocks are all even-sized
        byte[] m = new byte[MANAGEMENT_BODY_END + 4 + tlvLength];
        m[0] = (byte) (transportSpecific << 4 | MESSAGE_TYPE_MANAGEMENT);
        m[1] = (byte) (MINOR_VERSION << 4 | VERSION_PTP);
        Bytes.putU16(m, 2, m.length);
        m[4] = (byte) domainNumber;
        // 5 minorSdoId, 6..7 flagField, 8..15 correctionField, 16..19 messageTypeSpecific: all zero
        System.arraycopy(sourcePortIdentity, 0, m, 20, 10);
        Bytes.putU16(m, 30, sequenceId & 0xFFFF);
        m[32] = 0; // controlField: 0 as pmc sends it (ptp4l also takes the standard's 0x04)
        m[33] = (byte) LOG_MESSAGE_INTERVAL_MANAGEMENT;
        for (int i = 34; i < 44; i++) {
            m[i] = (byte) 0xFF; // targetPortIdentity: all clocks, all ports
        }
        m[44] = 0; // startingBoundaryHops 0 and boundaryHops 0: ptp4l answers itself and forwards nothing
        m[45] = 0;
        m[46] = (byte) action.code();
        Bytes.putU16(m, 48, TLV_MANAGEMENT);
        Bytes.putU16(m, 50, tlvLength);
        Bytes.putU16(m, 52, id.code());
        System.arraycopy(data, 0, m, 54, data.length);
        return m;
    }

    /** Decodes one datagram from ptp4l; checks the framing only (the caller checks sequence, action and id). */
    public static ManagementReply decode(byte[] m) throws MalformedReplyException {
        if (m.length < MIN_REPLY_LENGTH) {
            throw new MalformedReplyException("reply of " + m.length + " bytes is shorter than a management message ("
                    + MIN_REPLY_LENGTH + ")");
        }
        if ((m[0] & 0x0F) != MESSAGE_TYPE_MANAGEMENT) {
            throw new MalformedReplyException(String.format("reply has messageType 0x%X, not MANAGEMENT (0xD)",
                    m[0] & 0x0F));
        }
        if ((m[1] & 0x0F) != VERSION_PTP) {
            throw new MalformedReplyException("reply has versionPTP " + (m[1] & 0x0F) + ", not 2");
        }
        int messageLength = Bytes.u16(m, 2);
        if (messageLength < MIN_REPLY_LENGTH || messageLength > m.length) {
            throw new MalformedReplyException("reply's messageLength " + messageLength + " does not fit its "
                    + m.length + " bytes");
        }
        int tlvType = Bytes.u16(m, 48);
        int tlvLength = Bytes.u16(m, 50);
        if (MANAGEMENT_BODY_END + 4 + tlvLength > messageLength) {
            throw new MalformedReplyException("reply's TLV length " + tlvLength + " runs past its messageLength "
                    + messageLength);
        }
        int transportSpecific = (m[0] & 0xF0) >>> 4;
        int domain = m[4] & 0xFF;
        int sequenceId = Bytes.u16(m, 30);
        int action = m[46] & 0x0F;
        int tlvStart = MANAGEMENT_BODY_END + 4;
        switch (tlvType) {
            case TLV_MANAGEMENT -> {
                if (tlvLength < 2) {
                    throw new MalformedReplyException("reply's MANAGEMENT TLV of length " + tlvLength + " has no id");
                }
                byte[] data = new byte[tlvLength - 2];
                System.arraycopy(m, tlvStart + 2, data, 0, data.length);
                return new ManagementReply(transportSpecific, domain, sequenceId, action, Bytes.u16(m, tlvStart),
                        data, java.util.Optional.empty());
            }
            case TLV_MANAGEMENT_ERROR_STATUS -> {
                if (tlvLength < 8) {
                    throw new MalformedReplyException("reply's MANAGEMENT_ERROR_STATUS TLV is " + tlvLength
                            + " bytes, shorter than 8");
                }
                int errorId = Bytes.u16(m, tlvStart);
                int managementId = Bytes.u16(m, tlvStart + 2);
                String text = "";
                int textStart = tlvStart + 8;
                if (tlvLength > 8) {
                    int textLength = m[textStart] & 0xFF;
                    if (textStart + 1 + textLength > tlvStart + tlvLength) {
                        throw new MalformedReplyException("error text of " + textLength
                                + " bytes runs past the TLV");
                    }
                    text = printable(new String(m, textStart + 1, textLength, StandardCharsets.UTF_8).trim());
                }
                return new ManagementReply(transportSpecific, domain, sequenceId, action, managementId, new byte[0],
                        java.util.Optional.of(new ManagementErrorStatus(errorId, managementId, text)));
            }
            default -> throw new MalformedReplyException(String.format("reply has TLV type 0x%04X, neither "
                    + "MANAGEMENT nor MANAGEMENT_ERROR_STATUS", tlvType));
        }
    }

    /** ptp4l's display text goes into one log line: control characters (a newline, an escape) become '?'. */
    private static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> b.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                ? '?' : c));
        return b.toString();
    }
}
