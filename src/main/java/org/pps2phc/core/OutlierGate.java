package org.pps2phc.core;

/**
 * The outlier gate: a pulse further from the median of the recent locked offsets than max(floor, factor MADs) is not
 * fed to the servo. A run of them means the pulse (or the PHC) moved. The window fills only while locked, and the
 * gate judges only while it holds enough of them, so it never holds back a converging servo.
 */
final class OutlierGate {
    enum Verdict { PASS, OUTLIER, MOVED }

    /** Outliers in a row after which a locked PHC is no longer called locked (two: one is a glitch). */
    static final int UNLOCK_RUN = 2;

    private final DisciplineConfig config;
    private final OffsetWindow window = new OffsetWindow();
    private int run;
    private long outliers;

    OutlierGate(DisciplineConfig config) {
        this.config = config;
    }

    Verdict judge(double offsetNs) {
        if (!window.isOutlier(offsetNs, config.outlierMadFactor(), config.outlierFloorNs())) {
            run = 0;
            return Verdict.PASS;
        }
        outliers++;
        if (++run >= config.outlierRunLimit()) {
            clear();
            return Verdict.MOVED;
        }
        return Verdict.OUTLIER;
    }

    /** Outliers in a row so far. */
    int run() {
        return run;
    }

    long outliers() {
        return outliers;
    }

    /** One locked offset for the window. */
    void add(double offsetNs) {
        window.add(offsetNs);
    }

    void clear() {
        window.clear();
        run = 0;
    }
}
