package org.pps2phc.linux;

import org.pps2phc.os.Errno;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.port.PhcClock;

/**
 * An open PTP hardware clock (/dev/ptpN), read-write: capabilities, pins, the clock calls on FD_TO_CLOCKID(fd),
 * cross-timestamps, and arming an external-timestamp channel as a {@link org.pps2phc.core.port.PulseSource}.
 * The pulse source may wait for events in one thread while another adjusts the clock; arming and closing belong
 * to one owner.
 */
public final class PhcDevice implements PhcClock, AutoCloseable {
    private static final double SCALED_PPM_PER_PPB = 65.536;
    private static final long NS_PER_S = 1_000_000_000L;

    private final LinuxKernel kernel;
    private final String path;
    private final Optional<String> iface;
    private final String name;
    private final int fd;
    private final int clockId;
    private final PhcCapabilities caps;
    private final CrossTimestamper crossTimestamper;
    private final List<ExttsChannel> channels = new CopyOnWriteArrayList<>();
    /** Native memory for the clock calls, reused; each guarded by itself (an uncontended lock allocates nothing). */
    private final NativeStruct timex = new NativeStruct(NativeStruct.TimexLayout.SIZE);
    private final NativeStruct timespec = new NativeStruct(NativeStruct.TimespecLayout.SIZE);
    private volatile boolean closed;

    private PhcDevice(LinuxKernel kernel, String path, Optional<String> iface, int fd, PhcCapabilities caps) {
        this.kernel = kernel;
        this.path = path;
        this.iface = iface;
        this.name = iface.map(i -> path + " (" + i + ")").orElse(path);
        this.fd = fd;
        this.clockId = ClockCalls.fdToClockId(fd);
        this.caps = caps;
        this.crossTimestamper = new CrossTimestamper(kernel, path, fd, clockId);
    }

    /** Opens a PHC by path (/dev/ptpN) or by the name of the network interface it belongs to. */
    public static PhcDevice open(String deviceOrInterface) throws PhcException {
        return open(deviceOrInterface, LinuxKernel.load());
    }

    public static PhcDevice open(String deviceOrInterface, LinuxKernel kernel) throws PhcException {
        PhcLocator.Located where = new PhcLocator(kernel).resolve(deviceOrInterface);
        PtpCharDevice.checkOnThisMachine(where.path());
        int fd = kernel.files().open(where.path(), FileCalls.O_RDWR | FileCalls.O_CLOEXEC);
        if (fd < 0) {
            throw PhcErrors.open(where.path(), Native.getLastError());
        }
        try {
            return new PhcDevice(kernel, where.path(), where.iface(), fd, readCaps(kernel, where.path(), fd));
        } catch (PhcException e) {
            kernel.files().close(fd);
            throw e;
        }
    }

    private static PhcCapabilities readCaps(LinuxKernel kernel, String path, int fd) throws PhcException {
        PtpIoctls.ClockCaps c = new PtpIoctls.ClockCaps();
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(PtpIoctls.PTP_CLOCK_GETCAPS2), c) == 0) {
            return PhcCapabilities.of(c);
        }
        int errno2 = Native.getLastError();
        c = new PtpIoctls.ClockCaps();
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(PtpIoctls.PTP_CLOCK_GETCAPS), c) == 0) {
            return PhcCapabilities.of(c);
        }
        int errno = Native.getLastError();
        if (errno == Errno.ENOTTY || errno == Errno.EINVAL) {
            throw new PhcException(PhcException.UNAVAILABLE, errno, path + " is not a PTP hardware clock ("
                    + "PTP_CLOCK_GETCAPS: " + Errno.describe(errno) + "); give a /dev/ptpN device or an interface name");
        }
        throw PhcErrors.operation(path, "PTP_CLOCK_GETCAPS2 (" + Errno.describe(errno2) + ") and PTP_CLOCK_GETCAPS",
                errno);
    }

    /** "/dev/ptp0", or "/dev/ptp0 (eth0)" when opened by interface. */
    @Override
    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    public Optional<String> networkInterface() {
        return iface;
    }

    public PhcCapabilities capabilities() {
        return caps;
    }

    @Override
    public long maxAdjPpb() {
        return caps.maxAdjPpb();
    }

    // ---------------------------------------------------------------- pins

    /** The pins and their current functions; empty when the device has none. */
    public List<PinDescription> pins() throws PhcException {
        List<PinDescription> pins = new ArrayList<>();
        for (int i = 0; i < caps.pins(); i++) {
            PtpIoctls.PinDesc d = new PtpIoctls.PinDesc();
            d.index = i;
            pinIoctl(PtpIoctls.PTP_PIN_GETFUNC2, PtpIoctls.PTP_PIN_GETFUNC, d, "PTP_PIN_GETFUNC pin " + i);
            pins.add(new PinDescription(i, d.nameString(), d.func, d.chan));
        }
        return pins;
    }

    /** The index of the chosen pin, checked against the device's pins. */
    public int pinIndex(PinChoice choice) throws PhcException {
        if (choice.name() == null) {
            if (choice.index() < 0 || choice.index() >= caps.pins()) {
                throw new PhcException(PhcException.CONFIG, name() + " has no pin " + choice.index() + ": it has "
                        + caps.pins() + " pins" + (caps.pins() > 0 ? " (0.." + (caps.pins() - 1) + ")" : ""));
            }
            return choice.index();
        }
        List<PinDescription> pins = pins();
        for (PinDescription p : pins) {
            if (p.name().equals(choice.name())) {
                return p.index();
            }
        }
        throw new PhcException(PhcException.CONFIG, name() + " has no pin named '" + choice.name() + "'; its pins are "
                + pins.stream().map(p -> "'" + p.name() + "'").toList());
    }

    /** Assigns {@code function} on {@code channel} to a pin (PTP_PIN_SETFUNC2, falling back to v1). */
    public void setPinFunction(int pin, int function, int channel) throws PhcException {
        PtpIoctls.PinDesc d = new PtpIoctls.PinDesc();
        d.index = pin;
        d.func = function;
        d.chan = channel;
        pinIoctl(PtpIoctls.PTP_PIN_SETFUNC2, PtpIoctls.PTP_PIN_SETFUNC, d,
                "PTP_PIN_SETFUNC pin " + pin + " to function " + function + " channel " + channel);
    }

    private void pinIoctl(long v2, long v1, PtpIoctls.PinDesc d, String what) throws PhcException {
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(v2), d) == 0) {
            return;
        }
        int errno2 = Native.getLastError();
        if (!PhcErrors.unsupported(errno2)) {
            throw PhcErrors.operation(name(), what, errno2);
        }
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(v1), d) != 0) {
            throw PhcErrors.operation(name(), what, Native.getLastError());
        }
    }

    // ---------------------------------------------------------------- external timestamps

    /**
     * Arms external-timestamp channel {@code channel}: routes the pin to it (only when the device has pins), limits
     * this file to the channel (kernel 6.7+), drops stale events, and requests rising-edge-only timestamps, else
     * both edges, else the v1 request. Closing the returned source disarms the channel.
     */
    public ExttsChannel armExtts(int channel, PinChoice pin) throws PhcException {
        Objects.requireNonNull(pin, "pin (PinChoice.DEFAULT for pin 0)");
        ensureOpen();
        checkChannel(channel);
        if (caps.pins() > 0) {
            setPinFunction(pinIndex(pin), PtpIoctls.PTP_PF_EXTTS, channel);
        }
        disarm(channel);
        selectOnlyChannel(channel);
        drainEvents();
        WakeupFd wakeup = WakeupFd.open(kernel, name());
        try {
            EdgeRequest request = requestEdges(channel);
            ExttsChannel source = new ExttsChannel(this, kernel, fd, channel, request, wakeup);
            channels.add(source);
            return source;
        } catch (PhcException | RuntimeException e) {
            wakeup.close();
            throw e;
        }
    }

    /**
     * Finds which edges the driver stamps on {@code channel} by arming it as {@link #armExtts} would, then disarms
     * it again. Pins are left as they are. This disturbs anyone else using the channel.
     */
    public EdgeRequest probeEdges(int channel) throws PhcException {
        ensureOpen();
        checkChannel(channel);
        EdgeRequest request = requestEdges(channel);
        disarm(channel);
        return request;
    }

    private void checkChannel(int channel) throws PhcException {
        if (caps.externalTimestamps() == 0) {
            throw new PhcException(PhcException.UNAVAILABLE, name() + " has no external-timestamp channel "
                    + "(n_ext_ts = 0), so it cannot timestamp a PPS input; use the PHC of a NIC with a PPS/SDP input "
                    + "such as Intel i210, i225 or i226 (list them with 'pps2phc check')");
        }
        if (channel < 0 || channel >= caps.externalTimestamps()) {
            throw new PhcException(PhcException.CONFIG, name() + " has no external-timestamp channel " + channel
                    + ": it has " + caps.externalTimestamps() + " (0.." + (caps.externalTimestamps() - 1) + ")");
        }
    }

    /**
     * The fallback order follows what each kernel accepts (docs/hardware.md): a strict rising-only REQUEST2 (5.5+);
     * on EOPNOTSUPP the driver (from 6.15 the core) refuses one edge alone, so both edges, strict; on EINVAL the
     * kernel is 5.4, whose REQUEST2 knows no strict flag, so REQUEST2 without it; on ENOTTY (before 5.4: no REQUEST2)
     * or when REQUEST2 refuses everything, the v1 request. Only the strict answers are verified.
     */
    private EdgeRequest requestEdges(int channel) throws PhcException {
        List<String> tried = new ArrayList<>();
        int rising = PtpIoctls.PTP_ENABLE_FEATURE | PtpIoctls.PTP_RISING_EDGE;
        int errno = extts(PtpIoctls.PTP_EXTTS_REQUEST2, channel, rising | PtpIoctls.PTP_STRICT_FLAGS);
        if (errno == 0) {
            return EdgeRequest.RISING_STRICT;
        }
        checkPermission(errno, channel);
        tried.add("REQUEST2 rising only, strict: " + Errno.describe(errno));
        if (errno == Errno.EOPNOTSUPP) {
            errno = extts(PtpIoctls.PTP_EXTTS_REQUEST2, channel,
                    rising | PtpIoctls.PTP_FALLING_EDGE | PtpIoctls.PTP_STRICT_FLAGS);
            if (errno == 0) {
                return EdgeRequest.BOTH_STRICT;
            }
            checkPermission(errno, channel);
            tried.add("REQUEST2 both edges, strict: " + Errno.describe(errno));
        } else if (errno == Errno.EINVAL) {
            errno = extts(PtpIoctls.PTP_EXTTS_REQUEST2, channel, rising);
            if (errno == 0) {
                return EdgeRequest.RISING_UNVERIFIED;
            }
            checkPermission(errno, channel);
            tried.add("REQUEST2 rising, not strict: " + Errno.describe(errno));
        }
        errno = extts(PtpIoctls.PTP_EXTTS_REQUEST, channel, rising);
        if (errno == 0) {
            return EdgeRequest.RISING_V1;
        }
        checkPermission(errno, channel);
        tried.add("REQUEST (v1) rising: " + Errno.describe(errno));
        throw new PhcException(PhcException.UNAVAILABLE, errno, name() + ": the driver refused every edge mode on "
                + "external-timestamp channel " + channel + " (" + String.join("; ", tried) + "); check the channel "
                + "and pin with 'pps2phc check " + path + "' and the driver's messages with 'dmesg'");
    }

    private void checkPermission(int errno, int channel) throws PhcException {
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            throw PhcErrors.permission(path, "arm external-timestamp channel " + channel, errno);
        }
    }

    /** Issues an extts request; returns 0 or the errno. */
    int extts(long request, int channel, int flags) {
        PtpIoctls.ExttsRequest r = new PtpIoctls.ExttsRequest(channel, flags);
        return kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(request), r) == 0 ? 0 : Native.getLastError();
    }

    /** Disables the channel; errors only mean it was not armed (or the v2 call is missing, so v1 is tried). */
    void disarm(int channel) {
        if (extts(PtpIoctls.PTP_EXTTS_REQUEST2, channel, 0) != 0) {
            extts(PtpIoctls.PTP_EXTTS_REQUEST, channel, 0);
        }
    }

    /** Kernel 6.7+: this file receives only {@code channel}'s events. Older kernels lack the ioctls: ignored. */
    private void selectOnlyChannel(int channel) {
        if (kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(PtpIoctls.PTP_MASK_CLEAR_ALL), (Pointer) null)
                == 0) {
            kernel.ptp().ioctl(fd, PtpIoctls.Ioc.request(PtpIoctls.PTP_MASK_EN_SINGLE),
                    new IntByReference(channel));
        }
    }

    /** Reads and drops queued events, so the first event after arming is a fresh one. */
    private void drainEvents() throws PhcException {
        NativeStruct ev = new NativeStruct(PtpIoctls.SIZEOF_EXTTS_EVENT);
        NativeStruct pfd = NativeStruct.of(new FileCalls.PollFd());
        for (int i = 0; i < 4096; i++) {
            int n = ExttsChannel.PollLayout.poll(kernel.files(), pfd, fd, 0);
            if (n <= 0 || (pfd.getShort(ExttsChannel.PollLayout.REVENTS) & FileCalls.POLLIN) == 0) {
                return;
            }
            if (kernel.files().read(fd, ev.pointer(), ev.size()) <= 0) {
                return;
            }
        }
    }

    void forget(ExttsChannel channel) {
        channels.remove(channel);
    }

    // ---------------------------------------------------------------- clock

    /** The PHC's time, ns (clock_gettime on FD_TO_CLOCKID(fd)). */
    public long timeNs() throws PhcException {
        synchronized (timespec) {
            if (kernel.clocks().clock_gettime(clockId, timespec.pointer()) != 0) {
                throw PhcErrors.operation(name(), "clock_gettime", Native.getLastError());
            }
            return timespec.timespecNanos(0);
        }
    }

    /** Sets the PHC's time (clock_settime). */
    public void setTimeNs(long ns) throws PhcException {
        synchronized (timespec) {
            timespec.setTimespecNanos(0, ns);
            if (kernel.clocks().clock_settime(clockId, timespec.pointer()) != 0) {
                throw PhcErrors.operation(name(), "clock_settime", Native.getLastError());
            }
        }
    }

    /** The frequency adjustment dialled in now (clock_adjtime with modes = 0), ppb. */
    @Override
    public double frequencyPpb() throws PhcException {
        synchronized (timex) {
            timex.clear();
            int errno = adjtime();
            if (errno != 0) {
                throw adjtimeFailed(errno, "clock_adjtime (read frequency)");
            }
            return timex.getCLong(NativeStruct.TimexLayout.FREQ) / SCALED_PPM_PER_PPB;
        }
    }

    /** Sets the frequency adjustment (ADJ_FREQUENCY), clamped to ±max_adj. */
    @Override
    public void setFrequencyPpb(double ppb) throws PhcException {
        if (Double.isNaN(ppb)) {
            throw new IllegalArgumentException("frequency adjustment is NaN");
        }
        double max = caps.maxAdjPpb();
        double clamped = Math.max(-max, Math.min(max, ppb));
        synchronized (timex) {
            timex.clear().setInt(NativeStruct.TimexLayout.MODES, ClockCalls.ADJ_FREQUENCY);
            timex.setCLong(NativeStruct.TimexLayout.FREQ, Math.round(clamped * SCALED_PPM_PER_PPB));
            int errno = adjtime();
            if (errno != 0) {
                throw adjtimeFailed(errno, String.format("clock_adjtime (ADJ_FREQUENCY %.3f ppb)", clamped));
            }
        }
    }

    /** Steps the clock by {@code deltaNs} (ADJ_SETOFFSET|ADJ_NANO, nanoseconds normalised to 0..1e9-1). */
    @Override
    public void step(long deltaNs) throws PhcException {
        synchronized (timex) {
            timex.clear().setInt(NativeStruct.TimexLayout.MODES, ClockCalls.ADJ_SETOFFSET | ClockCalls.ADJ_NANO);
            timex.setCLong(NativeStruct.TimexLayout.TIME_SEC, Math.floorDiv(deltaNs, NS_PER_S));
            timex.setCLong(NativeStruct.TimexLayout.TIME_SUB, Math.floorMod(deltaNs, NS_PER_S));
            int errno = adjtime();
            if (errno != 0) {
                throw adjtimeFailed(errno, "clock_adjtime (ADJ_SETOFFSET " + deltaNs + " ns)");
            }
        }
    }

    /** clock_adjtime with the struct in {@link #timex}; 0 or the errno. The message is built only on failure. */
    private int adjtime() throws PhcException {
        ensureOpen();
        return kernel.clocks().clock_adjtime(clockId, timex.pointer()) < 0 ? Native.getLastError() : 0;
    }

    private PhcException adjtimeFailed(int errno, String what) {
        if (errno == Errno.ERANGE) {
            return new PhcException(PhcException.UNAVAILABLE, errno, name() + ": " + what + " refused: "
                    + Errno.describe(errno) + "; the driver's limit is " + caps.maxAdjPpb() + " ppb");
        }
        return PhcErrors.operation(name(), what, errno);
    }

    // ---------------------------------------------------------------- cross-timestamps

    /** The PHC and CLOCK_REALTIME at one instant, by the best method the driver supports. */
    public CrossTimestamp crossTimestamp() throws PhcException {
        ensureOpen();
        synchronized (crossTimestamper) {
            return crossTimestamper.take();
        }
    }

    /** The cross-timestamp methods the driver refused so far, with the errno ("precise: EOPNOTSUPP ..."). */
    public List<String> refusedCrossTimestampMethods() {
        synchronized (crossTimestamper) {
            return crossTimestamper.refused();
        }
    }

    private void ensureOpen() throws PhcException {
        if (closed) {
            throw new PhcException(PhcException.UNAVAILABLE, name() + " is closed");
        }
    }

    /** Disarms any armed channel and closes the device. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        for (ExttsChannel c : List.copyOf(channels)) {
            c.close();
        }
        closed = true;
        kernel.files().close(fd);
    }

    boolean isClosed() {
        return closed;
    }
}
