package org.pps2phc.chrony;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * chrony's command-monitoring protocol (version 6), byte by byte: requests we send and the replies we accept.
 * All integers are big-endian; layout from chrony's candm.h (see docs/time-of-day.md).
 */
final class CmdmonCodec {
    static final int PROTO_VERSION = 6;
    static final int PKT_TYPE_REQUEST = 1;
    static final int PKT_TYPE_REPLY = 2;

    static final int REQ_N_SOURCES = 14;
    static final int REQ_SOURCE_DATA = 15;
    static final int REQ_TRACKING = 33;

    static final int RPY_N_SOURCES = 2;
    static final int RPY_SOURCE_DATA = 3;
    static final int RPY_TRACKING = 5;

    /** Request lengths: header plus padding up to the reply's length (chrony drops shorter requests). */
    static final int TRACKING_REQUEST_LENGTH = 104;
    static final int N_SOURCES_REQUEST_LENGTH = 32;
    static final int SOURCE_DATA_REQUEST_LENGTH = 76;

    static final int REPLY_HEADER_LENGTH = 28;
    static final int TRACKING_REPLY_LENGTH = 104;
    static final int N_SOURCES_REPLY_LENGTH = 32;
    static final int SOURCE_DATA_REPLY_LENGTH = 76;

    static final int STT_SUCCESS = 0;
    static final int STT_UNAUTH = 2;
    static final int STT_INVALID = 3;
    static final int STT_NOSUCHSOURCE = 4;
    static final int STT_BADPKTVERSION = 18;
    static final int STT_BADPKTLENGTH = 19;

    /**
     * The most sources a reply may claim. chronyd lists each in its own round trip; a stratum-1 server has a
     * handful, and a damaged or hostile count (0xFFFFFFFF, 200,000) must not become an allocation or a stall.
     */
    static final int MAX_SOURCES = 256;

    private CmdmonCodec() {
    }

    /** The requests pps2phc sends: chrony's command and reply numbers, and their lengths. */
    enum Command {
        TRACKING("tracking", REQ_TRACKING, TRACKING_REQUEST_LENGTH, RPY_TRACKING, TRACKING_REPLY_LENGTH),
        N_SOURCES("n_sources", REQ_N_SOURCES, N_SOURCES_REQUEST_LENGTH, RPY_N_SOURCES, N_SOURCES_REPLY_LENGTH),
        SOURCE_DATA("source_data", REQ_SOURCE_DATA, SOURCE_DATA_REQUEST_LENGTH, RPY_SOURCE_DATA,
                SOURCE_DATA_REPLY_LENGTH);

        final String text;
        final int code;
        final int requestLength;
        final int reply;
        final int replyLength;

        Command(String text, int code, int requestLength, int reply, int replyLength) {
            this.text = text;
            this.code = code;
            this.requestLength = requestLength;
            this.reply = reply;
            this.replyLength = replyLength;
        }
    }

    /** The largest request, the size of a buffer that takes any of them. */
    static final int MAX_REQUEST_LENGTH = TRACKING_REQUEST_LENGTH;

    /**
     * Writes a request into {@code into} from byte 0 (the header, the source's {@code index} for SOURCE_DATA, the
     * padding zeroed, whatever the buffer held before) and returns its length.
     */
    static int writeRequest(ByteBuffer into, Command command, int index, int sequence, int attempt) {
        Arrays.fill(into.array(), into.arrayOffset(), into.arrayOffset() + command.requestLength, (byte) 0);
        into.put(0, (byte) PROTO_VERSION);
        into.put(1, (byte) PKT_TYPE_REQUEST);
        into.putShort(4, (short) command.code);
        into.putShort(6, (short) attempt);
        into.putInt(8, sequence);
        if (command == Command.SOURCE_DATA) {
            into.putInt(20, index);
        }
        return command.requestLength;
    }

    /** A reply header that belongs to our request; anything else is not ours and is ignored, as chronyc does. */
    record ReplyHeader(int command, int reply, int status, int sequence) {
    }

    /**
     * Checks that a datagram is a version 6 reply to {@code command} with {@code sequence}; empty when it is not
     * (too short, other version, other type, reserved bytes set, other command or sequence).
     */
    static Optional<ReplyHeader> replyHeader(byte[] d, int length, int command, int sequence) {
        if (length < REPLY_HEADER_LENGTH) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(d, 0, length);
        int version = buf.get(0) & 0xFF;
        int status = buf.getShort(8) & 0xFFFF;
        boolean versionOk = version == PROTO_VERSION || (version >= 4 && status == STT_BADPKTVERSION);
        if (!versionOk || buf.get(1) != PKT_TYPE_REPLY || buf.get(2) != 0 || buf.get(3) != 0) {
            return Optional.empty();
        }
        int cmd = buf.getShort(4) & 0xFFFF;
        int seq = buf.getInt(16);
        if (cmd != command || seq != sequence) {
            return Optional.empty();
        }
        return Optional.of(new ReplyHeader(cmd, buf.getShort(6) & 0xFFFF, status, seq));
    }

    static TrackingReport decodeTracking(byte[] d) {
        ByteBuffer buf = ByteBuffer.wrap(d);
        return new TrackingReport(
                buf.getInt(28),
                ipAddress(d, 32),
                buf.getShort(52) & 0xFFFF,
                buf.getShort(54) & 0xFFFF,
                timespecNs(buf, 56),
                chronyFloat(buf.getInt(68)),
                chronyFloat(buf.getInt(72)),
                chronyFloat(buf.getInt(76)),
                chronyFloat(buf.getInt(80)),
                chronyFloat(buf.getInt(84)),
                chronyFloat(buf.getInt(88)),
                chronyFloat(buf.getInt(92)),
                chronyFloat(buf.getInt(96)),
                chronyFloat(buf.getInt(100)));
    }

    /** The number of sources in an N_SOURCES reply; a count above {@link #MAX_SOURCES} is refused. */
    static int decodeSourceCount(byte[] d, String server) throws ChronyException {
        long n = ByteBuffer.wrap(d).getInt(28) & 0xFFFFFFFFL;
        if (n > MAX_SOURCES) {
            throw ChronyException.badReply(server, "reports " + n + " sources, more than the " + MAX_SOURCES
                    + " pps2phc believes (a damaged or hostile reply)");
        }
        return (int) n;
    }

    static SourceReport decodeSourceData(byte[] d) {
        ByteBuffer buf = ByteBuffer.wrap(d);
        return new SourceReport(
                ipAddress(d, 28),
                buf.getShort(48),
                buf.getShort(50) & 0xFFFF,
                SourceReport.State.of(buf.getShort(52) & 0xFFFF),
                buf.getShort(54) & 0xFFFF,
                buf.getShort(56) & 0xFFFF,
                buf.getShort(58) & 0xFFFF,
                buf.getInt(60) & 0xFFFFFFFFL,
                chronyFloat(buf.getInt(64)),
                chronyFloat(buf.getInt(68)),
                chronyFloat(buf.getInt(72)));
    }

    /**
     * chrony's 32-bit Float: a signed 7-bit exponent in bits 31..25 and a signed 25-bit coefficient in bits 24..0;
     * value = coefficient * 2^(exponent - 25).
     */
    static double chronyFloat(int word) {
        int exponent = word >> 25; // arithmetic shift keeps the sign of the 7-bit exponent
        int coefficient = (word << 7) >> 7; // sign-extend the low 25 bits
        return coefficient * Math.pow(2, exponent - 25);
    }

    /** chrony's Timespec: seconds high word (0x7FFFFFFF means 0), low word, nanoseconds clamped to 999999999. */
    static long timespecNs(ByteBuffer buf, int at) {
        long high = buf.getInt(at) & 0xFFFFFFFFL;
        long low = buf.getInt(at + 4) & 0xFFFFFFFFL;
        long nsec = Math.min(buf.getInt(at + 8) & 0xFFFFFFFFL, 999_999_999L);
        if (high == 0x7FFFFFFFL) {
            high = 0;
        }
        return ((high << 32) | low) * 1_000_000_000L + nsec;
    }

    /** chrony's IPAddr: 16 address bytes, then the family (0 none, 1 IPv4, 2 IPv6, 3 ID). */
    static ChronyAddr ipAddress(byte[] d, int at) {
        ByteBuffer buf = ByteBuffer.wrap(d);
        int family = buf.getShort(at + 16) & 0xFFFF;
        byte[] raw = new byte[16];
        System.arraycopy(d, at, raw, 0, 16);
        return new ChronyAddr(family, raw);
    }
}
