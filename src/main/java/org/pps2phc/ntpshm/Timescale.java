package org.pps2phc.ntpshm;

import org.pps2phc.core.PhcSample;

/** Which time a sample's reference (clock) timestamp carries. */
public enum Timescale {
    /** PHC time converted from TAI to UTC: what chrony and ntpd expect by default. */
    UTC,
    /** The PHC's TAI as is: for chrony's {@code tai} refclock option (or {@code offset -37}). */
    TAI;

    /** The sample's reference time in this timescale, ns. */
    public long referenceNs(PhcSample sample) {
        return this == TAI ? sample.phcTaiNs() : sample.phcUtcNs();
    }
}
