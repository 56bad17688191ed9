package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

class TodJudgeTest {
    private static final LeapReport LEAP = new LeapReport(LeapState.fixed(37, "test"), true, List.of());
    private static final TodJudge.SourcesOrError NONE = TodJudge.SourcesOrError.notAsked();
    private final TodJudge judge = new TodJudge(ChronyTrustPolicy.defaults(Optional.of("PHC0")));

    static TrackingReport tracking(int refId, int leap, double correction, double delay, double dispersion) {
        return new TrackingReport(refId, new ChronyAddr(0, new byte[16]), 2, leap, 0, correction, 0, 0, 0, 0, 0,
                delay, dispersion, 16);
    }

    static SourceReport source(String refid, SourceReport.State state, double offset) {
        byte[] raw = new byte[16];
        java.nio.ByteBuffer.wrap(raw).putInt(RefId.of(refid));
        return new SourceReport(new ChronyAddr(ChronyAddr.INET4, raw), 4, 0, state, SourceReport.MODE_REFCLOCK, 0,
                0377, 3, offset, offset, 1e-6);
    }

    @Test
    void synchronisedToAServerWithinTheBoundIsTrusted() {
        TodVerdict v = judge.judge(tracking(0xC0000201, 0, -0.002, 0.010, 0.003), NONE, LEAP);
        assertTrue(v.trusted(), v.summary());
        assertEquals(10e6, v.errorBoundNs(), 1);
        assertEquals(LEAP.state(), v.leap());
    }

    @Test
    void unsynchronisedIsNotTrusted() {
        TodVerdict v = judge.judge(CmdmonCodec.decodeTracking(Fixtures.reply("tracking-unsynchronised.hex")), NONE,
                LEAP);
        assertFalse(v.trusted());
        assertEquals(List.of("chronyd is not synchronised (leap status 3)"), v.reasons());
        assertEquals("none", v.reference());
    }

    @Test
    void localReferenceIsNotTrustedUnlessAllowed() {
        TrackingReport local = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-local.hex"));
        TodVerdict v = judge.judge(local, NONE, LEAP);
        assertFalse(v.trusted());
        assertEquals(1, v.reasons().size());
        assertTrue(v.reasons().get(0).contains("'local' clock"), v.reasons().toString());

        TodJudge lab = new TodJudge(new ChronyTrustPolicy(0.1, true, Optional.empty(), 0.4));
        assertTrue(lab.judge(local, NONE, LEAP).trusted());
    }

    @Test
    void manualReferenceIsNotTrusted() {
        TodVerdict v = judge.judge(tracking(RefId.MANUAL, 0, 0, 0, 0), NONE, LEAP);
        assertEquals(List.of("chronyd's reference is manual input (MANU)"), v.reasons());
    }

    @Test
    void errorBoundAtOrOverTheLimitIsNotTrusted() {
        // |-0.0605| + 0.03 + 0.02/2 = 0.1005: not under 0.1
        TodVerdict v = judge.judge(tracking(0xC0000201, 0, -0.0605, 0.02, 0.03), NONE, LEAP);
        assertFalse(v.trusted());
        assertTrue(v.reasons().get(0).startsWith("error bound 100.500 ms (|correction| 60.500 + root dispersion 30.000 + root delay/2 10.000)"), v.reasons().toString());
        assertTrue(v.reasons().get(0).contains("limit 100.000 ms"));

        TodJudge dualEdge = new TodJudge(ChronyTrustPolicy.defaults(Optional.empty()).withMaxErrorBound(0.005));
        assertFalse(dualEdge.judge(tracking(0xC0000201, 0, 0.004, 0.002, 0.0005), NONE, LEAP).trusted());
        assertTrue(dualEdge.judge(tracking(0xC0000201, 0, 0.004, 0.001, 0.0004), NONE, LEAP).trusted());
    }

    @Test
    void everyFailedTestGivesItsReason() {
        TodVerdict v = judge.judge(tracking(RefId.MANUAL, 0, 0.5, 0, 0),
                NONE, new LeapReport(LeapState.fixed(37, "unknown"), false, List.of()));
        assertEquals(3, v.reasons().size(), v.reasons().toString());
    }

    @Test
    void followingOurOwnRefclockAloneIsCircular() {
        TrackingReport own = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-phc0.hex"));
        SourceReport ours = CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-phc0.hex"));
        TodVerdict v = judge.judge(own, TodJudge.SourcesOrError.of(List.of(ours)), LEAP);
        assertFalse(v.trusted());
        assertTrue(v.reasons().get(0).contains("own refclock PHC0"), v.reasons().toString());
        assertTrue(v.reasons().get(0).contains("(no other source)"), v.reasons().toString());
    }

    @Test
    void anotherSelectableSourceThatAgreesBreaksTheCircle() {
        TrackingReport own = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-phc0-two-refclocks.hex"));
        List<SourceReport> both = List.of(
                CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-phc0-selected.hex")),
                CmdmonCodec.decodeSourceData(Fixtures.reply("sourcedata-gps-selectable.hex")));
        TodVerdict v = judge.judge(own, TodJudge.SourcesOrError.of(both), LEAP);
        assertTrue(v.trusted(), v.summary());
        assertEquals("PHC0", v.reference());
    }

    @Test
    void otherSourcesThatDisagreeOrAreNotSelectableDoNotCount() {
        TrackingReport own = tracking(RefId.of("PHC0"), 0, 0, 1e-9, 1e-6);
        List<SourceReport> others = List.of(
                source("PHC0", SourceReport.State.SELECTED, 0),
                source("GPS", SourceReport.State.SELECTABLE, 0.9),
                source("NMEA", SourceReport.State.NONSELECTABLE, 0.01),
                source("PPS", SourceReport.State.FALSETICKER, 0.0));
        TodVerdict v = judge.judge(own, TodJudge.SourcesOrError.of(others), LEAP);
        assertFalse(v.trusted());
        assertTrue(v.reasons().get(0).contains("GPS - +0.900 s"), v.reasons().toString());
        assertTrue(v.reasons().get(0).contains("NMEA ? +0.010 s"), v.reasons().toString());

        List<SourceReport> agreeing = List.of(source("PHC0", SourceReport.State.SELECTED, 0),
                source("GPS", SourceReport.State.UNSELECTED, -0.399));
        assertTrue(judge.judge(own, TodJudge.SourcesOrError.of(agreeing), LEAP).trusted());
    }

    @Test
    void unreadableSourcesWhileFollowingOurselvesIsNotTrusted() {
        TrackingReport own = tracking(RefId.of("PHC0"), 0, 0, 1e-9, 1e-6);
        TodVerdict v = judge.judge(own, TodJudge.SourcesOrError.failed("no reply from chronyd at 127.0.0.1:323"),
                LEAP);
        assertFalse(v.trusted());
        assertTrue(v.reasons().get(0).endsWith("no reply from chronyd at 127.0.0.1:323"));
    }

    @Test
    void withoutOwnRefidTheCircularityCheckIsOff() {
        TodJudge off = new TodJudge(ChronyTrustPolicy.defaults(Optional.empty()));
        TrackingReport own = CmdmonCodec.decodeTracking(Fixtures.reply("tracking-phc0.hex"));
        assertTrue(off.judge(own, NONE, LEAP).trusted());
    }
}
