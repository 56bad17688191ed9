package org.pps2phc.daemon;

import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.port.ForwardingSink;
import org.pps2phc.core.port.SampleSink;

/**
 * Withholds the samples of an NTP output from 23:59:59 to 00:00:01 around an announced leap second: in those three
 * seconds a sample is only as right as every consumer's own idea of the leap (chronyd, ntpd and the kernel each
 * apply it on their own clock), so none is published; the output is withdrawn instead and fills again after.
 */
final class LeapWindowGuard extends ForwardingSink {
    private static final long NS = 1_000_000_000L;

    LeapWindowGuard(SampleSink sink) {
        super(sink);
    }

    /** Whether {@code sample} falls within a second of the midnight of its announced leap. */
    static boolean inLeapWindow(PhcSample sample) {
        LeapState leap = sample.leap();
        if (leap.pending() == Leap.NONE) {
            return false;
        }
        long utcS = Math.floorDiv(sample.phcUtcNs(), NS);
        return utcS >= leap.leapAtUtcS() - 1 && utcS <= leap.leapAtUtcS() + 1;
    }

    @Override
    public void publish(PhcSample sample) {
        if (inLeapWindow(sample)) {
            withdraw();
        } else {
            super.publish(sample);
        }
    }
}
