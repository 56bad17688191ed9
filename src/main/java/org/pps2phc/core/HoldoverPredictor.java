package org.pps2phc.core;

/**
 * Chooses the frequency to hold when pulses are lost, from what the oscillator has shown while locked.
 *
 * <p>Two predictors: the recent average (best when the frequency wanders as a random walk) and the long-term
 * average (best when it swings about a mean, as temperature makes it). While locked, each is scored on how well it
 * would have predicted the recent average a short and a long horizon later; holdover weighs them by the scores for
 * the horizon nearest to how long it has lasted, starting from the recent average, which nothing beats over a few
 * seconds.
 *
 * <p>A third predictor, the swing: when holdover starts, a trend plus one sinusoid (the period searched) is fitted to
 * the last hour of locked frequencies, as temperature cycles make them swing. It is tried first on the hour without
 * its last ten minutes, predicting those; only when it predicts them clearly better than the held average does
 * holdover follow it (extrapolating the swing, not freezing the frequency).
 */
final class HoldoverPredictor {
    private static final int SHORT_HORIZON = 60;
    private static final int LONG_HORIZON = 600;
    private static final double LONG_AVERAGE_S = 3600;
    private static final double SCORE_AVERAGE = 600;
    /** Standard deviations of the swing's miss that bound a holdover following it. */
    private static final double SWING_SIGMAS = 3;
    /** The gap after which a random walk's wander doubles the swing's bound, s. */
    private static final double SWING_WANDER_S = 600;

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
    private final Swing swing = new Swing();
    private Swing.Fit swingFit;
    /** The followed swing's RMS miss over the hour it was fitted to, ppb. */
    private double swingMissPpb;
    private double startS;

    HoldoverPredictor(double recentAverageS) {
        this.recentAverageS = recentAverageS;
    }

    /** One locked pulse at {@code atS} (monotonic seconds), at which the PHC ran at {@code dialledPpb}. */
    void add(double dialledPpb, double atS) {
        swing.add(atS, dialledPpb);
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

    /** Holdover starts at {@code atS}: decides whether the swing predicts the frequency. */
    void start(double atS) {
        startS = atS;
        swingFit = swing.validatedFit();
        swingMissPpb = swingFit == null ? Double.NaN : swing.rmsMiss(swingFit);
    }

    /** Whether this holdover follows the swing fitted when it started. */
    boolean followsSwing() {
        return swingFit != null;
    }

    /**
     * A bound on the phase error {@code inHoldoverS} into a holdover that follows the swing, ns: the frequency may
     * be off by what the fit missed over its hour (the wander it could not follow, the dialled frequencies' noise),
     * {@link #SWING_SIGMAS} times that, integrated over the gap; the wander a random walk adds grows with the gap's
     * square root on top of it ({@link #SWING_WANDER_S}).
     */
    double swingPhaseBoundNs(double inHoldoverS) {
        double t = Math.max(0, inHoldoverS);
        return SWING_SIGMAS * swingMissPpb * t * (1 + Math.sqrt(t / SWING_WANDER_S));
    }

    /** The frequency to hold {@code inHoldoverS} seconds into holdover. */
    double frequency(double inHoldoverS) {
        if (swingFit != null) {
            return swingFit.at(startS + inHoldoverS);
        }
        return heldAverage(inHoldoverS);
    }

    private double heldAverage(double inHoldoverS) {
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

    /** The last hour of locked frequencies, and the fit of a trend and one sinusoid to them. */
    private static final class Swing {
        private static final int WINDOW = 3600;
        private static final double HOLDOUT_S = 600;
        private static final double MIN_SPAN_S = 1800;
        private static final double MIN_PERIOD_S = 120;
        private static final int PERIODS = 120;
        /**
         * The fit is moved to the mean frequency over this long before its end, s: long enough to average the
         * dialled frequency's noise, short against the random walk's wander (on harsh, 12 seeds: 120 s to 300 s
         * are alike, 30 s and 600 s worse, no anchoring three times worse).
         */
        private static final double ANCHOR_S = 180;
        /** Golden-section steps that refine the grid's best period (to a few parts in 10^5). */
        private static final int REFINEMENTS = 14;
        /** The refinement searches within this factor of the grid's best period: more than the grid's step. */
        private static final double GRID_STEP = 1.03;
        /** The swing is followed only when its holdout miss is at most this fraction of the held average's. */
        private static final double BETTER = 0.5;

        private final double[] times = new double[WINDOW];
        private final double[] values = new double[WINDOW];
        private int filled;
        private int next;

        void add(double atS, double ppb) {
            times[next] = atS;
            values[next] = ppb;
            next = (next + 1) % WINDOW;
            filled = Math.min(filled + 1, WINDOW);
        }

        /** A trend plus a sinusoid, about {@code originS}. */
        record Fit(double originS, double omega, double[] c) {
            double at(double atS) {
                double t = atS - originS;
                return c[0] + c[1] * t + c[2] * Math.cos(omega * t) + c[3] * Math.sin(omega * t);
            }
        }

        /**
         * The fit to the whole window, when a fit to the window without its last {@link #HOLDOUT_S} predicts that
         * holdout clearly better than the held average did (its frequency as of the holdout's start); else null.
         */
        Fit validatedFit() {
            if (filled < WINDOW / 2) {
                return null;
            }
            double last = times[Math.floorMod(next - 1, WINDOW)];
            double first = times[Math.floorMod(next - filled, WINDOW)];
            if (last - first < MIN_SPAN_S) {
                return null;
            }
            double cut = last - HOLDOUT_S;
            Fit trial = best(first, cut, last);
            if (trial == null) {
                return null;
            }
            trial = anchored(trial, cut);
            double held = valueAt(cut);
            double swingMiss = 0;
            double heldMiss = 0;
            for (int i = 0; i < filled; i++) {
                if (times[i] > cut) {
                    double d = trial.at(times[i]) - values[i];
                    swingMiss += d * d;
                    heldMiss += (held - values[i]) * (held - values[i]);
                }
            }
            if (!(swingMiss <= BETTER * BETTER * heldMiss)) {
                return null;
            }
            return anchored(refined(first, last, trial.omega(), last), last);
        }

        /**
         * {@code f} moved to where the frequency was at {@code atS}: by its mean miss over the {@link #ANCHOR_S}
         * before. A random walk wanders off any fitted trend, and its best forecast is where it is now, not where
         * the fit over the hour puts it.
         */
        private Fit anchored(Fit f, double atS) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < filled; i++) {
                if (times[i] <= atS && times[i] > atS - ANCHOR_S) {
                    sum += values[i] - f.at(times[i]);
                    n++;
                }
            }
            if (n == 0) {
                return f;
            }
            double[] c = f.c().clone();
            c[0] += sum / n;
            return new Fit(f.originS(), f.omega(), c);
        }

        /**
         * The fit over the samples from {@code fromS} to {@code toS} whose period is refined, by golden-section
         * search, between the grid's neighbours of {@code omega}: a period off by the grid's step would drift the
         * extrapolated swing out of phase over a long holdover.
         */
        private Fit refined(double fromS, double toS, double omega, double originS) {
            double lo = omega / GRID_STEP;
            double hi = omega * GRID_STEP;
            double g = (Math.sqrt(5) - 1) / 2;
            double a = hi - g * (hi - lo);
            double b = lo + g * (hi - lo);
            double ra = residual(fit(fromS, toS, a, originS), fromS, toS);
            double rb = residual(fit(fromS, toS, b, originS), fromS, toS);
            for (int i = 0; i < REFINEMENTS; i++) {
                if (ra < rb) {
                    hi = b;
                    b = a;
                    rb = ra;
                    a = hi - g * (hi - lo);
                    ra = residual(fit(fromS, toS, a, originS), fromS, toS);
                } else {
                    lo = a;
                    a = b;
                    ra = rb;
                    b = lo + g * (hi - lo);
                    rb = residual(fit(fromS, toS, b, originS), fromS, toS);
                }
            }
            Fit best = fit(fromS, toS, (lo + hi) / 2, originS);
            return best != null ? best : fit(fromS, toS, omega, originS);
        }

        /** The RMS miss of {@code f} over the whole window, ppb. */
        double rmsMiss(Fit f) {
            return Math.sqrt(residual(f, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY) / filled);
        }

        /** The sum of squared misses of {@code f} over the samples from {@code fromS} to {@code toS}. */
        private double residual(Fit f, double fromS, double toS) {
            if (f == null) {
                return Double.POSITIVE_INFINITY;
            }
            double residual = 0;
            for (int i = 0; i < filled; i++) {
                if (times[i] >= fromS && times[i] <= toS) {
                    double d = f.at(times[i]) - values[i];
                    residual += d * d;
                }
            }
            return residual;
        }

        /** The smoothed locked frequency at {@code atS} (the mean of the minute before it). */
        private double valueAt(double atS) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < filled; i++) {
                if (times[i] <= atS && times[i] > atS - 60) {
                    sum += values[i];
                    n++;
                }
            }
            return n > 0 ? sum / n : Double.NaN;
        }

        /**
         * The best-fitting period between {@link #MIN_PERIOD_S} and half the span, over samples up to {@code toS}:
         * the best of a grid, refined.
         */
        private Fit best(double fromS, double toS, double originS) {
            double maxPeriod = (toS - fromS) / 2;
            Fit best = null;
            double bestResidual = Double.POSITIVE_INFINITY;
            for (int k = 0; k < PERIODS; k++) {
                double period = MIN_PERIOD_S * Math.pow(maxPeriod / MIN_PERIOD_S, k / (PERIODS - 1.0));
                Fit f = fit(fromS, toS, 2 * Math.PI / period, originS);
                double residual = residual(f, fromS, toS);
                if (residual < bestResidual) {
                    bestResidual = residual;
                    best = f;
                }
            }
            return best == null ? null : refined(fromS, toS, best.omega(), originS);
        }

        /** Least squares of [1, t, cos wt, sin wt] over the samples from {@code fromS} to {@code toS}. */
        private Fit fit(double fromS, double toS, double omega, double originS) {
            double[][] a = new double[4][5];
            double[] row = new double[4];
            for (int i = 0; i < filled; i++) {
                if (times[i] < fromS || times[i] > toS) {
                    continue;
                }
                double t = times[i] - originS;
                row[0] = 1;
                row[1] = t;
                row[2] = Math.cos(omega * t);
                row[3] = Math.sin(omega * t);
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 4; c++) {
                        a[r][c] += row[r] * row[c];
                    }
                    a[r][4] += row[r] * values[i];
                }
            }
            double[] c = solve(a);
            return c == null ? null : new Fit(originS, omega, c);
        }

        /** Gaussian elimination with partial pivoting on the augmented 4x5 system; null when singular. */
        private static double[] solve(double[][] a) {
            int n = 4;
            for (int p = 0; p < n; p++) {
                int max = p;
                for (int r = p + 1; r < n; r++) {
                    if (Math.abs(a[r][p]) > Math.abs(a[max][p])) {
                        max = r;
                    }
                }
                double[] tmp = a[p];
                a[p] = a[max];
                a[max] = tmp;
                if (Math.abs(a[p][p]) < 1e-9) {
                    return null;
                }
                for (int r = p + 1; r < n; r++) {
                    double f = a[r][p] / a[p][p];
                    for (int c = p; c <= n; c++) {
                        a[r][c] -= f * a[p][c];
                    }
                }
            }
            double[] x = new double[n];
            for (int r = n - 1; r >= 0; r--) {
                double sum = a[r][n];
                for (int c = r + 1; c < n; c++) {
                    sum -= a[r][c] * x[c];
                }
                x[r] = sum / a[r][r];
            }
            return x;
        }
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
