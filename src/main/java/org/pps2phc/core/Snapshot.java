package org.pps2phc.core;

/**
 * The engine's state at a moment, for status displays and outputs.
 *
 * @param lastPulseMonoNs monotonic time of the last accepted pulse, or -1 if none yet
 * @param timeErrorBoundNs how far the PHC may be from true time now, ns: the locked offsets' spread while locked,
 *                        growing with the frequency the holdover predictor may have wrong in holdover; NaN when
 *                        there is nothing to base it on (acquiring, free-running)
 */
public record Snapshot(State state, long era, double lastOffsetNs, double frequencyPpb, TodVerdict tod,
                       long lastPulseMonoNs, long acceptedPulses, long missingPulses, long outliers, long glitches,
                       EdgeMode edgeMode, long pulseWidthNs, String servo, double timeErrorBoundNs) {
}
