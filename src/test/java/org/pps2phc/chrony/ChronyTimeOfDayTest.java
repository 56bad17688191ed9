package org.pps2phc.chrony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.Leap;
import org.pps2phc.core.TodVerdict;

class ChronyTimeOfDayTest {
    private final long[] monotonic = {0};
    /** No leap file (a current one would outrank chrony's leap status), so the kernel and chrony decide. */
    private final TaiUtcSource taiUtc = new TaiUtcSource(() -> OptionalInt.of(37),
            Optional.of(java.nio.file.Path.of("target/no-such-leap-seconds.list")), OptionalInt.empty(),
            Clock.fixed(Instant.parse("2025-06-30T12:00:00Z"), ZoneOffset.UTC));

    /** Counts questions and answers from fixtures. */
    static final class FakeChrony implements ChronyMonitor {
        int trackingAsked;
        int sourcesAsked;
        TrackingReport tracking;
        List<SourceReport> sources = List.of();
        ChronyException failure;

        @Override
        public TrackingReport tracking() throws ChronyException {
            trackingAsked++;
            if (failure != null) {
                throw failure;
            }
            return tracking;
        }

        @Override
        public List<SourceReport> sources() throws ChronyException {
            sourcesAsked++;
            return sources;
        }

        @Override
        public String serverName() {
            return "fake";
        }
    }

    @Test
    void asksAtMostOnceASecond() {
        FakeChrony chrony = new FakeChrony();
        chrony.tracking = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-local.hex"));
        ChronyTimeOfDay tod = new ChronyTimeOfDay(chrony, ChronyTrustPolicy.defaults(Optional.empty()), taiUtc,
                () -> monotonic[0]);
        TodVerdict first = tod.query();
        monotonic[0] = 999_999_999L;
        assertSame(first, tod.query());
        assertEquals(1, chrony.trackingAsked);
        monotonic[0] = 1_000_000_000L;
        tod.query();
        assertEquals(2, chrony.trackingAsked);
    }

    @Test
    void sourcesAreAskedOnlyWhenChronyFollowsUs() {
        FakeChrony chrony = new FakeChrony();
        chrony.tracking = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-phc0.hex"));
        ChronyTimeOfDay other = new ChronyTimeOfDay(chrony, ChronyTrustPolicy.defaults(Optional.of("GPS")), taiUtc,
                () -> monotonic[0]);
        assertTrue(other.query().trusted());
        assertEquals(0, chrony.sourcesAsked);

        ChronyTimeOfDay ours = new ChronyTimeOfDay(chrony, ChronyTrustPolicy.defaults(Optional.of("PHC0")), taiUtc,
                () -> monotonic[0]);
        chrony.sources = List.of(CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-phc0.hex")));
        assertFalse(ours.query().trusted());
        assertEquals(1, chrony.sourcesAsked);
    }

    @Test
    void silentChronydIsAnUntrustedVerdictWithTheLeapStateStillKnown() {
        FakeChrony chrony = new FakeChrony();
        chrony.failure = ChronyException.noReply("127.0.0.1:323");
        ChronyTimeOfDay tod = new ChronyTimeOfDay(chrony, ChronyTrustPolicy.defaults(Optional.empty()), taiUtc,
                () -> monotonic[0]);
        TodVerdict v = tod.query();
        assertFalse(v.trusted());
        assertEquals(List.of("no reply from chronyd at 127.0.0.1:323"), v.reasons());
        assertEquals(37, v.leap().taiMinusUtcS());
        assertEquals("kernel", v.leap().source());
    }

    @Test
    void chronysLeapStatusReachesTheVerdict() {
        FakeChrony chrony = new FakeChrony();
        TrackingReport t = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-phc0.hex"));
        chrony.tracking = new TrackingReport(t.refId(), t.refAddr(), t.stratum(), TrackingReport.LEAP_INSERT,
                t.refTimeNs(), t.currentCorrectionS(), 0, 0, 0, 0, 0, t.rootDelayS(), t.rootDispersionS(), 1);
        ChronyTimeOfDay tod = new ChronyTimeOfDay(chrony, ChronyTrustPolicy.defaults(Optional.empty()), taiUtc,
                () -> monotonic[0]);
        TodVerdict v = tod.query();
        assertTrue(v.trusted());
        assertEquals(Leap.INSERT, v.leap().pending());
        assertEquals(Instant.parse("2025-07-01T00:00:00Z").getEpochSecond(), v.leap().leapAtUtcS());
    }

    @Test
    void noChronydOverUdpIsACleanVerdict() {
        CmdmonClient client = new CmdmonClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), 11398),
                List.of(Duration.ofMillis(50), Duration.ofMillis(100)));
        TodVerdict v = new ChronyTimeOfDay(client, ChronyTrustPolicy.defaults(Optional.empty()), taiUtc,
                System::nanoTime).query();
        assertEquals(List.of("no reply from chronyd at 127.0.0.1:11398"), v.reasons());
    }
}
