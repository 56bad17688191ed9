package org.pps2phc.linux;

import org.pps2phc.os.NativeLibraries;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Path;

/**
 * The fake kernel (src/test/c/fake_ptp.c) built and installed as the library the PHC bindings load
 * ({@link NativeLibraries#LIBC_PROPERTY}); closing it resets its state and restores the property.
 *
 * <p>To run a whole daemon on it: in the same JVM, {@link #install()}, {@link #create}, then
 * {@code control().fake_ptp_pps(dev, 0, widthNs, 37_000_000_000L)} (and {@code fake_ptp_set_drift}) and open the
 * device path as usual. In a child process, pass {@code -Dpps2phc.libc=}{@link #library()} and describe the device
 * with the FAKE_PTP_* environment variables listed at the top of fake_ptp.c.
 */
public final class FakeKernel implements AutoCloseable {
    public static final int EDGES_ANY = 0;
    public static final int EDGES_BOTH_ONLY = 1;
    public static final int EDGES_REQUEST2_BROKEN = 2;
    /** Kernel models for {@link Control#fake_ptp_set_kernel}: 5.5+ (strict REQUEST2), 5.4, before 5.4. */
    public static final int KERNEL_STRICT = 0;
    public static final int KERNEL_5_4 = 504;
    public static final int KERNEL_PRE_5_4 = 503;

    /** The shim's control functions. */
    public interface Control extends Library {
        void fake_ptp_reset();

        int fake_ptp_create(String path, int nExtTs, int nPins, int maxAdj);

        /** The device goes away: its node is gone, its open files fail with ENODEV (poll: POLLERR|POLLHUP). */
        void fake_ptp_remove(int dev);

        void fake_ptp_set_kernel(int dev, int kernel);

        void fake_ptp_set_pin(int dev, int pin, String name, int func, int chan);

        void fake_ptp_set_edge_model(int dev, int model);

        void fake_ptp_set_cross_timestamps(int dev, int precise, int extended, int basic);

        void fake_ptp_set_bracket_widths(int dev, long[] widths, int n);

        void fake_ptp_fail(String call, NativeLong request, int errno, int times);

        void fake_ptp_inject(int dev, int chan, long sec, int nsec);

        int fake_ptp_pending(int dev);

        /** Threads in a poll of fake and real files together (a reader beside its wake-up eventfd). */
        int fake_ptp_mixed_waiters();

        int fake_ptp_extts_flags(int dev, int chan);

        NativeLong fake_ptp_arm_request(int dev, int chan);

        int fake_ptp_pin_func(int dev, int pin);

        int fake_ptp_pin_chan(int dev, int pin);

        NativeLong fake_ptp_pin_request(int dev);

        NativeLong fake_ptp_channel_mask(int dev);

        int fake_ptp_open_files(int dev);

        int fake_ptp_adjustments(int dev);

        int fake_ptp_adjustment(int dev, int i, ClockCalls.Timex out);

        long fake_ptp_time(int dev);

        NativeLong fake_ptp_freq(int dev);

        void fake_ptp_set_time(int dev, long ns, int frozen);

        void fake_ptp_pps(int dev, int chan, long widthNs, long taiOffsetNs);

        void fake_ptp_set_drift(int dev, double driftPpb);

        void fake_ptp_add_interface(String name, int phcIndex, int errno);

        void fake_ptp_set_adjtimex(int tai, int status, int state);

        /** The PHC at the CLOCK_MONOTONIC instant {@code monoNs} ({@code System.nanoTime()}), as the clock is now. */
        long fake_ptp_time_at(int dev, long monoNs);

        /** Writes to a real clock fail with EPERM (always on in a world). */
        void fake_ptp_protect(int on);

        /** A world from "key=value" words (the simulator's model keys, seed, origin); 0, or -1 for a bad word. */
        int fake_ptp_world(String spec);

        /** theta (PHC minus true time, ns) at true time {@code trueNs} of the world, as the clock is now. */
        double fake_ptp_theta(int dev, long trueNs);

        /** The world's pulse k: its edge's offset from the true second (ns), NaN when it is not emitted. */
        double fake_ptp_world_edge(long k);

        /** The world's glitch in true second k: its instant (ns into the second), NaN when that second has none. */
        double fake_ptp_world_glitch(long k);
    }

    private final Control control;
    private final Path library;
    private final String previous;

    private FakeKernel(Path library) {
        this.library = library;
        this.previous = System.getProperty(NativeLibraries.LIBC_PROPERTY);
        this.control = Native.load(library.toString(), Control.class);
        control.fake_ptp_reset();
        System.setProperty(NativeLibraries.LIBC_PROPERTY, library.toString());
    }

    /** Builds the shim if needed and makes the bindings load it. */
    public static FakeKernel install() throws Exception {
        return new FakeKernel(NativeBuild.sharedLibrary("fake_ptp.c"));
    }

    public Control control() {
        return control;
    }

    public Path library() {
        return library;
    }

    /** A fake PHC at {@code path}; returns its handle for the other control calls. */
    public int create(String path, int extTsChannels, int pins, int maxAdjPpb) {
        int dev = control.fake_ptp_create(path, extTsChannels, pins, maxAdjPpb);
        if (dev < 0) {
            throw new IllegalStateException("the fake kernel has no room for another device");
        }
        return dev;
    }

    /** The next {@code times} calls of {@code call} on a fake device fail with {@code errno} (-1: all of them). */
    public void fail(String call, int errno, int times) {
        control.fake_ptp_fail(call, new NativeLong(0), errno, times);
    }

    /** The next {@code times} ioctls {@code request} on a fake device fail with {@code errno}. */
    public void failIoctl(long request, int errno, int times) {
        control.fake_ptp_fail("ioctl", new NativeLong(request & 0xFFFFFFFFL), errno, times);
    }

    public ClockCalls.Timex adjustment(int dev, int i) {
        ClockCalls.Timex tx = new ClockCalls.Timex();
        if (control.fake_ptp_adjustment(dev, i, tx) != 0) {
            throw new IllegalArgumentException("no adjustment " + i);
        }
        return tx;
    }

    @Override
    public void close() {
        control.fake_ptp_reset();
        if (previous == null) {
            System.clearProperty(NativeLibraries.LIBC_PROPERTY);
        } else {
            System.setProperty(NativeLibraries.LIBC_PROPERTY, previous);
        }
    }
}
