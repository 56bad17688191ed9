package org.pps2phc.daemon;

import java.util.Optional;
import org.pps2phc.core.PulseVerdict;

/**
 * Notices a run of pulses the engine cannot use (no edge decided, no second named): once per run, after enough of
 * them that it is not the pulse train still being learned.
 */
final class UnusablePulses {
    /** Unusable leading-edge candidates in a row before it is worth a warning: well past a normal acquisition. */
    static final int RUN_BEFORE_WARNING = 20;

    private int run;
    private boolean warned;

    /** Records one verdict; returns the verdict to warn about when this one completes a long enough run. */
    Optional<PulseVerdict> add(PulseVerdict verdict) {
        switch (verdict) {
            case ACCEPTED, OUTLIER -> {
                run = 0;
                warned = false;
            }
            case UNCLASSIFIED, UNLABELLED -> {
                if (++run >= RUN_BEFORE_WARNING && !warned) {
                    warned = true;
                    return Optional.of(verdict);
                }
            }
            default -> {
                // trailing edges, glitches and stale events say nothing about whether pulses are usable
            }
        }
        return Optional.empty();
    }
}
