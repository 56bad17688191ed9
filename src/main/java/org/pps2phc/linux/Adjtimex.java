package org.pps2phc.linux;

import org.pps2phc.os.NativeLibraries;
import org.pps2phc.os.Errno;
import com.sun.jna.Native;

/** {@link KernelTimeReader} through adjtimex(2) with modes = 0, which only reads. */
public final class Adjtimex implements KernelTimeReader {
    private final ClockCalls clocks;
    private final NativeStruct timex = new NativeStruct(NativeStruct.TimexLayout.SIZE);

    public Adjtimex(ClockCalls clocks) {
        this.clocks = clocks;
    }

    /** Binds to the library {@link NativeLibraries#libc()} names. */
    public static Adjtimex system() {
        return new Adjtimex(NativeLibraries.load(ClockCalls.class));
    }

    @Override
    public synchronized KernelTimeStatus read() throws PhcException {
        int state = clocks.adjtimex(timex.clear().pointer()); // modes = 0: a read
        if (state < 0) {
            int errno = Native.getLastError();
            throw new PhcException(PhcException.UNAVAILABLE, errno, "adjtimex (read the system clock's state) "
                    + "failed: " + Errno.describe(errno));
        }
        int status = timex.getInt(NativeStruct.TimexLayout.STATUS);
        long sub = timex.getCLong(NativeStruct.TimexLayout.TIME_SUB);
        long subNs = (status & ClockCalls.STA_NANO) != 0 ? sub : sub * 1000;
        long timeNs = timex.getCLong(NativeStruct.TimexLayout.TIME_SEC) * 1_000_000_000L + subNs;
        return new KernelTimeStatus(timeNs, timex.getInt(NativeStruct.TimexLayout.TAI), status, state,
                timex.getCLong(NativeStruct.TimexLayout.MAXERROR));
    }
}
