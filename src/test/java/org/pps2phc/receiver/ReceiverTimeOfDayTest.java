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
        ReceiverTimeOfDay r = new ReceiverTimeOfDay(Port::new, "/dev/ttyAMA0", new PulsePairing.Config(0, -1,
                LocalDate.of(2026, 11, 1), "GNSS /dev/ttyAMA0"), () -> VirtualLine.LEAP, now::get, now::get);
        r.opened(new Port());
        return r;
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
        assertEquals(1, r.report().lastMessages().size());
        r.failed("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)");
        assertEquals("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)", reason(r));
        r.opened(new Port());
        assertEquals("/dev/ttyAMA0: cannot open: ENOENT (No such file or directory)", reason(r),
                "reopened, nothing paired yet: the last problem stands until three seconds agree");
    }
}
