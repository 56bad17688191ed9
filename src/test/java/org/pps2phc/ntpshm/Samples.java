package org.pps2phc.ntpshm;

import java.time.Instant;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.PhcSample;
import org.pps2phc.core.State;

/**
 * The test's stand-in for the engine: PHC samples as if taken right after a pulse, with the PHC (in TAI) a known
 * 250 us ahead of the system clock in UTC terms.
 */
final class Samples {
    static final int TAI_MINUS_UTC = 37;
    /** PHC(UTC) - system time. */
    static final long PHC_AHEAD_NS = 250_000;
    static final long BRACKET_NS = 400;
    private static final long NS = 1_000_000_000L;

    private Samples() {
    }

    /** CLOCK_REALTIME now, ns (Instant.now() reads it with microsecond resolution on Linux). */
    static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * NS + now.getNano();
    }

    /** A sample taken now: what the engine would hand the sinks after an accepted pulse. */
    static PhcSample now() {
        return at(nowNs());
    }

    static PhcSample at(long sysNs) {
        return new PhcSample(sysNs + PHC_AHEAD_NS + TAI_MINUS_UTC * NS, sysNs, BRACKET_NS,
                LeapState.fixed(TAI_MINUS_UTC, "test"), State.LOCKED);
    }
}
