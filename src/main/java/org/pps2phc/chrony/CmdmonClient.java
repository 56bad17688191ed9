package org.pps2phc.chrony;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.pps2phc.chrony.CmdmonCodec.Command;

/**
 * Asks chronyd over its UDP command port, as chronyc does: a fresh random sequence per attempt, a timeout that
 * doubles (1 s, 2 s, 4 s by default), replies that are not to this request's attempts ignored. Monitoring commands
 * need no key from localhost (chronyd's Unix command socket is for root and chrony's own user; pps2phc needs
 * neither).
 *
 * <p>One socket, connected to chronyd, serves query after query with the same request and reply buffers, so that
 * asking once a second allocates little more than the reports decoded. It is opened at the first query and dropped
 * when a query fails for want of a reply or on an I/O error: the next query opens a fresh one (a new source port
 * and address, should the host's have changed). A reply that comes after its request was given up, to this socket,
 * carries a sequence the next query never sent and is ignored like any stray.
 *
 * <p>Not thread-safe, except {@link #close()}, which any thread may call: it ends a query in progress (an I/O
 * error) and every later one. Does not rate-limit (see {@link ChronyTimeOfDay}).
 */
public final class CmdmonClient implements ChronyMonitor {
    public static final List<Duration> CHRONYC_TIMEOUTS =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    private static final int REPLY_BUFFER_LENGTH = 2048;

    private final InetSocketAddress server;
    private final long[] timeoutsNs;
    private final long budgetNs;
    private final String name;

    private final byte[] request = new byte[CmdmonCodec.MAX_REQUEST_LENGTH];
    private final ByteBuffer requestBuffer = ByteBuffer.wrap(request);
    private final DatagramPacket requestPacket = new DatagramPacket(request, request.length);
    private final byte[] reply = new byte[REPLY_BUFFER_LENGTH];
    private final DatagramPacket replyPacket = new DatagramPacket(reply, reply.length);
    /** The sequences of the current query's attempts, the only replies it takes. */
    private final int[] sent;

    /** Guarded by this (opened and used by the querying thread, closed by any). */
    private DatagramSocket socket;
    private boolean closed;

    /**
     * @param server   chronyd's command address, usually 127.0.0.1:323
     * @param timeouts how long to wait for each attempt; one attempt per entry
     */
    public CmdmonClient(InetSocketAddress server, List<Duration> timeouts) {
        if (timeouts.isEmpty() || timeouts.stream().anyMatch(t -> t.isNegative() || t.isZero())) {
            throw new IllegalArgumentException("need at least one positive timeout, got " + timeouts);
        }
        this.server = server;
        this.timeoutsNs = timeouts.stream().mapToLong(Duration::toNanos).toArray();
        this.budgetNs = timeouts.stream().mapToLong(Duration::toNanos).sum();
        this.sent = new int[timeoutsNs.length];
        this.name = ChronyAddress.format(server);
    }

    public CmdmonClient(InetSocketAddress server) {
        this(server, CHRONYC_TIMEOUTS);
    }

    @Override
    public String serverName() {
        return name;
    }

    @Override
    public TrackingReport tracking() throws ChronyException {
        exchange(Command.TRACKING, 0, budgetEnd());
        return CmdmonCodec.decodeTracking(reply);
    }

    public int sourceCount() throws ChronyException {
        return sourceCount(budgetEnd());
    }

    private int sourceCount(long endNs) throws ChronyException {
        exchange(Command.N_SOURCES, 0, endNs);
        return CmdmonCodec.decodeSourceCount(reply, name);
    }

    public SourceReport sourceData(int index) throws ChronyException {
        return sourceData(index, budgetEnd());
    }

    private SourceReport sourceData(int index, long endNs) throws ChronyException {
        exchange(Command.SOURCE_DATA, index, endNs);
        return CmdmonCodec.decodeSourceData(reply);
    }

    /**
     * All sources, as `chronyc sources` lists them: one round trip each, all of them within the time one request
     * may take (the sum of the timeouts), so that a slow or hostile chronyd cannot stall the time of day.
     */
    @Override
    public List<SourceReport> sources() throws ChronyException {
        long endNs = budgetEnd();
        int n = sourceCount(endNs);
        List<SourceReport> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(sourceData(i, endNs));
        }
        return all;
    }

    /** Closes the socket; this and every later query fail with an I/O error. */
    @Override
    public synchronized void close() {
        closed = true;
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }

    /** When a request (or a listing of sources) started now must be answered. */
    private long budgetEnd() {
        return System.nanoTime() + budgetNs;
    }

    /**
     * Sends one request with retries and leaves its reply at the start of {@link #reply}. No attempt waits past
     * {@code endNs}, and none starts after it.
     */
    private void exchange(Command command, int index, long endNs) throws ChronyException {
        DatagramSocket s;
        try {
            s = socket();
        } catch (IOException e) {
            throw ChronyException.io(name, e);
        }
        try {
            int attempts = 0;
            for (int attempt = 0; attempt < timeoutsNs.length && endNs - System.nanoTime() > 0; attempt++) {
                int sequence = ThreadLocalRandom.current().nextInt();
                sent[attempts++] = sequence;
                requestPacket.setLength(CmdmonCodec.writeRequest(requestBuffer, command, index, sequence, attempt));
                if (!send(s)) {
                    continue;
                }
                long attemptEnd = System.nanoTime() + timeoutsNs[attempt];
                long deadline = attemptEnd - endNs > 0 ? endNs : attemptEnd;
                if (awaitReply(s, deadline, command, index, attempts)) {
                    return;
                }
            }
        } catch (IOException e) {
            drop(s);
            throw ChronyException.io(name, e);
        }
        drop(s);
        throw ChronyException.noReply(name);
    }

    private synchronized DatagramSocket socket() throws IOException {
        if (closed) {
            throw new SocketException("the client is closed");
        }
        if (socket == null) {
            DatagramSocket s = new DatagramSocket(null);
            try {
                s.connect(server);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
            socket = s;
        }
        return socket;
    }

    private synchronized void drop(DatagramSocket s) {
        s.close();
        if (socket == s) {
            socket = null;
        }
    }

    /**
     * Sends {@link #requestPacket}; false when nobody listens. A connected socket reports an ICMP port unreachable
     * at its next call, which then sends nothing; the datagram it was for may be an earlier query's (chronyd was
     * down, or restarting), so one refusal is retried at once.
     */
    private boolean send(DatagramSocket s) throws IOException {
        for (int tries = 0; tries < 2; tries++) {
            try {
                s.send(requestPacket);
                return true;
            } catch (PortUnreachableException e) {
                // nobody listened to an earlier datagram
            }
        }
        return false;
    }

    /** Waits for a reply to one of the query's {@code attempts} first sequences in {@link #sent}. */
    private boolean awaitReply(DatagramSocket s, long deadline, Command command, int index, int attempts)
            throws IOException, ChronyException {
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            s.setSoTimeout((int) Math.max(1, Math.min(leftMs, Integer.MAX_VALUE)));
            replyPacket.setLength(reply.length);
            try {
                s.receive(replyPacket);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (PortUnreachableException e) {
                return false; // nothing listens at the port; the next attempt may find chronyd
            }
            int length = replyPacket.getLength();
            for (int i = 0; i < attempts; i++) {
                Optional<CmdmonCodec.ReplyHeader> h = CmdmonCodec.replyHeader(reply, length, command.code, sent[i]);
                if (h.isEmpty()) {
                    continue;
                }
                if (h.get().status() != CmdmonCodec.STT_SUCCESS) {
                    String what = command == Command.SOURCE_DATA ? command.text + " " + index : command.text;
                    throw ChronyException.refused(name, what, h.get().status());
                }
                if (h.get().reply() == command.reply && length >= command.replyLength) {
                    return true;
                }
            }
            // not a reply to this query, or a truncated one: ignore it and keep waiting, as chronyc does
        }
    }
}
