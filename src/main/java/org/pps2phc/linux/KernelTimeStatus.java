package org.pps2phc.linux;

/**
 * The kernel's view of the system clock, read atomically with adjtimex(modes = 0).
 *
 * @param timeNs     CLOCK_REALTIME at the read, ns since 1970 (UTC, POSIX)
 * @param taiOffsetS TAI - UTC the kernel holds (0 when nobody set it)
 * @param status     the STA_* bits ({@link ClockCalls#STA_INS}, STA_DEL, STA_UNSYNC, STA_NANO)
 * @param state      adjtimex's return: TIME_OK, TIME_INS, TIME_DEL, TIME_OOP, TIME_WAIT or TIME_ERROR
 * @param maxErrorUs the kernel's maximum error of the system clock, µs (set by chronyd or ntpd, growing by 500 µs
 *                   per second since)
 */
public record KernelTimeStatus(long timeNs, int taiOffsetS, int status, int state, long maxErrorUs) {
    /** A leap second will be inserted at the end of the UTC day. */
    public boolean insertPending() {
        return (status & ClockCalls.STA_INS) != 0;
    }

    /** A leap second will be deleted at the end of the UTC day. */
    public boolean deletePending() {
        return (status & ClockCalls.STA_DEL) != 0;
    }

    /** The kernel considers the clock unsynchronised (nothing disciplines it, or chrony/ntpd said so). */
    public boolean unsynchronised() {
        return (status & ClockCalls.STA_UNSYNC) != 0;
    }
}
