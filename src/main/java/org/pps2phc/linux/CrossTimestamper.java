package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
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
    private Method method = Method.PRECISE;
    private final List<String> refused = new ArrayList<>();
    // Native memory and request numbers reused at every call; the caller serialises take().
    private final NativeStruct precise = new NativeStruct(PtpIoctls.SIZEOF_SYS_OFFSET_PRECISE);
    private final NativeStruct extended = new NativeStruct(PtpIoctls.SIZEOF_SYS_OFFSET_EXTENDED);
    private final NativeStruct basic = new NativeStruct(PtpIoctls.SIZEOF_SYS_OFFSET);
    private final NativeStruct before = new NativeStruct(NativeStruct.TimespecLayout.SIZE);
    private final NativeStruct phc = new NativeStruct(NativeStruct.TimespecLayout.SIZE);
    private final NativeStruct after = new NativeStruct(NativeStruct.TimespecLayout.SIZE);
    private final NativeLong preciseRequest = PtpIoctls.Ioc.request(PtpIoctls.PTP_SYS_OFFSET_PRECISE);
    private final NativeLong extendedRequest = PtpIoctls.Ioc.request(PtpIoctls.PTP_SYS_OFFSET_EXTENDED);
    private final NativeLong basicRequest = PtpIoctls.Ioc.request(PtpIoctls.PTP_SYS_OFFSET);
    private final Best best = new Best();

    CrossTimestamper(LinuxKernel kernel, String device, int fd, int clockId) {
        this.kernel = kernel;
        this.device = device;
        this.fd = fd;
        this.clockId = clockId;
    }

    /** The method in use (the next one to try, before the first call). */
    Method method() {
        return method;
    }

    /** "precise: EOPNOTSUPP (Operation not supported)" for each method the driver refused. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    CrossTimestamp take() throws PhcException {
        while (true) {
            Method m = method;
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
                        method = Method.values()[m.ordinal() + 1];
                        break;
                    }
                    throw PhcErrors.operation(device, f.call + " (cross-timestamp)", f.errno);
                }
            }
        }
    }

    private CrossTimestamp precise() throws CallFailed {
        ioctl(preciseRequest, precise.clear(), "PTP_SYS_OFFSET_PRECISE");
        return new CrossTimestamp(precise.clockTimeNanos(Offsets.PRECISE_DEVICE),
                precise.clockTimeNanos(Offsets.PRECISE_REALTIME), 0, Method.PRECISE.label);
    }

    private CrossTimestamp extended() throws CallFailed {
        return bracketed(extended, extendedRequest, "PTP_SYS_OFFSET_EXTENDED", Offsets.EXTENDED_N_SAMPLES,
                Offsets.EXTENDED_TS, 3, Method.EXTENDED);
    }

    private CrossTimestamp basic() throws CallFailed {
        return bracketed(basic, basicRequest, "PTP_SYS_OFFSET", Offsets.BASIC_N_SAMPLES, Offsets.BASIC_TS, 2,
                Method.BASIC);
    }

    /**
     * An ioctl that fills n samples of [system, PHC, system] times; each sample starts {@code stride} ptp_clock_times
     * after the one before (3 for EXTENDED; 2 for the basic call, whose neighbours share their system times).
     */
    private CrossTimestamp bracketed(NativeStruct buf, NativeLong request, String name, int nSamplesOffset,
                                     int tsOffset, int stride, Method m) throws CallFailed {
        buf.clear().setInt(nSamplesOffset, SAMPLES);
        ioctl(request, buf, name);
        best.reset();
        int n = Math.min(buf.getInt(nSamplesOffset), PtpIoctls.MAX_SAMPLES);
        long size = NativeStruct.ClockTimeLayout.SIZE;
        for (int i = 0; i < n; i++) {
            long at = tsOffset + (long) stride * i * size;
            best.offer(buf.clockTimeNanos(at), buf.clockTimeNanos(at + size), buf.clockTimeNanos(at + 2 * size));
        }
        return best.result(m.label);
    }

    private CrossTimestamp sandwich() throws CallFailed {
        best.reset();
        for (int i = 0; i < SAMPLES; i++) {
            gettime(ClockCalls.CLOCK_REALTIME, before);
            gettime(clockId, phc);
            gettime(ClockCalls.CLOCK_REALTIME, after);
            best.offer(before.timespecNanos(0), phc.timespecNanos(0), after.timespecNanos(0));
        }
        return best.result(Method.GETTIME.label);
    }

    private void ioctl(NativeLong request, NativeStruct arg, String name) throws CallFailed {
        if (kernel.ptp().ioctl(fd, request, arg.pointer()) < 0) {
            throw new CallFailed(name, Native.getLastError());
        }
    }

    private void gettime(int clock, NativeStruct ts) throws CallFailed {
        if (kernel.clocks().clock_gettime(clock, ts.pointer()) != 0) {
            throw new CallFailed("clock_gettime", Native.getLastError());
        }
    }

    /** Field offsets of the three structs, from their layout classes. */
    private static final class Offsets {
        static final int PRECISE_DEVICE;
        static final int PRECISE_REALTIME;
        static final int EXTENDED_N_SAMPLES;
        static final int EXTENDED_TS;
        static final int BASIC_N_SAMPLES;
        static final int BASIC_TS;

        static {
            PtpIoctls.SysOffsetPrecise p = new PtpIoctls.SysOffsetPrecise();
            PRECISE_DEVICE = p.offsetOf("device");
            PRECISE_REALTIME = p.offsetOf("sys_realtime");
            PtpIoctls.SysOffsetExtended x = new PtpIoctls.SysOffsetExtended();
            EXTENDED_N_SAMPLES = x.offsetOf("n_samples");
            EXTENDED_TS = x.offsetOf("ts");
            PtpIoctls.SysOffset b = new PtpIoctls.SysOffset();
            BASIC_N_SAMPLES = b.offsetOf("n_samples");
            BASIC_TS = b.offsetOf("ts");
        }

        private Offsets() {
        }
    }

    /** Keeps the sample with the narrowest system-time bracket; its midpoint is the system time of the PHC read. */
    private static final class Best {
        long phc;
        long sys;
        long width = Long.MAX_VALUE;

        void reset() {
            width = Long.MAX_VALUE;
        }

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
