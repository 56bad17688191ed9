package org.pps2phc.daemon;

import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;

/** Accumulates pulses between summaries: offset RMS and max, frequency mean and spread, outliers, glitches. */
final class PulseStats {
    private long accepted;
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
            accepted++;
            sumSquares += p.offsetNs() * p.offsetNs();
            maxAbs = Math.max(maxAbs, Math.abs(p.offsetNs()));
            freqSum += p.freqPpb();
            freqSumSquares += p.freqPpb() * p.freqPpb();
        }
    }

    /** One line for the last window, then starts the next one. */
    String summarize(Snapshot snapshot, double seconds) {
        long missing = missingAtStart < 0 ? snapshot.missingPulses() : snapshot.missingPulses() - missingAtStart;
        String line;
        if (accepted == 0) {
            line = String.format("summary %.0f s: no pulse accepted, missing %d, outliers %d, glitches %d, "
                    + "freq %+.0f ppb, state %s", seconds, missing, outliers, glitches, snapshot.frequencyPpb(),
                    snapshot.state().label());
        } else {
            double mean = freqSum / accepted;
            double sd = Math.sqrt(Math.max(0, freqSumSquares / accepted - mean * mean));
            line = String.format("summary %.0f s: offset rms %.1f ns max %.0f ns, freq %+.1f ppb sd %.1f, pulses %d, "
                    + "missing %d, outliers %d, glitches %d, state %s", seconds, Math.sqrt(sumSquares / accepted),
                    maxAbs, mean, sd, accepted, missing, outliers, glitches, snapshot.state().label());
        }
        accepted = 0;
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
