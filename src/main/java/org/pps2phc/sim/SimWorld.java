package org.pps2phc.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ClockException;

/**
 * The closed-loop model of docs/simulator.md in virtual time: true time, the PHC oscillator, the GNSS pulse train
 * and its edges as the NIC stamps them, event delivery, the system clock, and the injected faults. The ports
 * ({@link SimPhcClock}, {@link SimPulseSource}, {@link SimTimeOfDay}) are thin views of it.
 *
 * <p>Virtual time is {@code nowNs}, ns since {@code sim.start} (true TAI = start + nowNs). It only moves forward: in
 * fast mode when the pulse source waits, in paced mode also with the wall clock ({@link #catchUp()}). Every method
 * is synchronized so the daemon's threads may share one world.
 *
 * <p>Each noise process draws from its own stream split from the seed, so a run is reproducible and the pulse train
 * and oscillator noise do not depend on what the servo does.
 */
public final class SimWorld {
    static final long S = 1_000_000_000L;
    /** The kernel's frequency unit: 1/65536 ppm. */
    static final double FREQUENCY_UNIT_PPB = 1000.0 / 65536.0;
    public static final String DEVICE = "sim";

    enum Kind { LEADING, TRAILING, GLITCH }

    /** An edge at true time start + atNs + fracNs (0 <= fracNs < 1), not yet stamped. */
    private record Edge(long atNs, double fracNs, Kind kind, long pulse) {
    }

    enum FaultKind { SYS_STEP, PHC_STEP, PHC_FREQUENCY }

    /** A sys.steps, phc.external_steps or phc.external_freq event, due {@code atNs} after the start. */
    private record TimedFault(long atNs, FaultKind kind, double value) {
    }

    /** A stamped edge waiting for its delivery to user space. */
    private record Stamped(long stampNs, long deliveryNs, Edge edge) {
    }

    private final SimParameters p;
    private final long startTaiNs;
    private final LeapState leap;
    private final SplittableRandom oscRng;
    private final SplittableRandom ppsRng;
    private final SplittableRandom glitchRng;
    private final SplittableRandom deliveryRng;
    private final SplittableRandom sysRng;
    private final SplittableRandom stepRng;

    private long nowNs;
    private double thetaNs;
    private double rwPpb;
    /** White FM of the current second, as a rate (ns per s). */
    private double wfmPpb;
    private double dialledPpb;
    private long nextBoundaryNs;
    private final PriorityQueue<Edge> edges = new PriorityQueue<>(
            Comparator.comparingLong(Edge::atNs).thenComparingDouble(Edge::fracNs));
    private final ArrayDeque<Stamped> deliveries = new ArrayDeque<>();
    private long lastDeliveryNs;

    private final double[] te;
    private int teCount;
    private final BitSet emittedPulses = new BitSet();
    private final List<Long> stepTimesNs = new ArrayList<>();
    private long stamped;

    /** The sum of the sys.steps so far, ns. */
    private long sysStepNs;
    /** Inside a nic.removed window: every device operation fails as ENODEV would. */
    private boolean removed;

    private WallPacer pacer;
    /** The timed faults in the order they happen, and the index of the next. */
    private final List<TimedFault> timedFaults;
    private int nextFault;

    /**
     * @param recordSeconds how many seconds of ground truth (TE) to keep: the run's duration, or 0 for none
     */
    public SimWorld(SimParameters params, long seed, int recordSeconds) {
        this.p = params;
        this.startTaiNs = Math.multiplyExact(params.startS(), S);
        this.leap = params.leap();
        SplittableRandom master = new SplittableRandom(seed);
        this.oscRng = master.split();
        this.ppsRng = master.split();
        this.glitchRng = master.split();
        this.deliveryRng = master.split();
        this.sysRng = master.split();
        this.stepRng = master.split();
        this.te = new double[recordSeconds];
        this.thetaNs = params.phcInitialOffsetS() * 1e9;
        this.timedFaults = timedFaults(params.faults());
        applyTimedFaults();
        schedulePulse(0);
        boundary(0);
        nextBoundaryNs = S;
    }

    public SimParameters parameters() {
        return p;
    }

    public LeapState leap() {
        return leap;
    }

    /**
     * Ties virtual time to the wall clock from now on: virtual time runs at {@code speed} times real time and
     * {@link SimPulseSource#next} sleeps until an event is due. For {@code pps2phc run --simulate}.
     */
    public synchronized void pace(double speed) {
        pace(speed, System.nanoTime());
    }

    /**
     * As {@link #pace(double)}, but the present virtual time belongs to the {@code System.nanoTime()} reading
     * {@code wallAnchorNs} (which may be past), so that the time spent since then is not lost.
     */
    public synchronized void pace(double speed, long wallAnchorNs) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive");
        }
        pacer = new WallPacer(nowNs, wallAnchorNs, speed);
    }

    synchronized WallPacer pacer() {
        return pacer;
    }

    /** In paced mode, brings virtual time up to the wall clock; in fast mode does nothing. */
    synchronized void catchUp() {
        if (pacer != null) {
            advanceTo(pacer.simNow());
        }
    }

    /** Virtual time, ns since sim.start (also the simulated CLOCK_MONOTONIC). */
    public synchronized long nowNs() {
        catchUp();
        return nowNs;
    }

    /** The PHC's phase error theta (PHC minus true TAI) right now, ns. */
    public synchronized double thetaNs() {
        catchUp();
        return thetaNs;
    }

    /** Lets virtual time run to {@code targetNs} (ns since start), stamping every edge on the way. */
    public synchronized void advanceTo(long targetNs) {
        while (nowNs < targetNs || (!edges.isEmpty() && edges.peek().atNs() == nowNs)) {
            long stop = Math.min(targetNs, nextBoundaryNs);
            if (!edges.isEmpty()) {
                stop = Math.min(stop, edges.peek().atNs());
            }
            if (nextFault < timedFaults.size()) {
                stop = Math.min(stop, timedFaults.get(nextFault).atNs());
            }
            stop = Math.max(stop, nowNs);
            integrate(nowNs, stop);
            nowNs = stop;
            applyTimedFaults();
            if (nowNs == nextBoundaryNs) {
                boundary(nowNs / S);
                nextBoundaryNs += S;
            }
            while (!edges.isEmpty() && edges.peek().atNs() == nowNs) {
                stamp(edges.poll());
            }
        }
    }

    /** theta over [a, b], both within one true second. */
    private void integrate(long a, long b) {
        if (b == a) {
            return;
        }
        double dt = (b - a) / 1e9;
        thetaNs += rateNs() * dt;
        if (p.oscTempAmpPpb() != 0) {
            double w = 2 * Math.PI / p.oscTempPeriodS();
            thetaNs += p.oscTempAmpPpb() / w * (Math.cos(w * (a / 1e9)) - Math.cos(w * (b / 1e9)));
        }
    }

    /** d theta / dt without the temperature term, ns per s. */
    private double rateNs() {
        return p.oscFreqPpb() + rwPpb + wfmPpb + dialledPpb;
    }

    /**
     * At the true second k: remove or return the device, record TE_k, move the noise processes, schedule what the
     * coming second brings.
     */
    private void boundary(long k) {
        applyRemovals(k);
        if (k < te.length) {
            te[(int) k] = thetaNs;
            teCount = (int) k + 1;
        }
        if (k > 0) {
            rwPpb += oscRng.nextGaussian() * p.oscRwPpbPerSqrtS();
        }
        wfmPpb = oscRng.nextGaussian() * p.oscWfmAdev() * 1e9;
        schedulePulse(k + 1);
        if (glitchRng.nextDouble() < p.ppsGlitchProb()) {
            addEdge(k * S + glitchRng.nextDouble() * S, Kind.GLITCH, k);
        }
    }

    private static List<TimedFault> timedFaults(Faults f) {
        List<TimedFault> out = new ArrayList<>();
        f.sysSteps().forEach(a -> out.add(new TimedFault(a.atNs(), FaultKind.SYS_STEP, a.value())));
        f.phcExternalSteps().forEach(a -> out.add(new TimedFault(a.atNs(), FaultKind.PHC_STEP, a.value())));
        f.phcExternalFreq().forEach(a -> out.add(new TimedFault(a.atNs(), FaultKind.PHC_FREQUENCY, a.value())));
        out.sort(Comparator.comparingLong(TimedFault::atNs));
        return out;
    }

    /** Applies every timed fault due by now: it happens at its instant, whatever the daemon is doing. */
    private void applyTimedFaults() {
        while (nextFault < timedFaults.size() && timedFaults.get(nextFault).atNs() <= nowNs) {
            TimedFault f = timedFaults.get(nextFault++);
            switch (f.kind()) {
                case SYS_STEP -> sysStepNs += Math.round(f.value() * 1e6);
                case PHC_STEP -> thetaNs += f.value();
                case PHC_FREQUENCY -> dialledPpb = quantised(f.value());
                default -> throw new IllegalStateException(f.kind().name());
            }
        }
    }

    /** The device removals and returns at the whole second k. */
    private void applyRemovals(long k) {
        boolean gone = removedAt(k);
        if (gone && !removed) {
            deliveries.clear();
            // a removed and re-probed device comes back with its frequency adjustment cleared
            dialledPpb = 0;
        }
        removed = gone;
    }

    private boolean removedAt(long k) {
        for (Window w : p.faults().nicRemoved()) {
            if (w.containsSecond(k)) {
                return true;
            }
        }
        return false;
    }

    /** Pulse k: its leading edge at t_k + e_k (and its trailing edge a width later), unless missed or in an outage. */
    private void schedulePulse(long k) {
        double white = ppsRng.nextGaussian() * p.ppsJitterNs();
        boolean missed = ppsRng.nextDouble() < p.ppsMissProb();
        if (missed || inOutage(k)) {
            return;
        }
        double at = k * (double) S + white + sawtoothNs(k, p.ppsSawtoothNs());
        if (at < 0) {
            return;
        }
        if (k < p.durationS()) {
            emittedPulses.set((int) k);
        }
        addEdge(at, Kind.LEADING, k);
        if (p.nicBothEdges()) {
            addEdge(at + p.ppsWidthNs(), Kind.TRAILING, k);
        }
    }

    private void addEdge(double atNs, Kind kind, long pulse) {
        long whole = (long) Math.floor(atNs);
        double frac = atNs - whole;
        if (whole < nowNs) {
            whole = nowNs;
            frac = 0;
        }
        edges.add(new Edge(whole, frac, kind, pulse));
    }

    private boolean inOutage(long k) {
        for (Window w : p.ppsOutages()) {
            if (w.containsSecond(k)) {
                return true;
            }
        }
        return false;
    }

    /** The receiver's quantisation sawtooth of pulse k, as docs/simulator.md gives it. */
    static double sawtoothNs(long k, double peakToPeakNs) {
        if (peakToPeakNs == 0) {
            return 0;
        }
        double x = 0.0137 * k + 0.001 * Math.sin(2 * Math.PI * k / 5000.0) + 0.3;
        return peakToPeakNs * (x - Math.floor(x) - 0.5);
    }

    /** The NIC latches x(edge) truncated to the tick; the event reaches user space U(min, max) ms later, in order. */
    private void stamp(Edge e) {
        if (removed) {
            return;
        }
        double d = thetaNs + e.fracNs() * (1 + rateNs() * 1e-9);
        long whole = (long) Math.floor(d);
        long raw = startTaiNs + e.atNs() + whole;
        long stampNs = raw - Math.floorMod(raw, p.phcTickNs());
        double delayMs = p.nicDeliveryMinMs()
                + deliveryRng.nextDouble() * (p.nicDeliveryMaxMs() - p.nicDeliveryMinMs());
        long delivery = Math.max(e.atNs() + Math.round(delayMs * 1e6), lastDeliveryNs);
        lastDeliveryNs = delivery;
        deliveries.add(new Stamped(stampNs, delivery, e));
        stamped++;
    }

    /** The next event whose delivery time has come, with its cross-timestamp taken now; null if none. */
    synchronized ExttsEvent takeDelivered() throws ClockException {
        requirePresent("read");
        Stamped head = deliveries.peek();
        if (head == null || head.deliveryNs() > nowNs) {
            return null;
        }
        deliveries.poll();
        return new ExttsEvent(head.stampNs(), 0, crossTimestampNow(), nowNs);
    }

    /** When something may next become deliverable: the head's delivery time, or else the next edge. */
    synchronized long nextDueNs() {
        Stamped head = deliveries.peek();
        if (head != null) {
            return head.deliveryNs();
        }
        return edges.isEmpty() ? nextBoundaryNs : Math.max(nowNs, edges.peek().atNs());
    }

    /** A PHC/system cross-timestamp taken now. */
    public synchronized CrossTimestamp crossTimestamp() {
        catchUp();
        return crossTimestampNow();
    }

    private CrossTimestamp crossTimestampNow() {
        long raw = startTaiNs + nowNs + (long) Math.floor(thetaNs);
        long phc = raw - Math.floorMod(raw, p.phcTickNs());
        double pairing = (sysRng.nextDouble() - 0.5) * p.xtsWidthNs();
        return new CrossTimestamp(phc, systemClockNs() + Math.round(pairing), Math.round(p.xtsWidthNs()), "sim");
    }

    /**
     * True UTC (POSIX ns) now: during an inserted leap second it repeats 23:59:59, as the kernel's CLOCK_REALTIME
     * does. What the daemon reads where a machine would read its wall clock (the ptp4l settings' UTC time).
     */
    public synchronized long utcNowNs() {
        catchUp();
        return leap.taiToUtc(startTaiNs + nowNs);
    }

    /**
     * A reading of the simulated CLOCK_REALTIME now: UTC with {@code sys.offset_ms}, the white noise of each reading
     * and the {@code sys.steps} so far. What the receiver path dates the bytes it reads by.
     */
    public synchronized long systemTimeNs() {
        catchUp();
        return systemClockNs();
    }

    /** CLOCK_REALTIME now: UTC plus the constant offset and white noise of each reading. */
    private long systemClockNs() {
        double error = p.sysOffsetMs() * 1e6 + sysRng.nextGaussian() * p.sysJitterMs() * 1e6;
        return leap.taiToUtc(startTaiNs + nowNs) + sysStepNs + Math.round(error);
    }

    /**
     * What chrony would say now: not synchronised inside a {@code sys.untrusted} window, else its bound; the
     * TAI-UTC it reports is off inside a {@code tai.glitch} window.
     */
    synchronized TodVerdict timeOfDay() {
        catchUp();
        LeapState reported = reportedLeap();
        for (Window w : p.sysUntrusted()) {
            if (w.containsNs(nowNs)) {
                return TodVerdict.untrusted("chrony reports not synchronised", reported, DEVICE);
            }
        }
        return TodVerdict.trusted(p.sysBoundMs() * 1e6, reported, DEVICE);
    }

    private LeapState reportedLeap() {
        int delta = 0;
        for (Faults.TaiGlitch g : p.faults().taiGlitches()) {
            if (g.window().containsNs(nowNs)) {
                delta += g.deltaS();
            }
        }
        return delta == 0 ? leap
                : new LeapState(leap.taiMinusUtcS() + delta, leap.pending(), leap.leapAtUtcS(), leap.source());
    }

    /** True inside a {@code nic.removed} window. */
    public synchronized boolean deviceRemoved() {
        catchUp();
        return removed;
    }

    /** True when the receiver emitted pulse k (not missed, not in an outage); known from the second k - 1 on. */
    synchronized boolean pulseEmitted(long k) {
        return k >= 0 && k < Integer.MAX_VALUE && emittedPulses.get((int) k);
    }

    private void requirePresent(String what) throws ClockException {
        if (removed) {
            throw new ClockException(DEVICE + ": " + what + " failed: no such device (ENODEV)");
        }
    }

    synchronized double dialledPpb() throws ClockException {
        catchUp();
        requirePresent("reading the frequency");
        return dialledPpb;
    }

    private static double quantised(double ppb) {
        return Math.round(ppb / FREQUENCY_UNIT_PPB) * FREQUENCY_UNIT_PPB;
    }

    /** Dials a frequency, quantised to the kernel's unit, from now on; beyond max_adj it is refused (ERANGE). */
    synchronized void setFrequencyPpb(double ppb) throws ClockException {
        catchUp();
        requirePresent("setting the frequency");
        if (!Double.isFinite(ppb) || Math.abs(ppb) > p.phcMaxAdjPpb()) {
            throw new ClockException(DEVICE + ": frequency " + ppb + " ppb is beyond max_adj "
                    + p.phcMaxAdjPpb() + " ppb (ERANGE)");
        }
        dialledPpb = quantised(ppb);
    }

    /** Steps the PHC by deltaNs; it lands late by U(0, step_error_ns), so the clock ends up behind the request. */
    synchronized void step(long deltaNs) throws ClockException {
        catchUp();
        requirePresent("stepping the clock");
        thetaNs += deltaNs - stepRng.nextDouble() * p.phcStepErrorNs();
        stepTimesNs.add(nowNs);
    }

    /** When each of the engine's steps was applied, ns from the start. */
    synchronized List<Long> stepTimesNs() {
        return List.copyOf(stepTimesNs);
    }

    /** Edges the NIC has stamped so far (pulses, trailing edges and glitches). */
    public synchronized long stampedEdges() {
        return stamped;
    }

    /** The ground truth recorded so far. */
    public synchronized GroundTruth groundTruth() {
        return new GroundTruth(Arrays.copyOf(te, teCount), List.copyOf(stepTimesNs),
                (BitSet) emittedPulses.clone(), p.ppsOutages(), p.ppsWidthNs());
    }
}
