package org.pps2phc.core.servo;

/**
 * A clock servo, with linuxptp's contract: fed the PHC's offset from its reference at each pulse, it returns the
 * PHC's frequency error estimate in ppb; the caller dials the negative of it (see {@link ServoOutput}).
 * Implementations are deterministic and keep no reference to time other than what they are given.
 */
public interface Servo {
    /** Short name, as selected by {@code clock_servo} and {@code --servo}. */
    String name();

    /**
     * One measurement.
     *
     * @param offsetNs PHC minus reference, ns (positive: the PHC is ahead)
     * @param localNs  the PHC timestamp of the measurement, ns
     * @param weight   1.0 for a normal sample
     */
    ServoOutput sample(double offsetNs, long localNs, double weight);

    /** The interval between samples, seconds; sets the gains. */
    void syncInterval(double seconds);

    /** Forget the sample history (after a step or a failed adjustment); keeps the frequency estimate. */
    void reset();

    /** The servo's smoothed estimate of the frequency to dial, ppb (for holdover). */
    double frequencyEstimatePpb();

    /** Tell the servo the frequency the clock is running at, ppb (dialled value). */
    void setFrequencyEstimatePpb(double dialledPpb);
}
