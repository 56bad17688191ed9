package org.pps2phc.chrony;

import org.pps2phc.config.ChronyAddressParser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.os.UnixDatagramSocket;

/** The time-of-day verdict against a real chronyd (Debian package chrony) that the test starts and feeds. */
class ChronydIntegrationTest {
    @TempDir
    Path dir;

    private final TaiUtcSource taiUtc = new TaiUtcSource(() -> OptionalInt.of(37), Optional.empty(),
            OptionalInt.empty(), Clock.systemUTC());
    /** Each call a second later, so the once-a-second limit never hides chronyd's latest answer. */
    private final long[] seconds = {0};

    ChronyTimeOfDay tod(ChronyMonitor client, ChronyTrustPolicy policy) {
        return new ChronyTimeOfDay(client, policy, taiUtc, () -> ++seconds[0] * 1_000_000_000L);
    }

    /** Feeds the SOCK refclocks (path, offset) four times a second until the verdict satisfies {@code done}. */
    TodVerdict feedUntil(ChronyTimeOfDay tod, java.util.function.Predicate<TodVerdict> done, String what,
                         Object... pathOffset) throws Exception {
        AtomicReference<TodVerdict> last = new AtomicReference<>();
        try (UnixDatagramSocket sender = UnixDatagramSocket.unbound()) {
            long[] nextFeed = {0};
            Chronyd.poll(Duration.ofSeconds(30), () -> {
                if (System.nanoTime() >= nextFeed[0]) {
                    nextFeed[0] = System.nanoTime() + 250_000_000L;
                    for (int i = 0; i < pathOffset.length; i += 2) {
                        try {
                            Chronyd.feed(sender, (Path) pathOffset[i], (Double) pathOffset[i + 1]);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
                last.set(tod.query());
                return done.test(last.get());
            }, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last verdict: " + last.get(), e);
        }
        return last.get();
    }

    @Test
    void trustedWhenSynchronisedToARefclockTheTestFeeds() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11301, "refclock SOCK " + dir.resolve("gps.sock")
                + " refid GPS poll 0")) {
            ChronyTimeOfDay tod = tod(chronyd.client(), ChronyTrustPolicy.defaults(Optional.of("PHC0")));
            TodVerdict v = feedUntil(tod, TodVerdict::trusted, "a trusted verdict",
                    dir.resolve("gps.sock"), 0.000123);
            assertEquals("GPS", v.reference());
            // |correction| 123 us + dispersion of a few us + delay/2 of 0.5 ns
            assertTrue(v.errorBoundNs() > 100_000 && v.errorBoundNs() < 1_000_000, v.summary());
            assertEquals(37, v.leap().taiMinusUtcS());
        }
    }

    @Test
    void untrustedWithOnlyTheLocalReference() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11302, "local stratum 10")) {
            TodVerdict v = tod(chronyd.client(), ChronyTrustPolicy.defaults(Optional.empty())).query();
            assertFalse(v.trusted());
            assertEquals("local", v.reference());
            assertEquals(1, v.reasons().size(), v.reasons().toString());
            assertTrue(v.reasons().get(0).contains("'local' clock (7F7F0101)"), v.reasons().toString());

            ChronyTrustPolicy lab = new ChronyTrustPolicy(0.1, true, Optional.empty(), 0.4);
            assertTrue(tod(chronyd.client(), lab).query().trusted());
        }
    }

    @Test
    void untrustedWhenUnsynchronisedAndOverIpv6() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11303, "refclock SOCK " + dir.resolve("never.sock")
                + " refid GPS poll 0")) {
            InetSocketAddress v6 = ChronyAddressParser.parse("[::1]:" + chronyd.port());
            TodVerdict v = tod(new CmdmonClient(v6, Chronyd.FAST), ChronyTrustPolicy.defaults(Optional.empty()))
                    .query();
            assertFalse(v.trusted());
            assertEquals(List.of("chronyd is not synchronised (leap status 3)"), v.reasons());
            assertEquals("none", v.reference());
        }
    }

    @Test
    void circularWhenChronyFollowsOnlyOurOwnRefclock() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11304, "refclock SOCK " + dir.resolve("phc0.sock")
                + " refid PHC0 poll 0")) {
            ChronyTimeOfDay tod = tod(chronyd.client(), ChronyTrustPolicy.defaults(Optional.of("PHC0")));
            TodVerdict v = feedUntil(tod, r -> "PHC0".equals(r.reference()), "chronyd to select PHC0",
                    dir.resolve("phc0.sock"), 0.000050);
            assertFalse(v.trusted());
            assertEquals(1, v.reasons().size(), v.reasons().toString());
            assertTrue(v.reasons().get(0).startsWith("chronyd follows pps2phc's own refclock PHC0"),
                    v.reasons().toString());

            // the same chronyd, judged without the circularity check, would be trusted: the loop is the only reason
            assertTrue(tod(chronyd.client(), ChronyTrustPolicy.defaults(Optional.empty())).query().trusted());
        }
    }

    @Test
    void ownRefclockIsTrustedWhenAnotherSelectableSourceAgrees() throws Exception {
        try (Chronyd chronyd = Chronyd.start(dir, 11305,
                "refclock SOCK " + dir.resolve("phc0.sock") + " refid PHC0 poll 0 delay 0.004 prefer",
                "refclock SOCK " + dir.resolve("gps.sock") + " refid GPS poll 0 delay 0.004")) {
            ChronyTimeOfDay tod = tod(chronyd.client(), ChronyTrustPolicy.defaults(Optional.of("PHC0")));
            TodVerdict v = feedUntil(tod, r -> r.trusted() && "PHC0".equals(r.reference()),
                    "a trusted verdict with PHC0 selected",
                    dir.resolve("phc0.sock"), 0.000123, dir.resolve("gps.sock"), 0.000400);
            assertEquals("PHC0", v.reference());
            ChronyTimeOfDay.Result r = tod.queryDetailed();
            assertEquals(2, r.sources().size(), r.sources().toString());
        }
    }

    @Test
    void stoppedChronydIsNoReply() throws Exception {
        Chronyd chronyd = Chronyd.start(dir, 11306, "local stratum 10");
        CmdmonClient client = chronyd.client();
        chronyd.close();
        TodVerdict v = tod(client, ChronyTrustPolicy.defaults(Optional.empty())).query();
        assertEquals(List.of("no reply from chronyd at 127.0.0.1:11306"), v.reasons());
    }
}
