package org.pps2phc.daemon;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.PhcClock;
import org.pps2phc.core.port.PulseSource;

/**
 * A PHC and its extts channel in virtual time that runs fast: each call to {@link #next} advances one second and
 * (unless silenced) returns that second's pulse, after a few real milliseconds. The PHC starts 0.3 s off with a
 * 10 ppm frequency error.
 */
final class FakeHardware implements PhcClock, PulseSource {
    static final long SECOND = 1_000_000_000L;
    static final long TAI_START = (1_800_000_000L + 37) * SECOND;

    private long mono;
    private long trueTai;
    private long phc;
    /** TAI-UTC of the fake's system clock (CLOCK_REALTIME = UTC of the true TAI). */
    private final LeapState leap;
    private double phcFraction;
    private double adjPpb;
    private final double driftPpb = 10_000;
    final AtomicInteger frequencyCalls = new AtomicInteger();
    final AtomicInteger steps = new AtomicInteger();
    volatile boolean silent;
    volatile String failure;
    volatile boolean closed;
    /** Thrown by the next setFrequencyPpb (a bug in the loop, as setFrequency(NaN) was). */
    volatile RuntimeException frequencyFault;
    /** Thrown by the next {@link #next} (an Error in the pulse reader). */
    volatile Error readError;
    /** {@link #next} blocks, ignoring interrupts, while this is set (a stuck reader). */
    volatile boolean stuck;
    /**
     * {@link #next} blocks, deaf to interrupts as a thread in poll() is, until {@link #wakeUp}: a wake-up that comes
     * first is kept, as an eventfd's counter keeps it. Then it returns empty, or throws when interrupted.
     */
    volatile boolean inKernel;
    /** Set while {@link #next} blocks for {@link #inKernel}. */
    volatile boolean blockedInKernel;
    private volatile boolean woken;
    /** Thrown by every {@link #next} once set (the device went away). */
    volatile ClockException gone;
    /** Told "disarm" when closed, for tests of the stop's order. */
    volatile java.util.function.Consumer<String> events = e -> { };
    /**
     * The loop's backlog: a pulse is produced only when the loop has taken the last one, so that virtual time never
     * runs ahead of the servo (a real PPS is one second apart; here seconds pass in milliseconds).
     */
    volatile IntSupplier backlog = () -> 0;

    FakeHardware() {
        this(SECOND);
    }

    /** Starting at {@code monoNs} on the virtual monotonic clock (a device reopened later). */
    FakeHardware(long monoNs) {
        this(monoNs, TAI_START, LeapState.fixed(37, "fake"));
    }

    /** Starting at true TAI {@code taiNs}, with a system clock that keeps UTC by {@code leap}. */
    FakeHardware(long monoNs, long taiNs, LeapState leap) {
        this.mono = monoNs;
        this.trueTai = taiNs;
        this.phc = taiNs + 300_000_000;
        this.leap = leap;
    }

    @Override
    public String name() {
        return "/dev/ptp9";
    }

    @Override
    public long maxAdjPpb() {
        return 62_499_999;
    }

    @Override
    public synchronized double frequencyPpb() {
        return adjPpb;
    }

    @Override
    public synchronized void setFrequencyPpb(double ppb) {
        RuntimeException fault = frequencyFault;
        if (fault != null) {
            throw fault;
        }
        frequencyCalls.incrementAndGet();
        adjPpb = ppb;
    }

    @Override
    public synchronized void step(long deltaNs) {
        steps.incrementAndGet();
        phc += deltaNs;
    }

    /** The fake system clock: true UTC. */
    synchronized long utcNanos() {
        return leap.taiToUtc(trueTai);
    }

    synchronized long monoNanos() {
        return mono;
    }

    synchronized CrossTimestamp crossTimestamp() {
        return new CrossTimestamp(phc, leap.taiToUtc(trueTai), 500, "fake");
    }

    @Override
    public EdgeMode edgeMode() {
        return EdgeMode.SINGLE;
    }

    @Override
    public Optional<ExttsEvent> next(long timeoutNs) throws ClockException, InterruptedException {
        Thread.sleep(5);
        while (backlog.getAsInt() > 0) {
            Thread.sleep(1);
        }
        if (failure != null) {
            throw new ClockException(failure);
        }
        if (readError != null) {
            throw readError;
        }
        if (gone != null) {
            throw gone;
        }
        while (stuck) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                // a stuck reader does not notice
            }
        }
        if (inKernel) {
            return blockInKernel();
        }
        synchronized (this) {
            long edgeTai = trueTai + SECOND - trueTai % SECOND;
            advance(edgeTai - trueTai);
            long edgePhc = phc;
            advance(2_000_000);
            if (silent) {
                return Optional.empty();
            }
            return Optional.of(new ExttsEvent(edgePhc, 0,
                    new CrossTimestamp(phc, leap.taiToUtc(trueTai), 500, "fake"), mono));
        }
    }

    private Optional<ExttsEvent> blockInKernel() throws InterruptedException {
        boolean interrupted = false;
        blockedInKernel = true;
        while (!woken) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                interrupted = true; // not seen until the wake-up, as in poll()
            }
        }
        woken = false;
        blockedInKernel = false;
        events.accept("reader woken");
        if (interrupted) {
            throw new InterruptedException("woken, interrupted");
        }
        return Optional.empty();
    }

    @Override
    public void wakeUp() {
        woken = true;
    }

    private void advance(long ns) {
        mono += ns;
        trueTai += ns;
        // long nanoseconds plus a fraction: a double alone has 256 ns steps at 1.8e18
        phcFraction += ns * (driftPpb + adjPpb) * 1e-9;
        long whole = (long) Math.floor(phcFraction);
        phcFraction -= whole;
        phc += ns + whole;
    }

    @Override
    public void close() {
        events.accept("disarm");
        closed = true;
    }
}
