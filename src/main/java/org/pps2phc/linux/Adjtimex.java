package org.pps2phc.linux;

import org.pps2phc.os.NativeLibraries;
import org.pps2phc.os.Errno;
import com.sun.jna.Native;

/** {@link KernelTimeReader} through adjtimex(2) with modes = 0, which only reads. */
public final class Adjtimex implements KernelTimeReader {
    private final ClockCalls clocks;

    public Adjtimex(ClockCalls clocks) {
        this.clocks = clocks;
    }

    /** Binds to the library {@link NativeLibraries#libc()} names. */
    public static Adjtimex system() {
        return new Adjtimex(NativeLibraries.load(ClockCalls.class));
    }

    @Override
    public KernelTimeStatus read() throws PhcException {
        ClockCalls.Timex tx = new ClockCalls.Timex();
        tx.modes = 0;
        int state = clocks.adjtimex(tx);
        if (state < 0) {
            int errno = Native.getLastError();
            throw new PhcException(PhcException.UNAVAILABLE, errno, "adjtimex (read the system clock's state) "
                    + "failed: " + Errno.describe(errno));
        }
        long sub = tx.time.tv_usec.longValue();
        long subNs = (tx.status & ClockCalls.STA_NANO) != 0 ? sub : sub * 1000;
        long timeNs = tx.time.tv_sec.longValue() * 1_000_000_000L + subNs;
        return new KernelTimeStatus(timeNs, tx.tai, tx.status, state, tx.maxerror.longValue());
    }
}
