package org.pps2phc.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a scripted UDP peer: retries, ignored strays, error statuses, silence, its one socket. */
class CmdmonClientTest {
    private static final List<Duration> FAST = List.of(Duration.ofMillis(100), Duration.ofMillis(200));

    private DatagramSocket peer;
    private Thread thread;
    private final List<byte[]> requests = new ArrayList<>();
    /** The client's source port of each request. */
    private final List<Integer> ports = new ArrayList<>();

    /** Answers the n-th request (0-based) with what {@code script} returns; null means stay silent. */
    InetSocketAddress peer(BiFunction<Integer, byte[], List<byte[]>> script) throws Exception {
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> {
            byte[] buf = new byte[2048];
            try {
                for (int n = 0; ; n++) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    peer.receive(p);
                    byte[] req = java.util.Arrays.copyOf(buf, p.getLength());
                    synchronized (requests) {
                        requests.add(req);
                        ports.add(p.getPort());
                    }
                    for (byte[] reply : script.apply(n, req)) {
                        peer.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                    }
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        thread.start();
        return (InetSocketAddress) peer.getLocalSocketAddress();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (peer != null) {
            peer.close();
            thread.join(2000);
        }
    }

    /** A captured reply, rewritten to answer {@code request}. */
    static byte[] answer(String fixture, byte[] request) {
        byte[] r = Fixtures.reply(fixture);
        ByteBuffer.wrap(r).putInt(16, ByteBuffer.wrap(request).getInt(8));
        return r;
    }

    @Test
    void answersTheFirstAttempt() throws Exception {
        InetSocketAddress a = peer((n, req) -> List.of(answer("tracking-phc0.hex", req)));
        TrackingReport t = new CmdmonClient(a, FAST).tracking();
        assertEquals("PHC0", t.referenceName());
        assertEquals(1, requests.size());
        assertEquals(104, requests.get(0).length);
    }

    @Test
    void retriesWithAFreshSequenceAfterSilence() throws Exception {
        InetSocketAddress a = peer((n, req) -> n == 0 ? List.of() : List.of(answer("tracking-local.hex", req)));
        assertEquals("local", new CmdmonClient(a, FAST).tracking().referenceName());
        assertEquals(2, requests.size());
        ByteBuffer first = ByteBuffer.wrap(requests.get(0));
        ByteBuffer second = ByteBuffer.wrap(requests.get(1));
        assertEquals(0, first.getShort(6));
        assertEquals(1, second.getShort(6));
        assertTrue(first.getInt(8) != second.getInt(8), "each attempt has its own sequence");
    }

    @Test
    void strayAndTruncatedRepliesAreIgnored() throws Exception {
        InetSocketAddress a = peer((n, req) -> {
            byte[] wrongSeq = answer("tracking-unsynchronised.hex", req);
            ByteBuffer.wrap(wrongSeq).putInt(16, ByteBuffer.wrap(req).getInt(8) + 1);
            byte[] truncated = java.util.Arrays.copyOf(answer("tracking-unsynchronised.hex", req), 60);
            return List.of(wrongSeq, truncated, new byte[] {1, 2, 3}, answer("tracking-phc0.hex", req));
        });
        assertEquals("PHC0", new CmdmonClient(a, FAST).tracking().referenceName());
    }

    @Test
    void notAuthorisedIsAnExplicitRefusal() throws Exception {
        InetSocketAddress a = peer((n, req) -> {
            byte[] r = Fixtures.reply("sourcedata-nosuchsource.hex");
            ByteBuffer b = ByteBuffer.wrap(r);
            b.putShort(4, (short) 33).putShort(8, (short) 2).putInt(16, ByteBuffer.wrap(req).getInt(8));
            return List.of(r);
        });
        ChronyException e = assertThrows(ChronyException.class, () -> new CmdmonClient(a, FAST).tracking());
        assertEquals(ChronyException.Kind.REFUSED, e.kind());
        assertEquals(2, e.status());
        assertTrue(e.getMessage().startsWith("chronyd at " + ChronyAddress.format(a)
                + " refused tracking: status 2, not authorised"), e.getMessage());
    }

    @Test
    void silentPeerIsNoReplyAfterEveryAttempt() throws Exception {
        InetSocketAddress a = peer((n, req) -> List.of());
        long start = System.nanoTime();
        ChronyException e = assertThrows(ChronyException.class, () -> new CmdmonClient(a, FAST).tracking());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ChronyException.Kind.NO_REPLY, e.kind());
        assertEquals("no reply from chronyd at " + ChronyAddress.format(a), e.getMessage());
        assertEquals(2, requests.size());
        assertTrue(tookMs >= 290 && tookMs < 2000, "waited " + tookMs + " ms for 100 + 200 ms of timeouts");
    }

    @Test
    void nobodyListeningIsNoReply() {
        // 11399 is in the chrony tests' range; nothing binds it
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 11399);
        ChronyException e = assertThrows(ChronyException.class, () -> new CmdmonClient(a, FAST).tracking());
        assertEquals("no reply from chronyd at 127.0.0.1:11399", e.getMessage());
    }

    @Test
    void readsAllSources() throws Exception {
        InetSocketAddress a = peer((n, req) -> {
            int cmd = ByteBuffer.wrap(req).getShort(4);
            if (cmd == 14) {
                return List.of(answer("nsources-2.hex", req));
            }
            int index = ByteBuffer.wrap(req).getInt(20);
            return List.of(answer(index == 0 ? "sourcedata-phc0-selected.hex" : "sourcedata-gps-selectable.hex",
                    req));
        });
        List<SourceReport> s = new CmdmonClient(a, FAST).sources();
        assertEquals(List.of("PHC0", "GPS"), s.stream().map(SourceReport::name).toList());
        assertEquals(32, requests.get(0).length);
        assertEquals(76, requests.get(1).length);
    }

    @Test
    void anAbsurdSourceCountIsABadReplyAfterOneRoundTrip() throws Exception {
        for (int count : new int[] {0xFFFFFFFF, 0x7FFFFFFF, 200_000, CmdmonCodec.MAX_SOURCES + 1}) {
            InetSocketAddress a = peer((n, req) -> {
                byte[] r = answer("nsources-2.hex", req);
                ByteBuffer.wrap(r).putInt(28, count);
                return List.of(r);
            });
            ChronyException e = assertThrows(ChronyException.class, () -> new CmdmonClient(a, FAST).sources());
            assertEquals(ChronyException.Kind.BAD_REPLY, e.kind());
            assertEquals("chronyd at " + ChronyAddress.format(a) + " reports " + Integer.toUnsignedString(count)
                    + " sources, more than the 256 pps2phc believes (a damaged or hostile reply)", e.getMessage());
            synchronized (requests) {
                assertEquals(1, requests.size(), "only the count was asked for");
                requests.clear();
            }
            stop();
        }
    }

    @Test
    void theWholeListingOfSourcesFitsInOneRequestsTimeouts() throws Exception {
        // chronyd counts three sources, then never answers for them: the first source uses up the listing's time
        // (100 + 200 ms) and the other two are not asked for, where each used to get its own 300 ms
        InetSocketAddress a = peer((n, req) -> {
            if (ByteBuffer.wrap(req).getShort(4) == 14) {
                byte[] r = answer("nsources-2.hex", req);
                ByteBuffer.wrap(r).putInt(28, 3);
                return List.of(r);
            }
            return List.of();
        });
        ChronyException e = assertThrows(ChronyException.class, () -> new CmdmonClient(a, FAST).sources());
        assertEquals(ChronyException.Kind.NO_REPLY, e.kind());
        synchronized (requests) {
            assertTrue(requests.size() >= 2, requests.size() + " requests");
            for (byte[] req : requests.subList(1, requests.size())) {
                assertEquals(0, ByteBuffer.wrap(req).getInt(20), "only source 0 was asked for");
            }
        }
    }

    @Test
    void oneSocketServesQueryAfterQuery() throws Exception {
        InetSocketAddress a = peer((n, req) -> List.of(answer("tracking-phc0.hex", req)));
        try (CmdmonClient client = new CmdmonClient(a, FAST)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("PHC0", client.tracking().referenceName());
            }
        }
        synchronized (requests) {
            assertEquals(3, ports.size());
            assertEquals(1, ports.stream().distinct().count(), "source ports " + ports);
        }
    }

    @Test
    void aLateReplyToAnEarlierQueryIsIgnoredByTheNext() throws Exception {
        // the first query's first attempt is answered only after its second was: that late reply ("local") waits in
        // the socket for the next query, whose own reply ("PHC0") comes after it
        byte[][] firstAttempt = new byte[1][];
        InetSocketAddress a = peer((n, req) -> switch (n) {
            case 0 -> {
                firstAttempt[0] = req;
                yield List.of();
            }
            case 1 -> List.of(answer("tracking-phc0.hex", req), answer("tracking-local.hex", firstAttempt[0]));
            default -> List.of(answer("tracking-phc0.hex", req));
        });
        try (CmdmonClient client = new CmdmonClient(a, FAST)) {
            assertEquals("PHC0", client.tracking().referenceName());
            assertEquals("PHC0", client.tracking().referenceName(), "the late reply was taken for the new query");
        }
        synchronized (requests) {
            assertEquals(3, requests.size());
            assertEquals(1, ports.stream().distinct().count(), "both queries asked from one socket: " + ports);
        }
    }

    @Test
    void aQueryWithoutReplyDropsTheSocketAndTheNextOpensAnother() throws Exception {
        InetSocketAddress a = peer((n, req) -> n < 2 ? List.of() : List.of(answer("tracking-phc0.hex", req)));
        try (CmdmonClient client = new CmdmonClient(a, FAST)) {
            assertEquals(ChronyException.Kind.NO_REPLY, assertThrows(ChronyException.class, client::tracking).kind());
            assertEquals("PHC0", client.tracking().referenceName());
            assertEquals("PHC0", client.tracking().referenceName());
        }
        synchronized (requests) {
            assertEquals(4, ports.size());
            assertEquals(ports.get(0), ports.get(1), "the attempts of one query share its socket");
            assertTrue(!ports.get(2).equals(ports.get(1)), "a fresh socket after the failed query: " + ports);
            assertEquals(ports.get(2), ports.get(3), "which is kept: " + ports);
        }
    }

    @Test
    void closeEndsAQueryInProgressAndEveryLaterOne() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        InetSocketAddress a = peer((n, req) -> {
            asked.countDown();
            return List.of();
        });
        CmdmonClient client = new CmdmonClient(a, List.of(Duration.ofSeconds(20)));
        CompletableFuture<ChronyException> query = CompletableFuture.supplyAsync(() -> assertThrows(
                ChronyException.class, client::tracking));
        asked.await();
        client.close();
        ChronyException e = query.get();
        assertEquals(ChronyException.Kind.IO, e.kind(), "ended by the close, not by its 20 s timeout: " + e);
        ChronyException later = assertThrows(ChronyException.class, client::tracking);
        assertEquals(ChronyException.Kind.IO, later.kind());
        assertEquals("cannot talk to chronyd at " + ChronyAddress.format(a) + ": the client is closed",
                later.getMessage());
        synchronized (requests) {
            assertEquals(1, requests.size(), "nothing was sent after the close");
        }
    }
}
