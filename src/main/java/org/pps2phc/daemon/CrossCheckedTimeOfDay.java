package org.pps2phc.daemon;

import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.TimeOfDaySource;

/**
 * One time of day as the source, another as its cross-check (the receiver and chronyd, with tod_cross_check 1).
 * The source's verdict stands, unless both are trusted and put UTC further apart than their two error bounds: then
 * neither may name a second, and the verdict says so (the engine logs it once, as every change of verdict). A
 * check that is not trusted checks nothing.
 */
final class CrossCheckedTimeOfDay implements TimeOfDaySource, AutoCloseable {
    private static final double SLACK_NS = 2e6;
    private final TimeOfDaySource source;
    private final TimeOfDaySource check;
    private final String checkName;

    CrossCheckedTimeOfDay(TimeOfDaySource source, TimeOfDaySource check, String checkName) {
        this.source = source;
        this.check = check;
        this.checkName = checkName;
    }

    TimeOfDaySource source() {
        return source;
    }

    @Override
    public TodVerdict query() {
        TodVerdict s = source.query();
        if (!s.trusted()) {
            return s;
        }
        TodVerdict c = check.query();
        if (!c.trusted()) {
            return s;
        }
        double apartNs = Math.abs((double) s.systemMinusUtcNs() - c.systemMinusUtcNs());
        if (apartNs <= s.errorBoundNs() + c.errorBoundNs() + SLACK_NS) {
            return s;
        }
        long seconds = Math.round(apartNs / 1e9);
        String by = seconds >= 1 ? seconds + " s" : "more than their error bounds";
        return TodVerdict.untrusted(s.reference() + " and " + checkName + " (" + c.reference() + ") disagree by " + by
                + ": neither names a second", s.leap(), s.reference());
    }

    @Override
    public void close() throws Exception {
        if (source instanceof AutoCloseable a) {
            a.close();
        }
        if (check instanceof AutoCloseable a) {
            a.close();
        }
    }
}
