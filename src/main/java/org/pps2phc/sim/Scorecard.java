package org.pps2phc.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pps2phc.core.State;

/**
 * Computes the {@link Metrics} of a run while it runs, one true second at a time, so that memory does not grow with
 * the ground truth: only the steady state's |TE| values are kept (4 bytes a second, for the 99th percentile; a float
 * holds |TE| to 7 significant digits).
 * Every second k must be given in order, from 0, with TE_k, the engine's state and announced bound at t_k, and
 * whether the receiver emitted pulse k.
 */
final class Scorecard {
    static final double FALSE_LOCK_NS = 1000;
    static final double RECOVERED_NS = 100;
    static final int RECOVERED_RUN_S = 60;

    private final List<Window> outages;
    /** Windows after which the steady state pauses for 600 s: the outages and the device removals. */
    private final List<Window> interruptions;
    private final long widthNs;

    private long next;
    private int lockRun;
    private Long lock;
    private float[] steady;
    private int steadyCount;
    private double sumSq;
    private double max;
    private long wrongSecond;
    private long wrongEdge;
    private long falseLock;
    private long boundViolation;
    private final List<Holdover> holdovers = new ArrayList<>();
    private final List<Recovery> recoveries = new ArrayList<>();

    /**
     * @param durationS the run's length (the most seconds the steady state can hold)
     * @param outages   the {@code pps.outages} windows
     * @param removals  the {@code nic.removed} windows
     */
    Scorecard(long durationS, List<Window> outages, List<Window> removals, long widthNs) {
        this.outages = List.copyOf(outages);
        List<Window> all = new ArrayList<>(outages);
        all.addAll(removals);
        this.interruptions = List.copyOf(all);
        this.widthNs = widthNs;
        this.steady = new float[(int) Math.min(durationS, Integer.MAX_VALUE - 8)];
        for (Window w : outages) {
            // an outage while the device is gone is no holdover: nothing disciplines the PHC then
            if (w.startS() < durationS && removals.stream().noneMatch(r -> overlap(r, w))) {
                holdovers.add(new Holdover(w));
            }
        }
        // recovery counts from the first pulse after the interruption as a whole: a device still gone when an
        // outage in it ends cannot recover yet
        for (Window w : merged(all)) {
            if (w.endS() < durationS) {
                recoveries.add(new Recovery(w));
            }
        }
    }

    private static boolean overlap(Window a, Window b) {
        return a.startS() < b.endS() && b.startS() < a.endS();
    }

    /** The windows with those that overlap or touch joined into one. */
    private static List<Window> merged(List<Window> windows) {
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort((a, b) -> Long.compare(a.startS(), b.startS()));
        List<Window> out = new ArrayList<>();
        for (Window w : sorted) {
            Window last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && w.startS() <= last.endS()) {
                long end = Math.max(last.endS(), w.endS());
                out.set(out.size() - 1, new Window(last.startS(), end - last.startS()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Second k: TE_k (ns), the engine's state ({@code null} when not known, as for a peer's recorded truth) and the
     * time-error bound it announces (NaN: no claim).
     */
    void second(long k, double teNs, State state, double boundNs, boolean pulseEmitted) {
        if (k != next) {
            throw new IllegalArgumentException("second " + k + " given where " + next + " was due");
        }
        next++;
        double abs = Math.abs(teNs);
        if (state == State.LOCKED && abs > FALSE_LOCK_NS) {
            falseLock++;
        }
        if (Double.isFinite(boundNs) && abs > boundNs) {
            boundViolation++;
        }
        if (lock == null) {
            lockRun = abs < Metrics.LOCK_NS ? lockRun + 1 : 0;
            if (lockRun == Metrics.LOCK_RUN_S) {
                lock = k - Metrics.LOCK_RUN_S + 1;
            }
        } else {
            // the seconds from lock to now were all under 100 ns: nothing wrong in them; a free-running engine
            // disciplines nothing (a device gone, a holdover spent) and says so: a PHC drifting then is no label
            boolean disciplining = state != State.FREE_RUNNING;
            if (disciplining && abs > Metrics.WRONG_SECOND_NS) {
                wrongSecond++;
            }
            if (disciplining && Math.abs(teNs + widthNs) < Metrics.WRONG_EDGE_NS) {
                wrongEdge++;
            }
            if (k >= lock + Metrics.LOCK_RUN_S && !afterInterruption(k)) {
                keepSteady(abs);
            }
        }
        for (Holdover h : holdovers) {
            h.second(k, abs, pulseEmitted);
        }
        for (Recovery r : recoveries) {
            r.second(k, abs, pulseEmitted);
        }
    }

    private boolean afterInterruption(long k) {
        for (Window w : interruptions) {
            if (k >= w.startS() && k < w.endS() + Metrics.AFTER_OUTAGE_S) {
                return true;
            }
        }
        return false;
    }

    private void keepSteady(double abs) {
        if (steadyCount == steady.length) {
            steady = Arrays.copyOf(steady, (int) Math.min(Integer.MAX_VALUE - 8, 2L * steady.length + 1));
        }
        steady[steadyCount++] = (float) abs;
        sumSq += abs * abs;
        max = Math.max(max, abs);
    }

    /** The metrics over the seconds given so far; {@code stepTimesNs} are the engine's steps, ns from the start. */
    Metrics metrics(List<Long> stepTimesNs) {
        Double rms = null;
        Double p99 = null;
        Double maxAbs = null;
        long steps = 0;
        if (lock != null) {
            if (steadyCount > 0) {
                rms = Math.sqrt(sumSq / steadyCount);
                Arrays.sort(steady, 0, steadyCount); // in place: no second copy of a long run's values
                p99 = (double) steady[(int) Math.ceil(0.99 * steadyCount) - 1];
                maxAbs = max;
            }
            long lockNs = lock * SimWorld.S;
            steps = stepTimesNs.stream().filter(t -> t > lockNs).count();
        }
        Double holdover = null;
        for (Holdover h : holdovers) {
            holdover = holdover == null ? h.maxAbs : Math.max(holdover, h.maxAbs);
        }
        Long recovery = null;
        for (Recovery r : recoveries) {
            if (r.firstPulse >= 0) {
                long s = r.recoveredS < 0 ? Metrics.NEVER : r.recoveredS;
                recovery = recovery == null ? s : worst(recovery, s);
            }
        }
        return new Metrics(lock, rms, p99, maxAbs, wrongSecond, wrongEdge, holdover, steps, falseLock, recovery,
                boundViolation);
    }

    private static long worst(long a, long b) {
        return a == Metrics.NEVER || b == Metrics.NEVER ? Metrics.NEVER : Math.max(a, b);
    }

    /** Max |TE| from an outage's start up to and including the first pulse after it. */
    private static final class Holdover {
        private final Window w;
        private boolean done;
        private double maxAbs;

        Holdover(Window w) {
            this.w = w;
        }

        void second(long k, double abs, boolean pulseEmitted) {
            if (done || k < w.startS()) {
                return;
            }
            maxAbs = Math.max(maxAbs, abs);
            done = k >= w.endS() && pulseEmitted;
        }
    }

    /** Seconds from the first pulse after an interruption to the start of 60 s with |TE| under 100 ns. */
    private static final class Recovery {
        private final Window w;
        private long firstPulse = -1;
        private long recoveredS = -1;
        private int run;

        Recovery(Window w) {
            this.w = w;
        }

        void second(long k, double abs, boolean pulseEmitted) {
            if (recoveredS >= 0 || k < w.endS()) {
                return;
            }
            if (firstPulse < 0) {
                if (!pulseEmitted) {
                    return;
                }
                firstPulse = k;
            }
            run = abs < RECOVERED_NS ? run + 1 : 0;
            if (run == RECOVERED_RUN_S) {
                recoveredS = k - RECOVERED_RUN_S + 1 - firstPulse;
            }
        }
    }
}
