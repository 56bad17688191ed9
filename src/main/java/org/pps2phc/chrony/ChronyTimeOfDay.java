package org.pps2phc.chrony;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * The time-of-day source backed by chronyd: tracking (and, when chrony follows our own refclock, its sources) judged
 * by a {@link TodJudge}, with TAI-UTC from a {@link TaiUtcSource}. Asks chronyd at most once a second; a call within
 * the second gets the previous verdict again. Never throws: a silent chronyd is an untrusted verdict. A query blocks
 * for up to the sum of the client's timeouts (7 s with chronyc's 1, 2, 4 s) when chronyd is silent; not thread-safe,
 * except {@link #close()}, which closes the client and so ends a query in progress.
 */
public final class ChronyTimeOfDay implements TimeOfDaySource, AutoCloseable {
    /** chronyd is asked at most this often. */
    public static final long MIN_INTERVAL_NS = 1_000_000_000L;

    private final ChronyMonitor client;
    private final TodJudge judge;
    private final TaiUtcSource taiUtc;
    private final MonotonicClock monotonic;

    private long lastQueryNs;
    private Result last;

    /** One query's full picture, for `pps2phc tod` and status output. */
    public record Result(TodVerdict verdict, Optional<TrackingReport> tracking, List<SourceReport> sources,
                         LeapReport leap) {
        public Result {
            sources = List.copyOf(sources);
        }
    }

    public ChronyTimeOfDay(ChronyMonitor client, ChronyTrustPolicy policy, TaiUtcSource taiUtc,
                           MonotonicClock monotonic) {
        this.client = client;
        this.judge = new TodJudge(policy);
        this.taiUtc = taiUtc;
        this.monotonic = monotonic;
    }

    @Override
    public TodVerdict query() {
        return queryDetailed().verdict();
    }

    /** Like {@link #query()}, with what chronyd said. */
    public Result queryDetailed() {
        long now = monotonic.nanos();
        if (last != null && now - lastQueryNs < MIN_INTERVAL_NS) {
            return last;
        }
        lastQueryNs = now;
        last = ask();
        return last;
    }

    @Override
    public void close() {
        client.close();
    }

    private Result ask() {
        TrackingReport t;
        try {
            t = client.tracking();
        } catch (ChronyException e) {
            LeapReport leap = taiUtc.current(OptionalInt.empty());
            return new Result(TodVerdict.untrusted(e.getMessage(), leap.state(), "none"), Optional.empty(),
                    List.of(), leap);
        }
        TodJudge.SourcesOrError sources = TodJudge.SourcesOrError.notAsked();
        if (judge.policy().isOwnReference(t)) {
            try {
                sources = TodJudge.SourcesOrError.of(client.sources());
            } catch (ChronyException e) {
                sources = TodJudge.SourcesOrError.failed(e.getMessage());
            }
        }
        LeapReport leap = taiUtc.current(t.leapStatus() == TrackingReport.LEAP_UNSYNCHRONISED
                ? OptionalInt.empty() : OptionalInt.of(t.leapStatus()));
        return new Result(judge.judge(t, sources, leap), Optional.of(t), sources.sources(), leap);
    }
}
