package org.pps2phc.receiver;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;

/**
 * Pairs each burst of messages with the pulse it describes, in one clock domain (the system clock): the pulse's
 * system time from its cross-timestamp, the burst's from its first byte. The pulse is the leading edge in the second
 * before the burst (before the burst less {@code ts2phc.nmea_delay}, for receivers whose messages come more than a
 * second late), so a long burst, or an extts event delivered after the messages, changes nothing. Each pairing
 * measures the system clock's offset from UTC; the verdict is trusted once {@link #REQUIRED} pairings in a row agree
 * (consecutive seconds, the same offset within the drift of a system clock and the measured scatter of its readings,
 * a steady delay after the pulse), and
 * carries that offset, so the engine names seconds right on a system clock that is wrong.
 *
 * <p>Pure and single-threaded: the caller serialises calls and supplies the time.
 */
public final class PulsePairing {
    public static final int REQUIRED = 3;
    private static final long S = 1_000_000_000L;
    /** An epoch is paired once an edge later than its window came, or this long after its start. */
    private static final long WAIT_NS = 1_500_000_000L;
    private static final long EDGE_MEMORY_NS = 6 * S;
    /** Two edges this close to a whole number of seconds apart are the same edge of the train. */
    private static final long PHASE_TOLERANCE_NS = 5_000_000;
    /**
     * How far the measured offset may move from one pairing to the next, beyond drift: as far as the system clock's
     * readings scatter it (each pairing reads the clock twice: the edge's cross-timestamp and the realtime-monotonic
     * offset), {@link #SPREAD_FACTOR} times their spread measured over the latest steps, but never less than the floor
     * and never more than the ceiling. The ceiling keeps the test far from what it guards: an edge 100 ms or more
     * from the one before (a wrong edge of a wider pulse; edges closer than that are told by the short side) and the
     * whole second of a wrong pulse.
     */
    private static final long OFFSET_TOLERANCE_FLOOR_NS = 5_000_000;
    private static final long OFFSET_TOLERANCE_CEILING_NS = 100_000_000;
    private static final double SPREAD_FACTOR = 3;
    /**
     * Steps of the offset kept to measure the readings' spread (their 90th percentile: the few largest, which may be
     * real moves, left out), and how many it takes before the floor is left: by the time three pairings agree.
     */
    private static final int STEP_WINDOW = 64;
    private static final int STEPS_TO_MEASURE = REQUIRED - 1;
    private static final double SPREAD_QUANTILE = 0.9;
    /** How far the system clock may drift per second between pairings (chrony slews at most 500 ppm by default). */
    private static final double DRIFT = 500e-6;
    private static final long DELAY_TOLERANCE_NS = 100_000_000;
    private static final long BOUND_BASE_NS = 1_000_000;
    /** Without a pairing for this long, the measured offset is too old to name seconds. */
    public static final long STALE_NS = 10 * S;
    private static final long SHORT_PULSE_LIMIT_NS = 400_000_000;
    /** A system clock synchronised within less than this tells a pairing one pulse off (a whole second). */
    private static final long SYNCHRONISED_LIMIT_NS = 400_000_000;
    /** adjtimex says the system clock is not synchronised (STA_UNSYNC), or cannot be asked. */
    public static final long UNSYNCHRONISED = Long.MAX_VALUE;
    /**
     * A burst that seems to start this little before a pulse started at it: the system clock's reading jitter (a
     * few ms on a loaded machine), not a second's lateness. Such a burst fails the delay check once; it is no
     * evidence of messages about a second late.
     */
    private static final long READING_JITTER_NS = 30_000_000;
    /**
     * Pairings in a row whose delay keeps clear of both ends of the window after which a late ambiguity ends: ten
     * minutes, which messages about a second late (their delay jittering across the pulse) never give.
     */
    private static final int CLEAR_OF_THE_EDGES = 600;
    /** Delays after the pulse kept for the window (the straddle check, and status). */
    private static final int DELAY_WINDOW = 16;
    public static final String MORE_THAN_A_SECOND_LATE = "messages appear more than a second late: set "
            + "ts2phc.nmea_delay to their least delay";
    static final String UNCHECKED = "the second rests on the messages coming less than a second after their pulse"
            + " (no synchronised system clock to check it)";

    /**
     * One pulse named by the receiver.
     *
     * @param steadyNs the edge on a clock that is never stepped (CLOCK_MONOTONIC), to carry the offset forward
     */
    public record Pairing(long edgeSysNs, long steadyNs, long utcSecond, long delayNs, long systemMinusUtcNs,
                          List<String> names) {
    }

    /** An edge: its system time, and the system clock's offset from the monotonic clock when it was seen. */
    private record Edge(long sysNs, long sysMinusSteadyNs) {
    }

    /**
     * @param nmeaDelayNs   ts2phc.nmea_delay: the least delay of the messages after their pulse
     * @param pulseWidthNs  ts2phc.pulsewidth, or -1 (then the short side of an uneven train is the pulse)
     * @param buildDate     dates before it, or more than 30 years after it, are implausible (week rollover)
     * @param reference     the verdict's reference ("GNSS ttyS0")
     */
    public record Config(long nmeaDelayNs, long pulseWidthNs, LocalDate buildDate, String reference) {
    }

    private final Config config;
    private final long earliestUtcS;
    private final long latestUtcS;
    private final Deque<Edge> edges = new ArrayDeque<>();
    private final Deque<Epoch> waiting = new ArrayDeque<>();
    private final Deque<Pairing> history = new ArrayDeque<>();
    private String problem = "no messages from the receiver yet";
    private String lastNote = "";
    private LeapState receiverLeap;
    /** The delays of the latest pairings, kept across failures: where they straddle the window's edge. */
    private final Deque<Long> recentDelays = new ArrayDeque<>();
    /** How far the offset moved (less any step of the system clock) between consecutive pairings, kept across resets. */
    private final Deque<Long> offsetSteps = new ArrayDeque<>();
    /** Bursts were seen on both sides of a pulse: which pulse they describe cannot be told, until the port reopens. */
    private boolean lateAmbiguity;
    private int clearOfTheEdges;
    /** The kernel's maxerror for the system clock at the last verdict asked with it. */
    private long lastKernelMaxErrorNs = UNSYNCHRONISED;
    private String secondCheck = UNCHECKED;
    private List<String> lastBurst = List.of();
    private String lastWhyNot = "no bursts yet";

    public PulsePairing(Config config) {
        this.config = config;
        this.earliestUtcS = config.buildDate().minusDays(1).toEpochDay() * 86_400L;
        this.latestUtcS = config.buildDate().plusYears(30).toEpochDay() * 86_400L;
    }

    /**
     * An edge of the pulse train, at this system time (the engine decides which edges lead; so does this).
     *
     * @param sysMinusSteadyNs CLOCK_REALTIME minus CLOCK_MONOTONIC now: a step of the system clock (chrony's
     *                         makestep on a fresh boot) shows in it, so the measured offset follows the step
     */
    public void edge(long sysNs, long sysMinusSteadyNs) {
        edges.addLast(new Edge(sysNs, sysMinusSteadyNs));
        while (edges.size() > 1 && sysNs - edges.peekFirst().sysNs() > EDGE_MEMORY_NS) {
            edges.removeFirst();
        }
    }

    /** A closed burst. */
    public void epoch(Epoch epoch) {
        waiting.addLast(epoch);
    }

    /**
     * The verdict at system time {@code nowSysNs}, after pairing every burst whose pulse is in: the offset measured
     * at the last pairing, carried forward over any step of the system clock since ({@code sysMinusSteadyNs} now).
     * Nothing beyond the pairing checks its second here (see the overload with the kernel's maxerror).
     */
    public TodVerdict verdict(long nowSysNs, long sysMinusSteadyNs, LeapState fallbackLeap) {
        return pairedVerdict(nowSysNs, sysMinusSteadyNs, fallbackLeap);
    }

    /**
     * The verdict, checked against the system clock when the kernel says it is synchronised within
     * {@code kernelMaxErrorNs} (adjtimex's maxerror; {@link #UNSYNCHRONISED} when STA_UNSYNC is set or unknown):
     * within less than half a second, a pairing one pulse off shows as a whole-second offset.
     */
    public TodVerdict verdict(long nowSysNs, long sysMinusSteadyNs, LeapState fallbackLeap, long kernelMaxErrorNs) {
        lastKernelMaxErrorNs = kernelMaxErrorNs;
        TodVerdict v = pairedVerdict(nowSysNs, sysMinusSteadyNs, fallbackLeap);
        boolean checkable = kernelMaxErrorNs < SYNCHRONISED_LIMIT_NS;
        secondCheck = checkable ? "checked against the system clock (synchronised within "
                + kernelMaxErrorNs / 1_000_000 + " ms)" : UNCHECKED;
        if (!v.trusted() || !checkable) {
            return v;
        }
        long wholeSeconds = Math.floorDiv(v.systemMinusUtcNs() + S / 2, S);
        if (wholeSeconds == 0) {
            return v;
        }
        String clock = "the system clock, synchronised within " + kernelMaxErrorNs / 1_000_000 + " ms, puts the "
                + "receiver's seconds " + Math.abs(wholeSeconds) + " s " + (wholeSeconds > 0 ? "low" : "high");
        return TodVerdict.untrusted(wholeSeconds > 0 ? MORE_THAN_A_SECOND_LATE + " (" + clock + ")"
                : clock + " (ts2phc.nmea_delay more than the messages' delay, or the receiver's UTC off)", v.leap(),
                v.reference());
    }

    /**
     * How far the second the verdict names is checked beyond the pairing itself: against the synchronised system
     * clock, or not at all (then it rests on the messages coming less than a second after their pulse, less
     * nmea_delay: a burst 150 ms after its pulse and one 1.15 s after it look alike).
     */
    public String secondCheck() {
        return secondCheck;
    }

    private TodVerdict pairedVerdict(long nowSysNs, long sysMinusSteadyNs, LeapState fallbackLeap) {
        resolve(nowSysNs, fallbackLeap);
        if (lateAmbiguity) {
            return TodVerdict.untrusted(MORE_THAN_A_SECOND_LATE, receiverLeap != null ? receiverLeap : fallbackLeap,
                    config.reference());
        }
        LeapState leap = receiverLeap != null ? receiverLeap : fallbackLeap;
        if (history.size() < REQUIRED) {
            String why = problem != null ? problem
                    : "waiting for " + REQUIRED + " consistent seconds from the receiver";
            return TodVerdict.untrusted(why, leap, config.reference());
        }
        Pairing last = history.peekLast();
        long stepped = sysMinusSteadyNs - (last.edgeSysNs() - last.steadyNs());
        long age = nowSysNs - stepped - last.edgeSysNs();
        if (age > STALE_NS) {
            return TodVerdict.untrusted("no time message paired with a pulse for more than "
                    + STALE_NS / S + " s" + (problem != null ? " (" + problem + ")" : ""), leap, config.reference());
        }
        long spread = 0;
        for (Pairing p : history) {
            spread = Math.max(spread, Math.abs(p.systemMinusUtcNs() - last.systemMinusUtcNs()));
        }
        double bound = spread + BOUND_BASE_NS + DRIFT * Math.max(0, age);
        return TodVerdict.trusted(bound, leap, config.reference(), last.systemMinusUtcNs() + stepped);
    }

    /** The latest pairing, or null. */
    public Pairing lastPairing() {
        return history.peekLast();
    }

    /** A remark on the stream that does not stop it naming seconds ("a burst longer than a second"), or "". */
    public String note() {
        return lastNote;
    }

    /**
     * The pairing as {@code pps2phc tod} shows it, with the stream's counts and the set-up's answers (which this
     * does not see).
     */
    public ReceiverStatus status(LeapState fallbackLeap, StreamDecoder.Counts counts, String setup) {
        LeapState leap = receiverLeap != null ? receiverLeap : fallbackLeap;
        long last = recentDelays.isEmpty() ? Long.MIN_VALUE : recentDelays.peekLast();
        long min = recentDelays.stream().mapToLong(Long::longValue).min().orElse(Long.MIN_VALUE);
        long max = recentDelays.stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
        return new ReceiverStatus(config.reference(), counts.bytes(), counts.messages(), counts.badChecksums(),
                lastBurst, last, min, max, recentDelays.size(), lastWhyNot, leap.taiMinusUtcS(), leap.source(),
                secondCheck, setup);
    }

    /** The port was reopened, or the pulses restarted: nothing measured before holds. */
    public void forget(String why) {
        history.clear();
        recentDelays.clear();
        offsetSteps.clear();
        lateAmbiguity = false;
        waiting.clear();
        problem = why;
    }

    private void resolve(long nowSysNs, LeapState fallbackLeap) {
        while (!waiting.isEmpty()) {
            Epoch e = waiting.peekFirst();
            long windowEnd = e.startSysNs() - config.nmeaDelayNs();
            boolean edgesIn = !edges.isEmpty() && edges.peekLast().sysNs() >= windowEnd;
            if (!edgesIn && nowSysNs < e.startSysNs() + WAIT_NS) {
                return;
            }
            waiting.removeFirst();
            pair(e, fallbackLeap);
        }
    }

    private void pair(Epoch e, LeapState fallbackLeap) {
        EpochReading r = EpochReading.of(e, fallbackLeap.taiMinusUtcS());
        lastNote = e.lengthNs() > S ? "bursts longer than a second (raise the baud or drop messages)" : "";
        learnLeap(r);
        lastBurst = e.messages().stream().map(ReceiverMessage::name).toList();
        lastWhyNot = r.whyNot();
        if (e.partial()) {
            return;
        }
        if (r.whyNot() != null) {
            if (!r.whyNot().equals(EpochReading.NO_TIME) || history.isEmpty()) {
                fail(r.whyNot());
            }
            return;
        }
        if (r.utcSecond() < earliestUtcS || r.utcSecond() > latestUtcS) {
            fail("the receiver's date " + LocalDate.ofEpochDay(Math.floorDiv(r.utcSecond(), 86_400L))
                    + " is implausibly far from this build's " + config.buildDate()
                    + " (GPS week rollover in its firmware?)");
            return;
        }
        if (receiverLeapUnknown(r)) {
            fail("the receiver does not know the leap seconds yet (its UTC may be off by seconds)");
            return;
        }
        if (r.leapSecond()) {
            return; // 23:59:60 has no POSIX second of its own: nothing to measure on it
        }
        if (!e.idleBefore()) {
            fail("the bursts follow each other with no gap (longer than a second: raise the baud or drop messages)");
            return;
        }
        long windowEnd = e.startSysNs() - config.nmeaDelayNs();
        Edge pulse = leadingEdgeBefore(windowEnd);
        if (pulse == null) {
            return;
        }
        long delay = e.startSysNs() - pulse.sysNs();
        Pairing p = new Pairing(pulse.sysNs(), pulse.sysNs() - pulse.sysMinusSteadyNs(), r.utcSecond(), delay,
                pulse.sysNs() - r.utcSecond() * S, r.names());
        if (straddles(delay)) {
            lateAmbiguity = true;
            clearOfTheEdges = 0;
            fail(MORE_THAN_A_SECOND_LATE);
            return;
        }
        if (lateAmbiguity) {
            clearOfTheEdges = nearAnEdge(delay) ? 0 : clearOfTheEdges + 1;
            lateAmbiguity = clearOfTheEdges < CLEAR_OF_THE_EDGES; // the receiver now sends well inside the window
        }
        check(p);
        history.addLast(p);
        while (history.size() > 8) {
            history.removeFirst();
        }
        if (history.size() >= REQUIRED) {
            problem = null;
        }
    }

    private void check(Pairing p) {
        Pairing last = history.peekLast();
        if (last == null) {
            return;
        }
        long steadyGap = p.steadyNs() - last.steadyNs();
        long elapsed = Math.floorDiv(steadyGap + S / 2, S);
        long stepped = (p.edgeSysNs() - p.steadyNs()) - (last.edgeSysNs() - last.steadyNs());
        if (p.utcSecond() - last.utcSecond() != elapsed) {
            fail(p.utcSecond() - last.utcSecond() <= 0 ? "the receiver's UTC went backwards or repeated a second"
                    : "the receiver's UTC skipped seconds");
            return;
        }
        long moved = Math.abs(p.systemMinusUtcNs() - (last.systemMinusUtcNs() + stepped));
        long tolerance = offsetTolerance();
        recordOffsetStep(moved);
        if (moved > tolerance + (long) (DRIFT * Math.abs(steadyGap))) {
            fail("the receiver's time moved " + moved / 1_000_000 + " ms against the pulses (the clock's readings "
                    + "allow " + tolerance / 1_000_000 + " ms): measuring afresh");
        } else if (Math.abs(p.delayNs() - medianDelay()) > DELAY_TOLERANCE_NS) {
            fail("the messages' delay after the pulse is not steady");
        }
    }

    /**
     * Whether this delay and a recent one lie at the two ends of the window (within the delay tolerance of its start
     * and of its end): a burst whose start jitters across a pulse, so some bursts are paired with the pulse after the
     * one they describe. No receiver sends before its pulse, so this happens only to messages about a second late.
     */
    private boolean straddles(long delayNs) {
        recentDelays.addLast(delayNs);
        while (recentDelays.size() > DELAY_WINDOW) {
            recentDelays.removeFirst();
        }
        long early = earlyEdge();
        long late = lateEdge();
        boolean thisEarly = delayNs < early;
        long jitterEdge = config.nmeaDelayNs() + S - READING_JITTER_NS;
        boolean thisLate = delayNs > late && delayNs < jitterEdge;
        for (long d : recentDelays) {
            if ((thisEarly && d > late && d < jitterEdge) || (thisLate && d < early)) {
                return true;
            }
        }
        return false;
    }

    private long earlyEdge() {
        return config.nmeaDelayNs() + DELAY_TOLERANCE_NS;
    }

    private long lateEdge() {
        return config.nmeaDelayNs() + S - DELAY_TOLERANCE_NS;
    }

    private boolean nearAnEdge(long delayNs) {
        return delayNs < earlyEdge() || delayNs > lateEdge();
    }

    /**
     * The offset's allowed step: {@link #SPREAD_FACTOR} times the readings' spread (the 90th percentile of the
     * steps over the window), within the floor and the ceiling. This step's own size is left out of it, so that a
     * move never excuses itself.
     */
    private long offsetTolerance() {
        if (offsetSteps.size() < STEPS_TO_MEASURE) {
            return OFFSET_TOLERANCE_FLOOR_NS;
        }
        long[] sorted = offsetSteps.stream().mapToLong(Long::longValue).sorted().toArray();
        long spread = sorted[(int) Math.ceil(SPREAD_QUANTILE * sorted.length) - 1];
        long tolerance = Math.round(SPREAD_FACTOR * spread);
        return Math.max(OFFSET_TOLERANCE_FLOOR_NS, Math.min(OFFSET_TOLERANCE_CEILING_NS, tolerance));
    }

    private void recordOffsetStep(long movedNs) {
        offsetSteps.addLast(movedNs);
        while (offsetSteps.size() > STEP_WINDOW) {
            offsetSteps.removeFirst();
        }
    }

    private long medianDelay() {
        List<Long> d = new ArrayList<>();
        history.forEach(h -> d.add(h.delayNs()));
        d.sort(null);
        return d.get(d.size() / 2);
    }

    private void fail(String why) {
        history.clear();
        problem = why;
    }

    /**
     * The leading edge in the second before {@code windowEnd}: the only edge there on a NIC that stamps one; of two
     * edges, the one the pulse width (configured, else the short side of an uneven train) says leads; near 50 % duty
     * cycle, the one within half a second of the window's end (the messages decide).
     */
    private Edge leadingEdgeBefore(long windowEnd) {
        List<Edge> in = new ArrayList<>();
        for (Edge t : edges) {
            if (t.sysNs() < windowEnd && t.sysNs() >= windowEnd - S) {
                in.add(t);
            }
        }
        if (in.isEmpty()) {
            problem = edges.isEmpty() ? "no pulses" : "no pulse in the second before the messages (is the PPS still "
                    + "reaching the PHC?)";
            history.clear();
            return null;
        }
        if (in.size() == 1) {
            Edge only = in.get(0);
            for (Edge t : edges) {
                long gap = Math.abs(t.sysNs() - only.sysNs());
                if (t != only && gap < S - PHASE_TOLERANCE_NS) {
                    problem = "an edge of the pulse is missing";
                    return null;
                }
            }
            return only;
        }
        if (in.size() > 2) {
            problem = in.size() + " edges in one second (glitches on the pulse input?)";
            return null;
        }
        Edge a = in.get(0);
        Edge b = in.get(1);
        long gap = b.sysNs() - a.sysNs();
        long w = config.pulseWidthNs();
        if (w > 0 && Math.abs(w - S / 2) > 4 * PHASE_TOLERANCE_NS) {
            if (Math.abs(gap - w) < 4 * PHASE_TOLERANCE_NS) {
                return a;
            }
            if (Math.abs(gap - (S - w)) < 4 * PHASE_TOLERANCE_NS) {
                return b;
            }
        }
        if (w <= 0 && Math.min(gap, S - gap) < SHORT_PULSE_LIMIT_NS) {
            return gap < S / 2 ? a : b;
        }
        Edge byClock = nearerTheTopOfASecond(a, b);
        if (byClock != null) {
            return byClock;
        }
        if (config.nmeaDelayNs() > 0 && windowEnd - b.sysNs() < S / 2 && windowEnd - a.sysNs() >= S / 2) {
            return b; // nmea_delay says the messages start less than half a second after it
        }
        problem = "cannot tell the pulse's leading edge (50 % duty cycle: set ts2phc.nmea_delay to the messages' "
                + "least delay after the pulse, or keep the system clock synchronised to check it)";
        return null;
    }

    /**
     * Of two edges half a second apart, the one at the top of a second by a system clock synchronised well within
     * a quarter second (the kernel's maxerror, as last asked); null when the clock cannot tell.
     */
    private Edge nearerTheTopOfASecond(Edge a, Edge b) {
        if (lastKernelMaxErrorNs >= S / 4) {
            return null;
        }
        long offA = Math.abs(Math.floorMod(a.sysNs() + S / 2, S) - S / 2);
        long offB = Math.abs(Math.floorMod(b.sysNs() + S / 2, S) - S / 2);
        long margin = lastKernelMaxErrorNs + 50_000_000;
        if (offA < margin && offB > S / 2 - margin) {
            return a;
        }
        if (offB < margin && offA > S / 2 - margin) {
            return b;
        }
        return null;
    }

    private void learnLeap(EpochReading r) {
        if (r.leap() != null && r.leap().fromGnss()) {
            int taiMinusUtc = r.leap().gpsMinusUtc() + 19;
            if (r.leap().change() != 0 && r.leap().secondsToEvent() > 0 && r.utcSecond() != Long.MIN_VALUE) {
                long at = Math.floorDiv(r.utcSecond() + r.leap().secondsToEvent() + 43_200, 86_400L) * 86_400L;
                receiverLeap = new LeapState(taiMinusUtc, r.leap().change() > 0 ? Leap.INSERT : Leap.DELETE, at,
                        "receiver " + r.leap().name());
            } else {
                receiverLeap = LeapState.fixed(taiMinusUtc, "receiver " + r.leap().name());
            }
        } else if (r.gpsMinusUtc() != Integer.MIN_VALUE && (receiverLeap == null
                || receiverLeap.source().endsWith("NAV-TIMEGPS"))) {
            receiverLeap = LeapState.fixed(r.gpsMinusUtc() + 19, "receiver NAV-TIMEGPS");
        }
    }

    private static boolean receiverLeapUnknown(EpochReading r) {
        return r.leap() != null && !r.leap().fromGnss();
    }
}
