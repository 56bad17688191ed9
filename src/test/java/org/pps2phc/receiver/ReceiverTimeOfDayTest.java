package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.ExttsEvent;

/** The one-line reasons a user sees when the receiver's bytes are wrong, on a virtual clock. */
class ReceiverTimeOfDayTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(VirtualLine.T0 * S);

    private static final class Port implements ByteTransport {
        @Override
        public int read(byte[] buf, int timeoutMs) {
            return 0;
        }

        @Override
        public String name() {
            return "/dev/ttyAMA0";
        }

        @Override
        public long byteNs() {
            return StreamDecoder.byteNs(9600);
        }

        @Override
        public void close() {
        }
    }

    private ReceiverTimeOfDay receiver() {
        return receiver(true);
    }

    private ReceiverTimeOfDay receiver(boolean qErr) {
        ReceiverTimeOfDay r = new ReceiverTimeOfDay(Port::new, "/dev/ttyAMA0", new PulsePairing.Config(0, -1,
                LocalDate.of(2026, 11, 1), "GNSS /dev/ttyAMA0"), () -> VirtualLine.LEAP, now::get, now::get, qErr);
        r.opened(new Port());
        return r;
    }

    /** The edge at true second T0 + k, on a PHC 37 s ahead (TAI), read 1 ms later; the system clock is right. */
    private ExttsEvent edge(int k, long afterNs) {
        long edge = (VirtualLine.T0 + k) * S + afterNs;
        now.set(edge + 1_000_000);
        return new ExttsEvent(edge + 37 * S, 0, new CrossTimestamp(edge + 37 * S + 1_000_000, edge + 1_000_000,
                1000, "test"), 0);
    }

    /** Six seconds of pulses and RMCs: trusted. */
    private ReceiverTimeOfDay trusted(boolean qErr) {
        ReceiverTimeOfDay r = receiver(qErr);
        for (int k = 0; k < 6; k++) {
            r.pulse(edge(k, 0));
            now.set((VirtualLine.T0 + k) * S + 200_000_000);
            byte[] rmc = Sentences.rmc(VirtualLine.T0 + k);
            r.received(rmc, rmc.length);
        }
        return r;
    }

    private static byte[] timTpFor(long utcSecond, int qErrPs, boolean invalid) {
        long gps = utcSecond - 315_964_800L + 18;
        return Sentences.timTp((gps % 604_800) * 1000, (int) (gps / 604_800), qErrPs, invalid);
    }

    @Test
    void qErrFromTimTpCorrectsTheLeadingEdgeItAnnouncedAndNothingElse() {
        ReceiverTimeOfDay r = trusted(true);
        byte[] tp = timTpFor(VirtualLine.T0 + 6, -7_400, false);
        r.received(tp, tp.length);
        ExttsEvent lead = edge(6, 0);
        assertEquals(lead.phcNs() - 7, r.pulse(lead).phcNs(), "true top of second = pulse + qErr");
        ExttsEvent trailing = edge(6, 100_000_000);
        assertEquals(trailing.phcNs(), r.pulse(trailing).phcNs());
        ExttsEvent unannounced = edge(7, 0);
        assertEquals(unannounced.phcNs(), r.pulse(unannounced).phcNs());
        for (byte[] bad : new byte[][] {timTpFor(VirtualLine.T0 + 8, -7_400, true),
            timTpFor(VirtualLine.T0 + 8, 250_000, false)}) {
            ReceiverTimeOfDay r2 = trusted(true);
            r2.received(bad, bad.length);
            ExttsEvent e = edge(8, 0);
            assertEquals(e.phcNs(), r2.pulse(e).phcNs(), "invalid or implausible qErr is not applied");
        }
        ReceiverTimeOfDay off = trusted(false);
        off.received(tp, tp.length);
        ExttsEvent e = edge(6, 0);
        assertEquals(e.phcNs(), off.pulse(e).phcNs(), "qerr_correction 0");
    }

    private static String reason(ReceiverTimeOfDay r) {
        return r.query().reasons().get(0);
    }

    @Test
    void noBytes() {
        ReceiverTimeOfDay r = receiver();
        now.addAndGet(4 * S);
        assertEquals("no bytes from /dev/ttyAMA0 (check the wiring, the baud rate, and that the receiver sends on "
                + "this port)", reason(r));
    }

    @Test
    void bytesButNoValidSentencesSayWhy() {
        ReceiverTimeOfDay r = receiver();
        byte[] noise = new byte[3000];
        Arrays.fill(noise, (byte) 0xF0); // what 4800-baud NMEA looks like read at 38400
        r.received(noise, noise.length);
        assertEquals("bytes from /dev/ttyAMA0 but no valid messages (neither NMEA nor UBX: wrong baud rate?)",
                reason(r));
        ReceiverTimeOfDay r2 = receiver();
        byte[] bad = "$GPGSV,3,1,11,07,79,048,42,02,51,062,43,26,36,256,42*00\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 50; i++) {
            r2.received(bad, bad.length);
        }
        assertEquals("bytes from /dev/ttyAMA0 but no valid messages (checksums fail: wrong baud rate?)", reason(r2));
    }

    @Test
    void messagesButNoTimeMessagesSaySo() {
        // a receiver sending GSV and GSA only: its bursts carry no time, so none is ever paired
        ReceiverTimeOfDay r = receiver();
        for (int k = 0; k < 7; k++) {
            r.pulse(edge(k, 0));
            now.set((VirtualLine.T0 + k) * S + 200_000_000);
            for (byte[] m : new byte[][] {Sentences.filler(70), Sentences.filler(60)}) {
                r.received(m, m.length);
            }
        }
        assertEquals(EpochReading.NO_TIME, reason(r));
    }

    @Test
    void aPortThatCannotBeOpenedSaysSoAndNothingMeasuredSurvivesIt() {
        ReceiverTimeOfDay r = receiver();
        for (int k = 0; k < 6; k++) {
            long edge = (VirtualLine.T0 + k) * S;
            now.set(edge + 1_000_000);
            r.pulse(new ExttsEvent(edge + 37 * S, 0, new CrossTimestamp(edge + 37 * S + 1_000_000,
                    edge + 1_000_000, 1000, "test"), 0));
            now.set(edge + 200_000_000);
            byte[] rmc = Sentences.rmc(VirtualLine.T0 + k);
            r.received(rmc, rmc.length);
        }
        now.set((VirtualLine.T0 + 6) * S + 1_000_000);
        r.pulse(new ExttsEvent(0, 0, new CrossTimestamp(0, (VirtualLine.T0 + 6) * S, 1000, "test"), 0));
        assertTrue(r.query().trusted(), r.query().summary());
        r.failed("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)");
        assertEquals("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)", reason(r));
        r.opened(new Port());
        assertEquals("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)", reason(r),
                "reopened, nothing paired yet: the last problem stands until three seconds agree");
    }
}
