package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.TodVerdict;

/** gpsd's JSON lines, as Debian's gpsd 3.22 writes them, paired with pulses on a virtual clock. */
class GpsdTimeOfDayTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = VirtualLine.T0;
    private final AtomicLong now = new AtomicLong(T0 * S);

    private GpsdTimeOfDay gpsd() {
        return new GpsdTimeOfDay(new InetSocketAddress("127.0.0.1", 2947), new PulsePairing.Config(0, -1,
                LocalDate.of(2026, 11, 1), "gpsd 127.0.0.1:2947"), () -> VirtualLine.LEAP, now::get, now::get);
    }

    private static String toff(long second, long clockNs) {
        return String.format("{\"class\":\"TOFF\",\"device\":\"/dev/pts/3\",\"real_sec\":%d,\"real_nsec\":0,"
                + "\"clock_sec\":%d,\"clock_nsec\":%d}", second, clockNs / S, clockNs % S);
    }

    private static String tpv(int mode) {
        return "{\"class\":\"TPV\",\"device\":\"/dev/pts/3\",\"mode\":" + mode + ",\"time\":\"2026-12-01T07:00:00"
                + ".000Z\",\"ept\":0.005,\"lat\":47.285,\"lon\":8.565}";
    }

    private TodVerdict run(GpsdTimeOfDay g, int mode, int seconds) {
        g.connected();
        g.line("{\"class\":\"VERSION\",\"release\":\"3.22\",\"rev\":\"3.22\",\"proto_major\":3,\"proto_minor\":14}");
        g.line("{\"class\":\"DEVICES\",\"devices\":[{\"class\":\"DEVICE\",\"path\":\"/dev/pts/3\",\"activated\":"
                + "\"2026-12-01T07:00:00.000Z\",\"native\":0,\"bps\":9600,\"parity\":\"N\",\"stopbits\":1,"
                + "\"cycle\":1.00}]}");
        for (int k = 0; k < seconds; k++) {
            long edge = (T0 + k) * S;
            now.set(edge + 1_000_000);
            g.pulse(new ExttsEvent(edge, 0, new CrossTimestamp(edge + 1_000_000, edge + 1_000_000, 1000, "t"), 0));
            now.set(edge + 200_000_000);
            g.line(tpv(mode));
            g.line(toff(T0 + k, edge + 193_000_000));
        }
        now.set((T0 + seconds) * S + 1_000_000);
        long edge = (T0 + seconds) * S;
        g.pulse(new ExttsEvent(edge, 0, new CrossTimestamp(edge + 1_000_000, edge + 1_000_000, 1000, "t"), 0));
        return g.query();
    }

    @Test
    void toffPairedWithItsPulseNamesTheSecond() {
        TodVerdict v = run(gpsd(), 3, 6);
        assertTrue(v.trusted(), v.summary());
        assertEquals(0, v.systemMinusUtcNs(), 1_000);
    }

    @Test
    void noFixIsNotTrustedAndAGpsdRestartIsOneReason() {
        GpsdTimeOfDay g = gpsd();
        TodVerdict v = run(g, 1, 6);
        assertFalse(v.trusted());
        assertEquals("untrusted (time not valid: gpsd TOFF mode 1 (no fix))", v.summary());
        g.line("{\"class\":\"TOFF\",\"real_sec\":\"x\"");
        g.line("\u0000garbage");
        assertEquals(v.summary(), g.query().summary(), "garbage from gpsd changes nothing");
        TodVerdict fixed = run(g, 3, 6);
        assertTrue(fixed.trusted(), fixed.summary());
        g.disconnected("gpsd at 127.0.0.1:2947: Connection refused; reconnecting");
        assertEquals("untrusted (gpsd at 127.0.0.1:2947: Connection refused; reconnecting)", g.query().summary());
        g.connected();
        now.addAndGet(4 * S);
        assertEquals("untrusted (no TOFF from gpsd at 127.0.0.1:2947 (its device silent, or gpsd's time not valid "
                + "yet))", g.query().summary());
    }

    @Test
    void flatJsonTakesTopLevelScalarsAndRefusesWhatIsNotOneObject() throws Exception {
        var o = FlatJson.parse("{\"class\":\"PPS\",\"real_sec\":1764572400,\"qErr\":-4200,\"shm\":\"NTP1\","
                + "\"a\":[1,{\"b\":[]}],\"esc\":\"x\\u0041\\\"\",\"ok\":true,\"n\":null}");
        assertEquals("PPS", o.get("class"));
        assertEquals("1764572400", o.get("real_sec"));
        assertEquals("-4200", o.get("qErr"));
        assertEquals("xA\"", o.get("esc"));
        assertFalse(o.containsKey("a"));
        for (String bad : new String[] {"", "{", "{\"a\":}", "{\"a\":1}x", "[1]", "{\"a\":tru}", "{\"a\":\"\u0001\"}"}) {
            assertThrows(MalformedMessageException.class, () -> FlatJson.parse(bad), bad);
        }
    }
}
