package org.pps2phc.core;

/**
 * The engine's state at a moment, for status displays and outputs.
 *
 * @param lastPulseMonoNs monotonic time of the last accepted pulse, or -1 if none yet
 * @param edgeMode        the edges the NIC stamps as the pulse train shows them (the arming path's claim is a hint)
 * @param timeErrorBoundNs how far the PHC may be from true time now, ns, never below the truth: the locked offsets'
 *                        spread while locked, the measured offset while acquiring or relocking, growing from the
 *                        last pulse in holdover (docs/design.md, "The time-error bound"); NaN when the seconds are
 *                        not anchored (unknown: class 248 downstream)
 * @param seconds         how the PHC's seconds are established: unlabelled, anchored, disputed (a trusted time of
 *                        day disagrees by whole seconds: not locked until settled) or phase-lost
 */
public record Snapshot(State state, long era, double lastOffsetNs, double frequencyPpb, TodVerdict tod,
                       long lastPulseMonoNs, long acceptedPulses, long missingPulses, long outliers, long glitches,
                       EdgeMode edgeMode, long pulseWidthNs, String servo, double timeErrorBoundNs,
                       String seconds) {
    /** Whether a trusted time of day disagrees by whole seconds with the PHC's, unsettled. */
    public boolean secondsDisputed() {
        return "disputed".equals(seconds);
    }
}
