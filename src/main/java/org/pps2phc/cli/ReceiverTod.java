package org.pps2phc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.time.Instant;
import java.util.Locale;
import org.pps2phc.daemon.DaemonStatus;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.StatusFile;
import org.pps2phc.daemon.UserError;
import org.pps2phc.receiver.ByteTransport;
import org.pps2phc.receiver.ReceiverProbe;
import org.pps2phc.receiver.ReceiverStatus;
import org.pps2phc.receiver.SerialTransport;
import org.pps2phc.receiver.TcpTransport;

/**
 * {@code pps2phc tod --receiver PORT}: what the receiver says, heard for a few seconds; {@code pps2phc tod} with the
 * receiver as the daemon's time of day: the running daemon's pairing of its messages with the pulses.
 */
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
        line(out, "Pulse delay", "needs the pulses: 'pps2phc tod' shows the running daemon's");
        out.flush();
        boolean good = h.lastWhyNot() == null && h.lastSecond() != Long.MIN_VALUE;
        return good ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    /**
     * {@code pps2phc tod} with the receiver (or gpsd) as the daemon's time of day: the running daemon's pairing, from
     * its status file in {@code statusDir}. Exits 0 when its time of day is trusted.
     */
    static int printDaemons(PrintWriter out, Path statusDir, boolean json) {
        StatusFile file = new StatusFile(statusDir);
        Optional<String> text;
        try {
            text = file.read();
        } catch (IOException e) {
            throw new UserError(ExitCodes.UNAVAILABLE, "cannot read " + file.path() + ": " + e.getMessage());
        }
        String notRunning = ": 'pps2phc tod --receiver PORT' listens to the receiver while no daemon reads it";
        if (text.isEmpty()) {
            throw new UserError(ExitCodes.UNAVAILABLE, "pps2phc is not running (no status in " + statusDir + ")"
                    + notRunning);
        }
        DaemonStatus status;
        try {
            status = DaemonStatus.fromJson(text.get());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.UNAVAILABLE, file.path() + " is unreadable: " + e.getMessage());
        }
        if (!status.daemon().running()) {
            throw new UserError(ExitCodes.UNAVAILABLE, "pps2phc is not running (stale status from pid "
                    + status.daemon().pid() + " in " + statusDir + ")" + notRunning);
        }
        ReceiverStatus r = status.receiver().orElseThrow(() -> new UserError(ExitCodes.UNAVAILABLE, "the daemon (pid "
                + status.daemon().pid() + ") takes its time of day from chronyd, not from a receiver"));
        if (json) {
            out.print(text.get());
        } else {
            out.print(describe(r, status.tod(), status.daemon().pid()));
        }
        out.flush();
        return status.todTrusted() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    /** The daemon's receiver verdict in words. */
    static String describe(ReceiverStatus r, String verdict, long pid) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        line(out, "Receiver", r.source() + " (pps2phc, pid " + pid + ")");
        if (r.bytes() >= 0) {
            line(out, "Bytes", String.format(Locale.ROOT, "%d, %d messages, %d bad checksums", r.bytes(),
                    r.messages(), r.badChecksums()));
        }
        line(out, "Last burst", r.lastBurst().isEmpty() ? "(none yet)"
                : String.join(" ", r.lastBurst()) + " (" + r.lastBurst().size() + " messages)");
        line(out, "Pulse delay", !r.paired() ? "not paired with a pulse yet"
                : String.format(Locale.ROOT, "%.1f ms after the pulse (%.1f to %.1f ms over the last %d)",
                r.delayNs() / 1e6, r.minDelayNs() / 1e6, r.maxDelayNs() / 1e6, r.pairings()));
        line(out, "Valid", r.validity() == null ? "yes" : "no: " + r.validity());
        line(out, "TAI-UTC", r.taiMinusUtcS() + " s from " + r.taiUtcSource());
        line(out, "Second check", r.secondCheck());
        if (!r.setup().isEmpty()) {
            line(out, "Set-up", r.setup());
        }
        line(out, "Verdict", verdict);
        out.flush();
        return text.toString();
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
