package org.pps2phc.daemon;

import org.pps2phc.config.LoggingSettings;
import org.pps2phc.core.Action;
import org.pps2phc.core.Decimals;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.port.ObservationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Turns the engine's observations into log lines: a ts2phc-style line per pulse (at the configured level, every Nth
 * pulse), state changes, time-of-day changes, disagreements and refused actions, and a periodic summary. A state
 * change to a state that announces less (locked, holdover, acquiring, free-running, in that order: the lock, the
 * pulses or the holdover budget lost) is a warning, so that {@code journalctl -p warning} shows every GNSS outage;
 * one that gains something is a notice. A holdover gets a
 * warning with each summary (how long so far, the time-error bound now) and a notice at its end (how long it was,
 * the phase error the first pulse back found). Runs on the event loop thread only.
 */
public final class ObservationLogger implements ObservationListener {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");

    private final String device;
    private final PulseStats window = new PulseStats();
    private volatile LoggingSettings settings;
    private long pulseCounter;
    private final UnusablePulses unusable = new UnusablePulses();
    /** The pulse line's builder, reused at every pulse (the event loop's thread only). */
    private final StringBuilder pulseLine = new StringBuilder(64);
    private String todSummary = "not yet asked";
    /** Monotonic time the current holdover began, or -1 outside holdover (until the first pulse back). */
    private long holdoverSinceNs = -1;
    /**
     * The latest monotonic time any observation carried. A pulse is stamped when its reader read it, which under
     * load can be before a state change the loop's tick made meanwhile: durations are measured on this, never less.
     */
    private long latestMonoNs = Long.MIN_VALUE;

    public ObservationLogger(String device, LoggingSettings settings) {
        this.device = device;
        this.settings = settings;
    }

    public void apply(LoggingSettings newSettings) {
        this.settings = newSettings;
    }

    public LoggingSettings settings() {
        return settings;
    }

    @Override
    public void observe(Observation observation) {
        if (observation instanceof Observation.Pulse p) {
            pulse(p);
        } else if (observation instanceof Observation.StateChange s) {
            stateChange(s);
        } else if (observation instanceof Observation.TodChange t) {
            todSummary = t.verdict().summary();
            if (t.verdict().trusted()) {
                LOG.info(Priorities.NOTICE, "time of day {}, TAI-UTC {} s", t.verdict().summary(),
                        t.verdict().leap().taiMinusUtcS());
            } else {
                LOG.warn("time of day {}: seconds are named from the PHC alone, if at all", t.verdict().summary());
            }
        } else if (observation instanceof Observation.Disagreement d) {
            LOG.warn("the PHC is at second {} but the trusted time of day says {} ({}){}", d.phcSecond(),
                    d.todSecond(), d.consecutive() == 1 ? "first" : d.consecutive() + " in a row",
                    d.reacquiring() ? ": relabelling the PHC on the time of day"
                            : d.overruleAfterS() > 0 ? ": not locked while disputed; the time of day wins if it still"
                            + " says so in " + d.overruleAfterS() + " s" : "");
        } else if (observation instanceof Observation.ActionFailed f) {
            LOG.error("{} refused to {}: {}", device, describe(f.action()), f.error());
        } else if (observation instanceof Observation.LabellingChange l) {
            String line = "seconds " + l.from() + " -> " + l.to() + ": " + l.reason();
            if (l.to().equals("anchored")) {
                LOG.info(Priorities.NOTICE, line);
            } else {
                LOG.warn(line);
            }
        } else if (observation instanceof Observation.TaiUtcDisagreement t) {
            LOG.warn("TAI-UTC {} s from {} is kept: {} claims {} s with no leap second announced (time of day {})",
                    t.heldS(), t.heldSource(), t.claimedSource(), t.claimedS(), t.reference());
        } else if (observation instanceof Observation.EdgesLearned e) {
            LOG.warn("{}: the pulse train shows {} edges a pulse ({} ns apart) although arming reported {}; "
                    + "labelling afresh", device, e.seen().name().toLowerCase(), e.widthNs(),
                    e.reported().name().toLowerCase());
        }
        // Observation.Sample goes to the sinks; logging each one would only repeat the pulse lines.
    }

    /** Says why pulses that keep arriving are not used, and what to do: a PPS that is there but ignored is a fault. */
    private String unusableWarning(PulseVerdict verdict) {
        if (verdict == PulseVerdict.UNLABELLED) {
            return device + ": pulses arrive but no trusted time of day names their second (time of day "
                    + todSummary + "); nothing is stepped until it is trusted: 'pps2phc tod' says why";
        }
        return device + ": pulses arrive but which edge leads cannot be told: set ts2phc.pulsewidth to the "
                + "receiver's pulse width in ns (a time of day that disagrees with the pulse train also does this)";
    }

    private void stateChange(Observation.StateChange s) {
        boolean outageGoesOn = s.from() == State.HOLDOVER && s.to() == State.HOLDOVER && holdoverSinceNs >= 0;
        // holdover -> holdover is either pulses back (relocking, still announced as holdover) during an outage,
        // or pulses lost again while relocking
        boolean loss = s.from() == s.to() ? !outageGoesOn : rank(s.to()) < rank(s.from());
        if (loss) {
            LOG.warn("state {} -> {}: {}", s.from().label(), s.to().label(), s.reason());
        } else {
            LOG.info(Priorities.NOTICE, "state {} -> {}: {}", s.from().label(), s.to().label(), s.reason());
        }
        latestMonoNs = Math.max(latestMonoNs, s.monoNs());
        if (s.to() == State.HOLDOVER && holdoverSinceNs < 0 && loss) {
            holdoverSinceNs = latestMonoNs;
        } else if (s.to() == State.FREE_RUNNING && holdoverSinceNs >= 0) {
            LOG.warn("holdover ended after {} s with no pulse back: the PHC free-runs",
                    seconds(latestMonoNs - holdoverSinceNs));
            holdoverSinceNs = -1;
        }
    }

    /** How much a state announces: a change to a lower one loses something (lock, pulses, the holdover). */
    private static int rank(State state) {
        return switch (state) {
            case FREE_RUNNING -> 0;
            case ACQUIRING -> 1;
            case HOLDOVER -> 2;
            case LOCKED -> 3;
        };
    }

    private static long seconds(long ns) {
        return Math.round(ns / 1e9);
    }

    private void pulse(Observation.Pulse p) {
        window.add(p);
        latestMonoNs = Math.max(latestMonoNs, p.monoNs());
        if (holdoverSinceNs >= 0 && p.verdict() == PulseVerdict.ACCEPTED && !Double.isNaN(p.offsetNs())) {
            LOG.info(Priorities.NOTICE, "holdover ended after {} s: the first pulse back found a phase error of "
                    + "{} ns", seconds(latestMonoNs - holdoverSinceNs), String.format("%+.0f", p.offsetNs()));
            holdoverSinceNs = -1;
        }
        unusable.add(p.verdict()).ifPresent(v -> LOG.warn(unusableWarning(v)));
        if (p.verdict() != PulseVerdict.ACCEPTED) {
            Level level = p.verdict() == PulseVerdict.GLITCH || p.verdict() == PulseVerdict.OUTLIER ? Level.INFO
                    : Level.DEBUG;
            LOG.atLevel(level).log("{} event at {} ns: {} ({})", device, p.phcNs(), p.verdict().label(),
                    p.state().label());
            return;
        }
        LoggingSettings s = settings;
        if (s.pulseLogLevel().equals("off") || pulseCounter++ % s.pulseLogInterval() != 0) {
            return;
        }
        pulseLine.setLength(0);
        String line = appendPulseLine(pulseLine, device, p).toString();
        switch (s.pulseLogLevel()) {
            case "notice" -> LOG.info(Priorities.NOTICE, line);
            case "debug" -> LOG.debug(line);
            default -> LOG.info(line);
        }
    }

    /** "ptp0 offset      -12 s2 freq   +23712 locked": the shape ts2phc users grep for. */
    static String pulseLine(String device, Observation.Pulse p) {
        return appendPulseLine(new StringBuilder(64), device, p).toString();
    }

    private static StringBuilder appendPulseLine(StringBuilder sb, String device, Observation.Pulse p) {
        sb.append(device).append(" offset ");
        Decimals.append(sb, p.offsetNs(), 0, false, 8).append(' ').append(p.servoState()).append(" freq ");
        return Decimals.append(sb, p.freqPpb(), 0, true, 8).append(' ').append(p.state().label());
    }

    /**
     * Logs the summary of the pulses since the last call and starts a new window; in holdover, also how long it has
     * lasted at {@code monoNs} (the engine's clock) and the time-error bound now.
     */
    public void summary(Snapshot snapshot, double seconds, long monoNs) {
        LOG.info(window.summarize(snapshot, seconds));
        latestMonoNs = Math.max(latestMonoNs, monoNs);
        if (holdoverSinceNs >= 0 && snapshot.state() == State.HOLDOVER) {
            double bound = snapshot.timeErrorBoundNs();
            LOG.warn("in holdover for {} s: time-error bound now {}", seconds(latestMonoNs - holdoverSinceNs),
                    Double.isNaN(bound) ? "unknown" : String.format("%.0f ns", bound));
        }
    }

    private static String describe(Action action) {
        if (action instanceof Action.Step s) {
            return "step the clock by " + s.deltaNs() + " ns";
        }
        return String.format("set the frequency to %+.0f ppb", ((Action.SetFrequency) action).ppb());
    }
}
