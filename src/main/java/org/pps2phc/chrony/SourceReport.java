package org.pps2phc.chrony;

import org.pps2phc.core.RefId;
/**
 * One of chrony's sources (REQ_SOURCE_DATA, one line of `chronyc sources`).
 *
 * @param addr            the source's address; refclocks appear as IPv4 with their refid as the address
 * @param poll            polling interval, log2 s
 * @param stratum         the source's stratum
 * @param state           chrony's selection state for it
 * @param mode            0 client, 1 peer, 2 refclock
 * @param flags           chrony's source flags
 * @param reach           reachability register (octal in chronyc)
 * @param sinceSampleS    age of the last sample, s
 * @param origLatestMeasS the last sample's offset as measured, s
 * @param latestMeasS     the last sample's offset, adjusted for clock changes since; positive: source ahead, s
 * @param latestMeasErrS  the last sample's error bound, s
 */
public record SourceReport(ChronyAddr addr, int poll, int stratum, State state, int mode, int flags, int reach,
                           long sinceSampleS, double origLatestMeasS, double latestMeasS, double latestMeasErrS) {
    public static final int MODE_REFCLOCK = 2;

    /** chrony's selection states (RPY_SD_ST_*), with chronyc's marks. */
    public enum State {
        SELECTED('*'), NONSELECTABLE('?'), FALSETICKER('x'), JITTERY('~'), UNSELECTED('+'), SELECTABLE('-'),
        UNKNOWN(' ');

        private final char mark;

        State(char mark) {
            this.mark = mark;
        }

        public char mark() {
            return mark;
        }

        static State of(int code) {
            State[] all = values();
            return code >= 0 && code < all.length - 1 ? all[code] : UNKNOWN;
        }

        /** Selected, combined or acceptable: a source whose time chrony considers sound. */
        public boolean usable() {
            return this == SELECTED || this == SELECTABLE || this == UNSELECTED;
        }
    }

    /** Whether this is the refclock with {@code refId}. */
    public boolean isRefclock(int refId) {
        return mode == MODE_REFCLOCK && addr.family() == ChronyAddr.INET4 && addr.word() == refId;
    }

    /** "PHC0" for refclocks, the address for NTP sources. */
    public String name() {
        if (mode == MODE_REFCLOCK && addr.family() == ChronyAddr.INET4) {
            return RefId.ascii(addr.word()).orElse(addr.toString());
        }
        return addr.toString();
    }
}
