package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.pps2phc.os.PseudoTerminal;

/**
 * The RAM-only set-up, as a receiver on the far end of a pty receives and answers it: ACK-ACK, ACK-NAK or nothing
 * for each message, with the receiver's NMEA around the answers. The waits run on an injected clock: one that
 * runs on so slowly that only the answers end them, one that runs on at each look (so
 * "no answer" comes without waiting on the wall clock).
 */
class UbxSetupTest {
    private static final int ACK = 1;
    private static final int NAK = 0;
    private static final int SILENT = -1;
    /** Runs on so slowly that only the answers end the waits (1 ms a look: a try would need 1000 idle reads). */
    private static LongSupplier slowClock() {
        AtomicLong now = new AtomicLong();
        return () -> now.addAndGet(1_000_000L);
    }

    /** A u-blox receiver on the pty's far end: answers each CFG frame as {@code answer} says, until closed. */
    private static final class FarEnd implements AutoCloseable {
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        FarEnd(PseudoTerminal pty, Function<String, Integer> answer) {
            thread = new Thread(() -> {
                StreamDecoder decoder = new StreamDecoder(0);
                byte[] buf = new byte[4096];
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        int n = pty.readFromFarEnd(buf, 50);
                        if (n <= 0) {
                            continue;
                        }
                        List<String> names = new ArrayList<>();
                        decoder.feed(buf, n, 0, d -> names.add(d.message().name()));
                        for (String name : names) {
                            received.add(name);
                            int a = answer.apply(name);
                            if (a == SILENT) {
                                continue;
                            }
                            int cls = Integer.parseInt(name.substring(4, 6), 16);
                            int id = Integer.parseInt(name.substring(7, 9), 16);
                            pty.write(Sentences.rmc(VirtualLine.T0)); // the receiver's NMEA goes on
                            pty.write(UbxParser.frame(0x05, a, new byte[] {(byte) cls, (byte) id}));
                        }
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "far end");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(2000);
        }
    }

    private static UbxSetup.Report setUp(Function<String, Integer> answer, LongSupplier clock, List<String> received)
            throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open(); FarEnd far = new FarEnd(pty, answer);
             ByteTransport t = SerialTransport.withUbxSetup(pty.path(), 115_200, clock).open()) {
            far.close();
            received.addAll(far.received);
            return t.setupReport().orElseThrow();
        }
    }

    @Test
    void aGeneration9ReceiverAcknowledgesEveryMessageAndNothingGoesBeyondRam() throws Exception {
        List<String> received = new ArrayList<>();
        UbxSetup.Report r = setUp(name -> ACK, slowClock(), received);
        assertTrue(r.took());
        assertEquals(List.of("UBX-06-8A", "UBX-06-01", "UBX-06-01", "UBX-06-01"), received, "each once: no retry");
        assertFalse(received.contains("UBX-06-09"), "never CFG-CFG (save to flash)");
        assertTrue(r.results().stream().allMatch(x -> x.outcome() == UbxSetup.Outcome.ACKNOWLEDGED), r.summary());
        byte[] valset = UbxSetup.steps().get(0).frame();
        assertEquals(0x01, valset[7], "CFG-VALSET layers: RAM only (never BBR 0x02 or flash 0x04)");
        assertEquals(4 + 6 * 5, (valset[4] & 0xFF) | (valset[5] & 0xFF) << 8, "NAV-TIMEUTC, NAV-TIMELS, TIM-TP on"
                + " UART1 and USB");
        assertEquals(0x2091017E, UbxParser.i4(valset, 6 + 4 + 4 * 5), "CFG-MSGOUT-UBX_TIM_TP_UART1");
    }

    @Test
    void aReceiverBeforeGeneration9RefusesCfgValsetAndTakesCfgMsg() throws Exception {
        List<String> received = new ArrayList<>();
        UbxSetup.Report r = setUp(name -> name.equals("UBX-06-8A") ? NAK : ACK, slowClock(), received);
        assertTrue(r.took(), r.summary());
        assertEquals(List.of("UBX-06-8A", "UBX-06-01", "UBX-06-01", "UBX-06-01"), received, "a NAK is not retried");
        assertEquals("u-blox set-up on " + r.port() + " (RAM only): CFG-VALSET (generation 9+) refused (NAK), "
                + "CFG-MSG NAV-TIMEUTC acknowledged, CFG-MSG NAV-TIMELS acknowledged, CFG-MSG TIM-TP acknowledged",
                r.summary());
    }

    @Test
    void aReceiverThatRefusesOneMessageOfEachSetUpIsToldApart() throws Exception {
        List<String> received = new ArrayList<>();
        int[] msg = {0};
        // an M8 whose firmware lacks NAV-TIMELS: VALSET unknown, the second CFG-MSG refused
        UbxSetup.Report r = setUp(name -> name.equals("UBX-06-8A") ? NAK : ++msg[0] == 2 ? NAK : ACK,
                slowClock(), received);
        assertFalse(r.took());
        assertEquals("the u-blox set-up on " + r.port() + " did not take: CFG-VALSET (generation 9+) refused (NAK), "
                + "CFG-MSG NAV-TIMEUTC acknowledged, CFG-MSG NAV-TIMELS refused (NAK), CFG-MSG TIM-TP acknowledged "
                + "(a refused message: the receiver lacks it, or takes the other generation's set-up; no answer: its "
                + "TX to this port's RX only?)", r.summary());
    }

    @Test
    void noAnswerAtAllIsAskedOnceMoreThenSaidSo() throws Exception {
        List<String> received = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        UbxSetup.Report r = setUp(name -> SILENT, () -> now.addAndGet(400_000_000L), received);
        assertEquals(8, received.size(), "each message twice: " + received);
        assertTrue(r.results().stream().allMatch(x -> x.outcome() == UbxSetup.Outcome.NO_ANSWER));
        assertFalse(r.took());
        assertEquals("no answer to the u-blox set-up on " + r.port() + " (not a u-blox receiver, or the port's TX "
                + "is not wired to the receiver's RX)", r.summary());
    }

    @Test
    void anAnswerToTheRetryCounts() throws Exception {
        // the first CFG-VALSET is lost on the line; its second copy is acknowledged. A scripted port, so that the
        // clock runs on only while the first copy waits
        List<byte[]> written = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        UbxSetup.Port port = new UbxSetup.Port() {
            private byte[] pending = new byte[0];

            @Override
            public void write(byte[] bytes) {
                written.add(bytes);
                if (written.size() >= 2) {
                    pending = UbxParser.frame(0x05, 0x01, new byte[] {bytes[2], bytes[3]});
                }
            }

            @Override
            public int read(byte[] buf, int timeoutMs) {
                int n = pending.length;
                System.arraycopy(pending, 0, buf, 0, n);
                pending = new byte[0];
                return n;
            }
        };
        UbxSetup.Report r = UbxSetup.run("/dev/ttyX", port,
                () -> written.size() == 1 ? now.addAndGet(400_000_000L) : now.get(), UbxSetup.ANSWER_TIMEOUT_NS);
        assertEquals(5, written.size(), "CFG-VALSET twice, each CFG-MSG once");
        assertEquals(UbxSetup.Outcome.ACKNOWLEDGED, r.results().get(0).outcome());
        assertTrue(r.took());
    }
}
