package org.pps2phc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import org.pps2phc.receiver.ByteTransport;
import org.pps2phc.receiver.ReceiverProbe;
import org.pps2phc.receiver.SerialTransport;
import org.pps2phc.receiver.TcpTransport;

/** {@code pps2phc tod --receiver PORT}: what the receiver says, heard for a few seconds. */
final class ReceiverTod {
    private ReceiverTod() {
    }

    static int print(PrintWriter out, String port, int baud, double listenS, int assumedTaiMinusUtc) {
        if (!(listenS > 0 && listenS <= 60)) {
            throw new UserError(ExitCodes.USAGE, "--listen: give 0 to 60 seconds, got " + listenS);
        }
        ByteTransport.Opener opener = opener(port, baud);
        ReceiverProbe.Heard h;
        try {
            h = ReceiverProbe.listen(opener, Math.round(listenS * 1e9), assumedTaiMinusUtc, ReceiverTod::nowNs);
        } catch (IOException e) {
            throw new UserError(ExitCodes.UNAVAILABLE, e.getMessage()
                    + (e.getMessage().contains("in use") ? " (if pps2phc runs on it, 'pps2phc status' shows its"
                    + " verdict)" : ""));
        }
        line(out, "Receiver", port + (port.startsWith("/") ? " at " + baud + " baud" : ""));
        line(out, "Bytes", String.format(Locale.ROOT, "%d, %d messages, %d bad checksums", h.counts().bytes(),
                h.counts().messages(), h.counts().badChecksums()));
        line(out, "Messages", h.messages().isEmpty() ? "(none)" : String.join(" ", h.messages()));
        line(out, "Bursts", h.bursts() + (h.bursts() > 0 ? String.format(Locale.ROOT, ", the last %.3f s long",
                h.lastLengthNs() / 1e9) : ""));
        line(out, "Time", h.lastSecond() == Long.MIN_VALUE ? "none" : Instant.ofEpochSecond(h.lastSecond()) + " UTC");
        line(out, "Valid", h.lastWhyNot() == null ? "yes" : "no: " + h.lastWhyNot());
        line(out, "TAI-UTC", h.taiMinusUtc() == Integer.MIN_VALUE ? "not said by the receiver (the daemon takes "
                + "it from the kernel, the leap file or utc_offset)" : h.taiMinusUtc() + " s from the receiver");
        line(out, "Pulse delay", "needs the pulses: 'pps2phc status' while the daemon runs");
        out.flush();
        boolean good = h.lastWhyNot() == null && h.lastSecond() != Long.MIN_VALUE;
        return good ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    private static ByteTransport.Opener opener(String port, int baud) {
        if (port.startsWith("/")) {
            return SerialTransport.opener(port, baud);
        }
        int colon = port.lastIndexOf(':');
        if (colon <= 0) {
            throw new UserError(ExitCodes.USAGE, "--receiver: a serial port (/dev/ttyS0) or HOST:PORT, got '" + port
                    + "'");
        }
        int p;
        try {
            p = Integer.parseInt(port.substring(colon + 1));
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new UserError(ExitCodes.USAGE, "--receiver " + port + ": the TCP port must be 1 to 65535");
        }
        String host = port.substring(0, colon);
        return TcpTransport.opener(host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host, p);
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "%-14s %s%n", label + ":", value);
    }

    private static long nowNs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
