package org.pps2phc.core;

/**
 * Chooses the frequency to hold when pulses are lost, from what the oscillator has shown while locked.
 *
 * <p>Two predictors: the recent average (best when the frequency wanders as a random walk) and the long-term
 * average (best when it swings about a mean, as temperature makes it). While locked, each is scored on how well it
 * would have predicted the recent average a short and a long horizon later; holdover weighs them by the scores for
 * the horizon nearest to how long it has lasted, starting from the recent average, which nothing beats over a few
 * seconds.
 */
final class HoldoverPredictor {
    private static final int SHORT_HORIZON = 60;
    private static final int LONG_HORIZON = 600;
    private static final double LONG_AVERAGE_S = 3600;
    private static final double SCORE_AVERAGE = 600;

    private final double recentAverageS;
    private final double[] recentHistory = new double[LONG_HORIZON];
    private final double[] longHistory = new double[LONG_HORIZON];
    private final Score shortScore = new Score();
    private final Score longScore = new Score();
    private int filled;
    private int next;
    private double recent;
    private double longTerm;
    private boolean valid;

    HoldoverPredictor(double recentAverageS) {
        this.recentAverageS = recentAverageS;
    }

    /** One locked pulse, at which the PHC ran at {@code dialledPpb}. */
    void add(double dialledPpb) {
        if (!valid) {
            recent = dialledPpb;
            longTerm = dialledPpb;
            valid = true;
        } else {
            recent += (dialledPpb - recent) / recentAverageS;
            longTerm += (dialledPpb - longTerm) / LONG_AVERAGE_S;
        }
        score(shortScore, SHORT_HORIZON);
        score(longScore, LONG_HORIZON);
        recentHistory[next] = recent;
        longHistory[next] = longTerm;
        next = (next + 1) % LONG_HORIZON;
        filled = Math.min(filled + 1, LONG_HORIZON);
    }

    private void score(Score score, int horizon) {
        if (filled >= horizon) {
            int then = Math.floorMod(next - horizon, LONG_HORIZON);
            score.add(recent - recentHistory[then], recent - longHistory[then]);
        }
    }

    boolean valid() {
        return valid;
    }

    /** The frequency to hold {@code inHoldoverS} seconds into holdover. */
    double frequency(double inHoldoverS) {
        double weight;
        if (inHoldoverS <= SHORT_HORIZON) {
            weight = lerp(1.0, shortScore.recentWeight(), inHoldoverS / SHORT_HORIZON);
        } else if (inHoldoverS <= LONG_HORIZON) {
            weight = lerp(shortScore.recentWeight(), longScore.recentWeight(),
                    (inHoldoverS - SHORT_HORIZON) / (LONG_HORIZON - SHORT_HORIZON));
        } else {
            weight = longScore.recentWeight();
        }
        return weight * recent + (1 - weight) * longTerm;
    }

    /**
     * A bound on the phase error {@code inHoldoverS} into holdover, ns: the frequency held may be off by about the
     * RMS miss the chosen blend had at the nearest horizon while locked; twice that, integrated over the gap.
     */
    double phaseErrorBoundNs(double inHoldoverS) {
        Score score = inHoldoverS <= (SHORT_HORIZON + LONG_HORIZON) / 2.0 ? shortScore : longScore;
        return 2 * score.blendMissPpb() * inHoldoverS;
    }

    private static double lerp(double a, double b, double x) {
        return a + (b - a) * x;
    }

    /** Mean squared misses of the two predictors at one horizon. */
    private static final class Score {
        private double recentError2;
        private double longError2;
        private int count;

        void add(double recentMiss, double longMiss) {
            count++;
            double n = Math.min(count, SCORE_AVERAGE);
            recentError2 += (recentMiss * recentMiss - recentError2) / n;
            longError2 += (longMiss * longMiss - longError2) / n;
        }

        /** RMS miss of the inverse-variance blend of the two predictors, ppb (their combined error). */
        double blendMissPpb() {
            double total = recentError2 + longError2;
            return total <= 0 ? 0 : Math.sqrt(recentError2 * longError2 / total);
        }

        /** Inverse-variance weight of the recent average; 1 until there is evidence. */
        double recentWeight() {
            double total = recentError2 + longError2;
            return count == 0 || total <= 0 ? 1.0 : longError2 / total;
        }
    }
}
