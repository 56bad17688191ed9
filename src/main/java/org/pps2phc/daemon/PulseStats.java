package org.pps2phc.daemon;

import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;

/**
 * Accumulates pulses between summaries. Offset RMS and max and the frequency's mean and spread cover locked pulses
 * only: a pulse accepted while acquiring may carry the first step (TAI-UTC, 37 s) and says nothing about the lock.
 * Those are counted apart, with outliers and glitches.
 */
final class PulseStats {
    private long locked;
    private long acceptedUnlocked;
    private double sumSquares;
    private double maxAbs;
    private double freqSum;
    private double freqSumSquares;
    private long outliers;
    private long glitches;
    private long missingAtStart = -1;

    void add(Observation.Pulse p) {
        if (p.verdict() == PulseVerdict.OUTLIER) {
            outliers++;
        } else if (p.verdict() == PulseVerdict.GLITCH) {
            glitches++;
        } else if (p.verdict() == PulseVerdict.ACCEPTED && !Double.isNaN(p.offsetNs())) {
            if (p.state() != State.LOCKED) {
                acceptedUnlocked++;
                return;
            }
            locked++;
            sumSquares += p.offsetNs() * p.offsetNs();
            maxAbs = Math.max(maxAbs, Math.abs(p.offsetNs()));
            freqSum += p.freqPpb();
            freqSumSquares += p.freqPpb() * p.freqPpb();
        }
    }

    /** One line for the last window, then starts the next one. */
    String summarize(Snapshot snapshot, double seconds) {
        long missing = missingAtStart < 0 ? snapshot.missingPulses() : snapshot.missingPulses() - missingAtStart;
        String unlocked = acceptedUnlocked == 0 ? "" : String.format("%d accepted while not locked", acceptedUnlocked);
        String line;
        if (locked == 0) {
            line = String.format("summary %.0f s: no locked pulse%s, missing %d, outliers %d, glitches %d, "
                    + "freq %+.0f ppb, state %s", seconds, unlocked.isEmpty() ? "" : " (" + unlocked + ")", missing,
                    outliers, glitches, snapshot.frequencyPpb(), snapshot.state().label());
        } else {
            double mean = freqSum / locked;
            double sd = Math.sqrt(Math.max(0, freqSumSquares / locked - mean * mean));
            line = String.format("summary %.0f s: %d locked pulse%s, offset rms %.1f ns max %.0f ns, freq %+.1f ppb "
                    + "sd %.1f, %smissing %d, outliers %d, glitches %d, state %s", seconds, locked, locked == 1 ? "" : "s",
                    Math.sqrt(sumSquares / locked), maxAbs, mean, sd, unlocked.isEmpty() ? "" : unlocked + ", ",
                    missing, outliers, glitches, snapshot.state().label());
        }
        locked = 0;
        acceptedUnlocked = 0;
        sumSquares = 0;
        maxAbs = 0;
        freqSum = 0;
        freqSumSquares = 0;
        outliers = 0;
        glitches = 0;
        missingAtStart = snapshot.missingPulses();
        return line;
    }
}
