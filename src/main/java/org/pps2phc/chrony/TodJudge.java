package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

/** Applies a {@link ChronyTrustPolicy} to chrony's tracking (and sources): pure, every failed test a reason. */
public final class TodJudge {
    private final ChronyTrustPolicy policy;

    public TodJudge(ChronyTrustPolicy policy) {
        this.policy = policy;
    }

    public ChronyTrustPolicy policy() {
        return policy;
    }

    /**
     * @param t       chrony's tracking report
     * @param sources chrony's sources when {@link ChronyTrustPolicy#isOwnReference} asked for them; otherwise unused.
     *                An error text when they could not be read.
     * @param leap    TAI-UTC and the pending leap second
     */
    public TodVerdict judge(TrackingReport t, SourcesOrError sources, LeapReport leap) {
        List<String> reasons = new ArrayList<>();
        if (t.leapStatus() == TrackingReport.LEAP_UNSYNCHRONISED) {
            reasons.add("chronyd is not synchronised (leap status 3)");
        } else if (t.leapStatus() > TrackingReport.LEAP_UNSYNCHRONISED) {
            reasons.add("chronyd reports an invalid leap status " + t.leapStatus());
        }
        if (t.refId() == RefId.LOCAL && !policy.allowLocalReference()) {
            reasons.add("chronyd's reference is its own 'local' clock (7F7F0101), not a time source");
        }
        if (t.refId() == RefId.MANUAL) {
            reasons.add("chronyd's reference is manual input (MANU)");
        }
        double bound = t.errorBoundS();
        if (t.leapStatus() != TrackingReport.LEAP_UNSYNCHRONISED && !(bound < policy.maxErrorBoundS())) {
            reasons.add(String.format("error bound %.3f ms (|correction| %.3f + root dispersion %.3f + root delay/2"
                    + " %.3f) is not under the limit %.3f ms", bound * 1e3, Math.abs(t.currentCorrectionS()) * 1e3,
                    t.rootDispersionS() * 1e3, t.rootDelayS() / 2 * 1e3, policy.maxErrorBoundS() * 1e3));
        }
        if (policy.isOwnReference(t)) {
            circularity(t, sources).ifPresent(reasons::add);
        }
        if (!leap.known()) {
            reasons.add("TAI-UTC unknown (no kernel TAI offset, no leap file, no utc_offset)");
        }
        LeapState state = leap.state();
        String reference = t.referenceName();
        if (reasons.isEmpty()) {
            return TodVerdict.trusted(bound * 1e9, state, reference);
        }
        return new TodVerdict(false, Double.POSITIVE_INFINITY, reasons, state, reference);
    }

    /** When chrony follows our own refclock: a reason unless another usable source agrees. */
    private Optional<String> circularity(TrackingReport t, SourcesOrError sources) {
        String own = policy.ownRefid().orElseThrow();
        if (sources.error().isPresent()) {
            return Optional.of("chronyd follows pps2phc's own refclock " + own
                    + " and its other sources could not be read: " + sources.error().get());
        }
        int ownId = RefId.of(own);
        List<String> seen = new ArrayList<>();
        for (SourceReport s : sources.sources()) {
            if (s.isRefclock(ownId)) {
                continue;
            }
            if (s.state().usable() && Math.abs(s.latestMeasS()) <= policy.agreementS()) {
                return Optional.empty();
            }
            seen.add(String.format("%s %c %+.3f s", s.name(), s.state().mark(), s.latestMeasS()));
        }
        return Optional.of("chronyd follows pps2phc's own refclock " + own + " (its seconds may be ours) and no"
                + " other selectable source agrees within " + policy.agreementS() + " s"
                + (seen.isEmpty() ? " (no other source)" : " (" + String.join(", ", seen) + ")"));
    }

    /** chrony's sources, or why they could not be read. */
    public record SourcesOrError(List<SourceReport> sources, Optional<String> error) {
        public SourcesOrError {
            sources = List.copyOf(sources);
        }

        public static SourcesOrError of(List<SourceReport> sources) {
            return new SourcesOrError(sources, Optional.empty());
        }

        public static SourcesOrError failed(String why) {
            return new SourcesOrError(List.of(), Optional.of(why));
        }

        public static SourcesOrError notAsked() {
            return new SourcesOrError(List.of(), Optional.empty());
        }
    }
}
