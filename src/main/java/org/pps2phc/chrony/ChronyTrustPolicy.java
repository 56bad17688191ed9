package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
import java.util.Optional;

/**
 * When chrony's time of day may name a second.
 *
 * @param maxErrorBoundS      limit for |correction| + root dispersion + root delay / 2, s (default 0.1; tighter when
 *                            the NIC stamps both edges and the time of day must tell them apart)
 * @param allowLocalReference accept chrony's own free-running {@code local} reference (only for labs)
 * @param ownRefid            pps2phc's own refclock refid in chrony ("PHC0"), for the circularity check; empty: off
 * @param agreementS          how close another source must be when chrony follows our own refclock, s (0.4)
 */
public record ChronyTrustPolicy(double maxErrorBoundS, boolean allowLocalReference, Optional<String> ownRefid,
                                double agreementS) {
    public static final double DEFAULT_MAX_ERROR_BOUND_S = 0.1;
    public static final double DEFAULT_AGREEMENT_S = 0.4;

    public ChronyTrustPolicy {
        if (!(maxErrorBoundS > 0) || !(agreementS > 0)) {
            throw new IllegalArgumentException("error bound limit and agreement must be positive seconds");
        }
        ownRefid.ifPresent(RefId::of); // validates
    }

    public static ChronyTrustPolicy defaults(Optional<String> ownRefid) {
        return new ChronyTrustPolicy(DEFAULT_MAX_ERROR_BOUND_S, false, ownRefid, DEFAULT_AGREEMENT_S);
    }

    public ChronyTrustPolicy withMaxErrorBound(double seconds) {
        return new ChronyTrustPolicy(seconds, allowLocalReference, ownRefid, agreementS);
    }

    /** Whether chrony's current reference is pps2phc's own refclock, so that its seconds may be our own. */
    public boolean isOwnReference(TrackingReport t) {
        return ownRefid.isPresent() && t.refId() == RefId.of(ownRefid.get())
                && t.leapStatus() != TrackingReport.LEAP_UNSYNCHRONISED;
    }
}
