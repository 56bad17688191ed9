package org.pps2phc.chrony;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Asks chronyd over its UDP command port, as chronyc does: a fresh random sequence per attempt, a timeout that
 * doubles (1 s, 2 s, 4 s by default), replies that are not ours ignored. Monitoring commands need no key from
 * localhost. Not thread-safe; does not rate-limit (see {@link ChronyTimeOfDay}).
 */
public final class CmdmonClient implements ChronyMonitor {
    public static final List<Duration> CHRONYC_TIMEOUTS =
            List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

    private final InetSocketAddress server;
    private final List<Duration> timeouts;
    private final String name;

    /**
     * @param server   chronyd's command address, usually 127.0.0.1:323
     * @param timeouts how long to wait for each attempt; one attempt per entry
     */
    public CmdmonClient(InetSocketAddress server, List<Duration> timeouts) {
        if (timeouts.isEmpty() || timeouts.stream().anyMatch(t -> t.isNegative() || t.isZero())) {
            throw new IllegalArgumentException("need at least one positive timeout, got " + timeouts);
        }
        this.server = server;
        this.timeouts = List.copyOf(timeouts);
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
        byte[] reply = exchange("tracking", CmdmonCodec.REQ_TRACKING, CmdmonCodec::trackingRequest,
                CmdmonCodec.RPY_TRACKING, CmdmonCodec.TRACKING_REPLY_LENGTH, budgetEnd());
        return CmdmonCodec.decodeTracking(reply);
    }

    public int sourceCount() throws ChronyException {
        return sourceCount(budgetEnd());
    }

    private int sourceCount(long endNs) throws ChronyException {
        byte[] reply = exchange("n_sources", CmdmonCodec.REQ_N_SOURCES, CmdmonCodec::nSourcesRequest,
                CmdmonCodec.RPY_N_SOURCES, CmdmonCodec.N_SOURCES_REPLY_LENGTH, endNs);
        return CmdmonCodec.decodeSourceCount(reply, name);
    }

    public SourceReport sourceData(int index) throws ChronyException {
        return sourceData(index, budgetEnd());
    }

    private SourceReport sourceData(int index, long endNs) throws ChronyException {
        byte[] reply = exchange("source_data " + index, CmdmonCodec.REQ_SOURCE_DATA,
                (seq, attempt) -> CmdmonCodec.sourceDataRequest(index, seq, attempt),
                CmdmonCodec.RPY_SOURCE_DATA, CmdmonCodec.SOURCE_DATA_REPLY_LENGTH, endNs);
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

    /** When a request (or a listing of sources) started now must be answered. */
    private long budgetEnd() {
        return System.nanoTime() + timeouts.stream().mapToLong(Duration::toNanos).sum();
    }

    /**
     * Sends one request with retries and returns the raw reply (package-private so tests can capture fixtures).
     * No attempt waits past {@code endNs}, and none starts after it.
     */
    byte[] exchange(String what, int command, RequestBuilder request, int expectedReply, int expectedLength,
                    long endNs) throws ChronyException {
        List<Integer> sent = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.connect(server);
            byte[] buf = new byte[2048];
            for (int attempt = 0; attempt < timeouts.size() && endNs - System.nanoTime() > 0; attempt++) {
                int sequence = ThreadLocalRandom.current().nextInt();
                sent.add(sequence);
                byte[] req = request.apply(sequence, attempt);
                try {
                    socket.send(new DatagramPacket(req, req.length));
                } catch (PortUnreachableException e) {
                    continue; // an earlier attempt's ICMP error: nobody listens, try again
                }
                long attemptEnd = System.nanoTime() + timeouts.get(attempt).toNanos();
                long deadline = attemptEnd - endNs > 0 ? endNs : attemptEnd;
                Optional<byte[]> reply = awaitReply(socket, buf, deadline, what, command, sent, expectedReply,
                        expectedLength);
                if (reply.isPresent()) {
                    return reply.get();
                }
            }
        } catch (IOException e) {
            throw ChronyException.io(name, e);
        }
        throw ChronyException.noReply(name);
    }

    private Optional<byte[]> awaitReply(DatagramSocket socket, byte[] buf, long deadline, String what, int command,
                                        List<Integer> sent, int expectedReply, int expectedLength)
            throws IOException, ChronyException {
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return Optional.empty();
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(leftMs, Integer.MAX_VALUE)));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            } catch (PortUnreachableException e) {
                return Optional.empty(); // nothing listens at the port; the next attempt may find chronyd
            }
            for (int sequence : sent) {
                Optional<CmdmonCodec.ReplyHeader> h = CmdmonCodec.replyHeader(buf, p.getLength(), command, sequence);
                if (h.isEmpty()) {
                    continue;
                }
                if (h.get().status() != CmdmonCodec.STT_SUCCESS) {
                    throw ChronyException.refused(name, what, h.get().status());
                }
                if (h.get().reply() == expectedReply && p.getLength() >= expectedLength) {
                    byte[] copy = new byte[p.getLength()];
                    System.arraycopy(buf, 0, copy, 0, copy.length);
                    return Optional.of(copy);
                }
            }
            // not a reply to us, or a truncated one: ignore it and keep waiting, as chronyc does
        }
    }

    /** Builds a request from (sequence, attempt). */
    @FunctionalInterface
    interface RequestBuilder {
        byte[] apply(int sequence, int attempt);
    }
}
