package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;
import org.pps2phc.core.CrossTimestamp;

/**
 * Pairs a PHC reading with CLOCK_REALTIME by the best method the driver has: PTP_SYS_OFFSET_PRECISE (a hardware
 * cross-timestamp), else PTP_SYS_OFFSET_EXTENDED (the narrowest of several system-time brackets), else the basic
 * PTP_SYS_OFFSET, else clock_gettime(REALTIME, PHC, REALTIME). A method the driver refuses is dropped for good;
 * the reasons are kept for 'pps2phc check'.
 */
final class CrossTimestamper {
    /** The methods, best first. */
    enum Method {
        PRECISE("precise"), EXTENDED("extended"), BASIC("basic"), GETTIME("gettime");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    static final int SAMPLES = 5;
    private static final int BUSY_RETRIES = 3;

    private final LinuxKernel kernel;
    private final String device;
    private final int fd;
    private final int clockId;
    private int method;
    private final List<String> refused = new ArrayList<>();

    CrossTimestamper(LinuxKernel kernel, String device, int fd, int clockId) {
        this.kernel = kernel;
        this.device = device;
        this.fd = fd;
        this.clockId = clockId;
    }

    /** The method in use (the next one to try, before the first call). */
    Method method() {
        return Method.values()[method];
    }

    /** "precise: EOPNOTSUPP (Operation not supported)" for each method the driver refused. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    CrossTimestamp take() throws PhcException {
        while (true) {
            Method m = Method.values()[method];
            int busy = 0;
            while (true) {
                try {
                    return switch (m) {
                        case PRECISE -> precise();
                        case EXTENDED -> extended();
                        case BASIC -> basic();
                        case GETTIME -> sandwich();
                    };
                } catch (CallFailed f) {
                    if ((f.errno == Errno.EBUSY || f.errno == Errno.EINTR || f.errno == Errno.EAGAIN)
                            && ++busy < BUSY_RETRIES) {
                        continue;
                    }
                    if (m != Method.GETTIME && PhcErrors.unsupported(f.errno)) {
                        refused.add(m.label + ": " + Errno.describe(f.errno));
                        method++;
                        break;
                    }
                    throw PhcErrors.operation(device, f.call + " (cross-timestamp)", f.errno);
                }
            }
        }
    }

    private CrossTimestamp precise() throws CallFailed {
        PtpIoctls.SysOffsetPrecise p = new PtpIoctls.SysOffsetPrecise();
        ioctl(PtpIoctls.PTP_SYS_OFFSET_PRECISE, p, "PTP_SYS_OFFSET_PRECISE");
        return new CrossTimestamp(p.device.toNanos(), p.sys_realtime.toNanos(), 0, Method.PRECISE.label);
    }

    private CrossTimestamp extended() throws CallFailed {
        PtpIoctls.SysOffsetExtended x = new PtpIoctls.SysOffsetExtended();
        x.n_samples = SAMPLES;
        ioctl(PtpIoctls.PTP_SYS_OFFSET_EXTENDED, x, "PTP_SYS_OFFSET_EXTENDED");
        Best best = new Best();
        for (int i = 0; i < x.n_samples && i < PtpIoctls.MAX_SAMPLES; i++) {
            best.offer(x.ts[3 * i].toNanos(), x.ts[3 * i + 1].toNanos(), x.ts[3 * i + 2].toNanos());
        }
        return best.result(Method.EXTENDED.label);
    }

    private CrossTimestamp basic() throws CallFailed {
        PtpIoctls.SysOffset x = new PtpIoctls.SysOffset();
        x.n_samples = SAMPLES;
        ioctl(PtpIoctls.PTP_SYS_OFFSET, x, "PTP_SYS_OFFSET");
        Best best = new Best();
        for (int i = 0; i < x.n_samples && i < PtpIoctls.MAX_SAMPLES; i++) {
            best.offer(x.ts[2 * i].toNanos(), x.ts[2 * i + 1].toNanos(), x.ts[2 * i + 2].toNanos());
        }
        return best.result(Method.BASIC.label);
    }

    private CrossTimestamp sandwich() throws CallFailed {
        ClockCalls.Timespec before = new ClockCalls.Timespec();
        ClockCalls.Timespec phc = new ClockCalls.Timespec();
        ClockCalls.Timespec after = new ClockCalls.Timespec();
        Best best = new Best();
        for (int i = 0; i < SAMPLES; i++) {
            gettime(ClockCalls.CLOCK_REALTIME, before);
            gettime(clockId, phc);
            gettime(ClockCalls.CLOCK_REALTIME, after);
            best.offer(before.toNanos(), phc.toNanos(), after.toNanos());
        }
        return best.result(Method.GETTIME.label);
    }

    private void ioctl(long request, PtpIoctls.Layout arg, String name) throws CallFailed {
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(request), arg) < 0) {
            throw new CallFailed(name, Native.getLastError());
        }
    }

    private void gettime(int clock, ClockCalls.Timespec ts) throws CallFailed {
        if (kernel.clocks().clock_gettime(clock, ts) != 0) {
            throw new CallFailed("clock_gettime", Native.getLastError());
        }
    }

    /** Keeps the sample with the narrowest system-time bracket; its midpoint is the system time of the PHC read. */
    private static final class Best {
        long phc;
        long sys;
        long width = Long.MAX_VALUE;

        void offer(long sysBefore, long phcNs, long sysAfter) {
            long w = sysAfter - sysBefore;
            if (w >= 0 && w < width) {
                width = w;
                phc = phcNs;
                sys = sysBefore + w / 2;
            }
        }

        CrossTimestamp result(String method) throws CallFailed {
            if (width == Long.MAX_VALUE) {
                // every bracket ran backwards: the system clock was stepped while sampling
                throw new CallFailed("cross-timestamp (system clock stepped while sampling)", Errno.EAGAIN);
            }
            return new CrossTimestamp(phc, sys, width, method);
        }
    }

    private static final class CallFailed extends Exception {
        final String call;
        final int errno;

        CallFailed(String call, int errno) {
            super(call, null, false, false);
            this.call = call;
            this.errno = errno;
        }
    }
}
