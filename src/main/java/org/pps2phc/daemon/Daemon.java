package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.Decimals;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ClockException;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.core.servo.Servo;
import org.pps2phc.core.servo.Servos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running daemon. One event-loop thread owns the {@link DisciplineController} and everything it touches; the
 * other threads only post events to it: the pulse reader (blocking in {@link org.pps2phc.core.port.PulseSource#next}),
 * the time-of-day poller (at most once a second), and the ptp4l worker, which takes snapshots from the loop and may
 * block on ptp4l without ever holding the loop up. Once a second the loop ticks the engine, writes the status file,
 * tells systemd the status, and hands the ptp4l worker the newest snapshot.
 *
 * <p>Faults: an exception or Error in the loop or a worker runs the orderly stop and ends with 70 (EX_SOFTWARE),
 * which systemd restarts; a worker that stops making progress stops the watchdog pings. A device that is absent
 * or vanishes leaves the daemon running free (class 248, outputs withdrawn) while it reopens it with a backoff.
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");
    private static final long SECOND_NS = 1_000_000_000L;
    /**
     * Workers that wait (for a snapshot, for the next query) beat at least this often, ms, and at least four times
     * within their stall bound; each beat is a wakeup, so not more often than that.
     */
    private static final long BEAT_SLICE_MS = 5_000;
    /** The largest frequency the engine may dial before the device was ever seen (it sees no pulse until then). */
    private static final long UNSEEN_DEVICE_MAX_ADJ_PPB = 500_000;
    private static final String READER = "pps2phc-pulses";
    private static final String TOD_POLLER = "pps2phc-tod";
    private static final String KEEPER = "pps2phc-ptp4l";

    /**
     * How long the daemon waits for what, ns unless named otherwise; tests shorten them.
     *
     * @param readerStallNs  the pulse reader returns at each pulse and waits at most a quarter of this for one:
     *                       silent this long, it is stuck
     * @param workerStallNs  the time-of-day poller and the ptp4l worker: silent this long, stuck
     * @param keeperStopMs   the ptp4l worker's bound at stop, for its last update and the not-in-sync SET
     * @param joinMs         the bound on each other worker at stop
     * @param reopenFirstNs  the first wait before reopening a vanished device; doubles up to reopenMaxNs
     * @param reopenMaxNs    the longest wait between reopen attempts
     */
    record Timing(long readerStallNs, long workerStallNs, long keeperStopMs, long joinMs, long reopenFirstNs,
                  long reopenMaxNs) {
        static Timing defaults() {
            return new Timing(10 * SECOND_NS, 90 * SECOND_NS, 1500, 500, SECOND_NS, 30 * SECOND_NS);
        }
    }

    /** What the other threads (and signal handlers) tell the loop. */
    private sealed interface Event {
    }

    private record Edge(ExttsEvent event) implements Event {
    }

    private record TimeOfDay(TodVerdict verdict) implements Event {
    }

    private record PulseFailure(String message) implements Event {
    }

    private record DeviceLost(OpenDevice device, String reason) implements Event {
    }

    private record WorkerEnded(String name, Throwable failure) implements Event {
    }

    private record Reload() implements Event {
    }

    private record Stop(String why) implements Event {
    }

    /** Re-reads the configuration on SIGHUP. */
    @FunctionalInterface
    public interface Reloader {
        Settings load() throws ConfigException;
    }

    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
    private final Ports ports;
    /** The outputs' names, fixed for the daemon's life: for the status file, every second. */
    private final List<String> outputNames;
    private final SystemdNotifier systemd;
    private final LogControl logControl;
    private final Reloader reloader;
    private final Timing timing;
    private final StatusFile statusFile;
    private final ObservationLogger observations;
    private final MetricsEndpoint metrics;
    /** The outputs as the engine sees them (counted for the metrics when they are on). */
    private final List<SampleSink> outputs;
    /** The logger, and the metrics when they are on. */
    private final ObservationListener engineListener;
    private final Latest<Snapshot> forKeeper = new Latest<>();
    private final WorkerHealth health = new WorkerHealth();
    private final AtomicBoolean keeperClosed = new AtomicBoolean();
    private final long startNanos = System.nanoTime();
    private final long beatSliceMs;
    /**
     * The longest the pulse reader blocks for an event, so that it beats four times within its stall bound. It is
     * not what a stop waits for: the stop wakes it ({@link org.pps2phc.core.port.PulseSource#wakeUp}).
     */
    private final long readTimeoutNs;
    private volatile boolean stopping;
    private volatile double todIntervalS;
    private volatile long todMaxAgeNs;
    private final Settings settings;
    private final SettingsInForce inForce;
    private final DaemonIdentity identity;
    private SwitchedPhc phc;
    private DisciplineController controller;
    /** False while the engine was built before the device was ever seen (absent at start). */
    private boolean engineKnowsDevice;
    private Thread reader;
    private Thread todPoller;
    private Thread keeperWorker;
    private boolean statusFailureLogged;
    /** The last "STATUS=..." told to systemd. */
    private String lastSystemdStatus = "";
    /** The "STATUS=..." message's builder, reused every second. */
    private final StringBuilder statusMessage = new StringBuilder(160);
    private TodVerdict summarisedVerdict;
    private String lastTodSummary;
    private long nextSummaryNanos;
    private long nextReopenNanos = Long.MAX_VALUE;
    private long reopenBackoffNs;
    private String lastReopenFailure = "";
    private TodVerdict lastVerdict;
    private long lastVerdictNanos;
    private boolean verdictExpired;
    private boolean stuckLogged;

    /**
     * @param logControl may be null when logging is set up elsewhere (tests)
     */
    public Daemon(Settings settings, Ports ports, SystemdNotifier systemd, LogControl logControl, Reloader reloader) {
        this(settings, ports, systemd, logControl, reloader, Timing.defaults());
    }

    Daemon(Settings settings, Ports ports, SystemdNotifier systemd, LogControl logControl, Reloader reloader,
           Timing timing) {
        this.settings = settings;
        this.inForce = new SettingsInForce(settings);
        this.identity = DaemonIdentity.current(settings);
        this.ports = ports;
        this.outputNames = List.copyOf(ports.outputNames());
        this.systemd = systemd;
        this.logControl = logControl;
        this.reloader = reloader;
        this.timing = timing;
        this.beatSliceMs = Math.max(1, Math.min(BEAT_SLICE_MS, timing.workerStallNs() / 4_000_000L));
        this.readTimeoutNs = Math.max(1_000_000L, timing.readerStallNs() / 4);
        this.statusFile = new StatusFile(settings.statusDir());
        this.observations = new ObservationLogger(shortName(ports.device().name()), settings.logging());
        this.metrics = new MetricsEndpoint(settings);
        this.outputs = metrics.counting(ports.sinks(), ports.clock());
        this.engineListener = metrics.alongside(observations);
        this.todIntervalS = settings.tod().intervalS();
        this.todMaxAgeNs = settings.tod().maxAgeNs();
    }

    /** "/dev/ptp0" → "ptp0", as ts2phc names the clock in its lines. */
    static String shortName(String device) {
        int slash = device.lastIndexOf('/');
        return slash >= 0 ? device.substring(slash + 1) : device;
    }

    /** Asks the loop to stop (signal handlers call this); returns at once. */
    public void requestStop(String why) {
        queue.add(new Stop(why));
    }

    /** Asks the loop to reload the configuration (SIGHUP); returns at once. */
    public void requestReload() {
        queue.add(new Reload());
    }

    /**
     * Runs until stopped. Returns the exit code: 0 after a requested stop, 74 when the pulse source failed for a
     * reason other than the device going away, 70 after a bug (an exception or Error in the loop or a worker).
     *
     * @throws UserError when the engine cannot start on these ports (before READY=1 is sent)
     */
    public int run() {
        try {
            start();
        } catch (RuntimeException e) {
            OpenDevice open = phc == null ? null : phc.current();
            if (open != null) {
                closeQuietly(open.closer()::close, open.phc().name());
            }
            for (SampleSink sink : ports.sinks()) {
                closeQuietly(sink::close, sink.name());
            }
            ports.keeper().ifPresent(Ptp4lUpdater::close);
            throw e;
        }
        int exit;
        try {
            exit = loop();
        } catch (Throwable e) {
            exit = ExitCodes.SOFTWARE;
            step("log the bug", () -> LOG.error("bug in the event loop: {}; stopping in order and exiting with 70 "
                    + "so that systemd restarts pps2phc", e, e));
        }
        shutdown();
        return exit;
    }

    private void start() {
        OpenDevice first = openAtStart();
        phc = new SwitchedPhc(ports.device().name(),
                first == null ? UNSEEN_DEVICE_MAX_ADJ_PPB : first.phc().maxAdjPpb());
        double dialled = 0;
        if (first != null) {
            try {
                dialled = first.phc().frequencyPpb();
            } catch (ClockException e) {
                closeQuietly(first.closer()::close, first.phc().name());
                first = null;
                deviceAbsent(System.nanoTime(), "cannot read its frequency: " + e.getMessage());
            }
        }
        controller = newController(first, dialled);
        if (first != null) {
            phc.install(first);
            engineKnowsDevice = true;
        }
        prepareStatusDir();
        metrics.start();
        reader = worker(READER, timing.readerStallNs(), this::readPulses);
        todPoller = worker(TOD_POLLER, timing.workerStallNs() + 7L * settings.tod().timeoutMs() * 1_000_000L,
                this::pollTimeOfDay);
        ports.keeper().ifPresent(k -> keeperWorker = worker(KEEPER, timing.workerStallNs(),
                () -> keepGrandmaster(k)));
        LOG.info(Priorities.NOTICE, "started on {}{}: servo {}, edges {}, outputs {}", ports.description(),
                first == null ? " (absent)" : ", " + first.description(), controller.snapshot().servo(),
                first == null ? "unknown" : first.pulses().edgeMode().name().toLowerCase(),
                outputNames.isEmpty() ? "none" : String.join(", ", outputNames));
        Snapshot snap = controller.snapshot();
        writeStatus(snap);
        lastSystemdStatus = "STATUS=" + statusLine(snap);
        systemd.notify("READY=1\n" + lastSystemdStatus + "\nMAINPID=" + ProcessHandle.current().pid());
        nextSummaryNanos = System.nanoTime() + settings.logging().summaryIntervalS() * SECOND_NS;
    }

    /** The device, or null when it is absent (the loop then reopens it); a UserError for what cannot be fixed. */
    private OpenDevice openAtStart() {
        try {
            return ports.device().open();
        } catch (ClockException e) {
            deviceAbsent(System.nanoTime(), e.getMessage());
            return null;
        }
    }

    private void deviceAbsent(long nowNanos, String reason) {
        LOG.warn("{} is absent ({}): running free (clockClass 248 for ptp4l), outputs withdrawn; trying to open it "
                + "every {} s, backing off to {} s", ports.device().name(), reason, seconds(timing.reopenFirstNs()),
                seconds(timing.reopenMaxNs()));
        lastReopenFailure = reason;
        reopenBackoffNs = timing.reopenFirstNs();
        nextReopenNanos = nowNanos + reopenBackoffNs;
    }

    /**
     * The engine for this device: its frequency, its limit and the edges it stamps; before the device was ever seen
     * (absent at start) one that only free-runs, replaced when the device appears.
     */
    private DisciplineController newController(OpenDevice device, double dialled) {
        Servo servo;
        try {
            servo = Servos.create(settings.servoName(), settings.servo(), dialled, phc.maxAdjPpb());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.CONFIG, settings.source() + ": " + e.getMessage());
        }
        EdgeMode edges = device == null ? EdgeMode.SINGLE : device.pulses().edgeMode();
        Discipline engine = new Discipline(settings.discipline(), servo, edges, dialled, ports.clock().nanos(),
                lastVerdict == null ? settings.initialLeap() : lastVerdict.leap());
        DisciplineController c = new DisciplineController(engine, phc, outputs, engineListener);
        if (lastVerdict != null) {
            c.onTimeOfDay(lastVerdict);
        }
        return c;
    }

    /** A worker thread: its end (by a throwable, or by returning while the daemon runs) stops the daemon. */
    private Thread worker(String name, long stallNs, Runnable body) {
        health.watch(name, stallNs, System.nanoTime());
        Thread t = new Thread(() -> {
            Throwable failure = null;
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
            health.forget(name);
            if (!stopping) {
                queue.add(new WorkerEnded(name, failure));
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void beat(String worker) {
        health.beat(worker, System.nanoTime());
    }

    private int loop() {
        Optional<Duration> watchdog = systemd.watchdogInterval();
        long now = System.nanoTime();
        long nextSecond = now + SECOND_NS;
        long nextWatchdog = watchdog.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
        if (watchdog.isPresent()) {
            systemd.notify("WATCHDOG=1");
        }
        while (true) {
            long wait = Math.max(0, Math.min(Math.min(nextSecond, nextWatchdog), nextReopenNanos) - System.nanoTime());
            Event event;
            try {
                event = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                event = new Stop("interrupted");
            }
            if (event instanceof Stop s) {
                LOG.info(Priorities.NOTICE, "stopping: {}", s.why());
                return ExitCodes.OK;
            } else if (event instanceof PulseFailure f) {
                LOG.error("the pulse source failed: {}; exiting so that systemd restarts pps2phc", f.message());
                return ExitCodes.IOERR;
            } else if (event instanceof WorkerEnded w) {
                if (w.failure() == null) {
                    LOG.error("bug: the {} thread ended; stopping in order and exiting with 70 so that systemd "
                            + "restarts pps2phc", w.name());
                } else {
                    LOG.error("bug in the {} thread: {}; stopping in order and exiting with 70 so that systemd "
                            + "restarts pps2phc", w.name(), w.failure(), w.failure());
                }
                return ExitCodes.SOFTWARE;
            } else if (event instanceof DeviceLost d) {
                deviceLost(d);
            } else if (event instanceof Edge e) {
                controller.onEdge(e.event());
            } else if (event instanceof TimeOfDay t) {
                lastVerdict = t.verdict();
                lastVerdictNanos = System.nanoTime();
                verdictExpired = false;
                controller.onTimeOfDay(t.verdict());
            } else if (event instanceof Reload) {
                reload();
            }
            now = System.nanoTime();
            if (now >= nextReopenNanos) {
                reopen(now);
            }
            if (now >= nextWatchdog) {
                petWatchdog(now);
                nextWatchdog = now + watchdog.orElseThrow().toNanos();
            }
            if (now >= nextSecond) {
                everySecond(now);
                nextSecond = Math.max(nextSecond + SECOND_NS, now + SECOND_NS / 2);
            }
        }
    }

    /** WATCHDOG=1 only while every worker makes progress: a stuck one gets pps2phc restarted by systemd. */
    private void petWatchdog(long now) {
        if (health.stuck(now).isEmpty()) {
            systemd.notify("WATCHDOG=1");
        }
    }

    private void checkWorkers(long now) {
        List<String> stuck = health.stuck(now);
        if (!stuck.isEmpty() && !stuckLogged) {
            LOG.error("stuck: {}; no longer petting systemd's watchdog, which restarts pps2phc when it runs out",
                    String.join(", ", stuck));
        } else if (stuck.isEmpty() && stuckLogged) {
            LOG.info(Priorities.NOTICE, "every worker makes progress again");
        }
        stuckLogged = !stuck.isEmpty();
    }

    private void deviceLost(DeviceLost lost) {
        long now = System.nanoTime();
        controller.onDeviceLost(ports.clock().nanos(), lost.reason());
        closeQuietly(lost.device().closer()::close, lost.device().phc().name());
        LOG.warn("{} is gone ({}): running free (clockClass 248 for ptp4l), outputs withdrawn; reopening it every {} "
                + "s, backing off to {} s", lost.device().phc().name(), lost.reason(),
                seconds(timing.reopenFirstNs()), seconds(timing.reopenMaxNs()));
        lastReopenFailure = lost.reason();
        reopenBackoffNs = timing.reopenFirstNs();
        nextReopenNanos = now + reopenBackoffNs;
        if (keeperWorker != null) {
            forKeeper.put(controller.snapshot());
        }
    }

    /** "1", "30", "0.05": seconds for a log line. */
    private static String seconds(long ns) {
        return java.math.BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString();
    }

    private void reopen(long now) {
        OpenDevice device;
        double dialled;
        try {
            device = ports.device().open();
        } catch (ClockException | UserError e) {
            stillAbsent(now, e.getMessage());
            return;
        }
        try {
            dialled = device.phc().frequencyPpb();
        } catch (ClockException e) {
            closeQuietly(device.closer()::close, device.phc().name());
            stillAbsent(now, "cannot read its frequency: " + e.getMessage());
            return;
        }
        nextReopenNanos = Long.MAX_VALUE;
        lastReopenFailure = "";
        if (engineKnowsDevice) {
            controller.onDeviceBack(ports.clock().nanos(), dialled);
            phc.install(device);
        } else {
            phc.install(device); // first, for its max_adj
            controller = newController(device, dialled);
            engineKnowsDevice = true;
        }
        LOG.info(Priorities.NOTICE, "{} is there: {}; acquiring", device.phc().name(), device.description());
    }

    private void stillAbsent(long now, String reason) {
        if (!reason.equals(lastReopenFailure)) {
            LOG.warn("{} still cannot be opened: {}", ports.device().name(), reason);
            lastReopenFailure = reason;
        }
        reopenBackoffNs = Math.min(timing.reopenMaxNs(), reopenBackoffNs * 2);
        nextReopenNanos = now + reopenBackoffNs;
    }

    private void everySecond(long now) {
        checkWorkers(now);
        expireVerdict(now);
        // The PHC is read outside pulse events only in holdover, for the holdover samples and to see a step from
        // outside that no pulse shows then: on some PHYs (CM4) every extra read risks losing an extts event.
        boolean holdover = controller.snapshot().state() == State.HOLDOVER;
        controller.onTick(ports.clock().nanos(), holdover ? crossTimestamp() : null);
        Snapshot snap = controller.snapshot();
        String tod = todSummary(snap.tod());
        writeStatus(snap, tod);
        metrics.snapshot(snap, ports.clock().nanos());
        statusMessage.setLength(0);
        appendStatusLine(statusMessage.append("STATUS="), snap, tod);
        if (!lastSystemdStatus.contentEquals(statusMessage)) {
            lastSystemdStatus = statusMessage.toString();
            systemd.notify(lastSystemdStatus);
        }
        if (keeperWorker != null) {
            forKeeper.put(snap);
        }
        int interval = observations.settings().summaryIntervalS();
        if (interval > 0 && now >= nextSummaryNanos) {
            observations.summary(snap, interval, ports.clock().nanos());
            nextSummaryNanos = now + interval * SECOND_NS;
        }
    }

    /** A verdict older than tod_max_age is untrusted: a poller that stopped answering leaves no stale "trusted". */
    private void expireVerdict(long now) {
        if (lastVerdict == null || verdictExpired || !lastVerdict.trusted() || now - lastVerdictNanos <= todMaxAgeNs) {
            return;
        }
        verdictExpired = true;
        String reason = String.format("the last answer is %.0f s old (tod_max_age %.0f s)",
                (now - lastVerdictNanos) / 1e9, todMaxAgeNs / 1e9);
        LOG.warn("time of day untrusted: {}", reason);
        controller.onTimeOfDay(TodVerdict.untrusted(reason, lastVerdict.leap(), lastVerdict.reference()));
    }

    private CrossTimestamp crossTimestamp() {
        OpenDevice device = phc.current();
        if (device == null || device.crossTime().isEmpty()) {
            return null;
        }
        try {
            return device.crossTime().get().read();
        } catch (ClockException e) {
            LOG.warn("cannot read {} against the system clock: {}", device.phc().name(), e.getMessage());
            return null;
        }
    }

    /** The state as the status line and file show it: with the seconds' dispute, the reason it is not locked. */
    static String stateText(Snapshot s) {
        return s.secondsDisputed() ? s.state().label() + " (seconds disputed by the time of day)" : s.state().label();
    }

    static String statusLine(Snapshot s) {
        return statusLine(s, s.tod().summary());
    }

    /** The verdict's summary, written out again only when the verdict differs from the one before. */
    private String todSummary(TodVerdict verdict) {
        if (!verdict.equals(summarisedVerdict)) {
            summarisedVerdict = verdict;
            lastTodSummary = verdict.summary();
        }
        return lastTodSummary;
    }

    /** The status line with the time-of-day verdict's summary already written out. */
    private static String statusLine(Snapshot s, String todSummary) {
        return appendStatusLine(new StringBuilder(128), s, todSummary).toString();
    }

    private static StringBuilder appendStatusLine(StringBuilder sb, Snapshot s, String todSummary) {
        sb.append(stateText(s)).append(", offset ");
        if (Double.isNaN(s.lastOffsetNs())) {
            sb.append('-');
        } else {
            Decimals.append(sb, s.lastOffsetNs(), 0, false, 0).append(" ns");
        }
        sb.append(", freq ");
        Decimals.append(sb, s.frequencyPpb(), 0, true, 0).append(" ppb, time of day ");
        return sb.append(todSummary);
    }

    private void reload() {
        systemd.notify("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
        try {
            Settings fresh = reloader.load();
            fresh.warnings().forEach(LOG::warn);
            Settings.Changes changes = inForce.changesTo(fresh);
            if (changes.none()) {
                LOG.info(Priorities.NOTICE, "reloaded {}: nothing changed", fresh.source());
            } else {
                if (!changes.live().isEmpty()) {
                    if (logControl != null) {
                        logControl.apply(fresh.logging());
                    }
                    observations.apply(fresh.logging());
                    todIntervalS = fresh.tod().intervalS();
                    todMaxAgeNs = fresh.tod().maxAgeNs();
                    nextSummaryNanos = Math.min(nextSummaryNanos,
                            System.nanoTime() + fresh.logging().summaryIntervalS() * SECOND_NS);
                    LOG.info(Priorities.NOTICE, "reloaded {}: applied {}", fresh.source(),
                            String.join(", ", changes.live()));
                }
                if (!changes.restart().isEmpty()) {
                    LOG.warn("reloaded {}: {} changed but takes effect only after a restart "
                            + "(systemctl restart pps2phc)", fresh.source(), String.join(", ", changes.restart()));
                }
                inForce.applied(fresh);
            }
        } catch (ConfigException e) {
            for (String problem : e.problems()) {
                LOG.error("reload refused: {}", problem);
            }
            LOG.error("reload refused: still running with the configuration read before");
        }
        systemd.notify("READY=1");
    }

    private static long monotonicMicros() {
        // System.nanoTime is CLOCK_MONOTONIC on Linux, which is what systemd compares MONOTONIC_USEC with.
        return System.nanoTime() / 1000;
    }

    /**
     * The orderly stop, each step bounded and none skipped when one before it fails: STOPPING=1, ptp4l told "not in
     * sync" first (it must not go on announcing this clock), the outputs withdrawn, extts disarmed, then the rest.
     */
    private void shutdown() {
        step("notify systemd", () -> systemd.notify("STOPPING=1\nSTATUS=stopping"));
        stopping = true;
        for (Thread t : new Thread[] {reader, todPoller, keeperWorker}) {
            if (t != null) {
                t.interrupt();
            }
        }
        step("wake the pulse reader", () -> {
            OpenDevice device = phc.current();
            if (device != null) {
                device.pulses().wakeUp(); // it may be blocked in the kernel, where an interrupt does not reach
            }
        });
        step("tell ptp4l", this::stopKeeper);
        step("withdraw the outputs", () -> {
            if (controller != null) {
                controller.shutdown();
            }
        });
        for (SampleSink sink : ports.sinks()) {
            step("close " + sink.name(), sink::close);
        }
        step("stop the pulse reader", () -> join(reader, timing.joinMs()));
        step("disarm extts", () -> {
            OpenDevice device = phc.current();
            if (device != null && phc.drop(device)) {
                device.closer().close();
            }
        });
        step("close the time of day source", () -> {
            if (ports.timeOfDay() instanceof AutoCloseable c) {
                c.close();
            }
        });
        step("stop the time-of-day poller", () -> join(todPoller, timing.joinMs()));
        step("stop the metrics endpoint", metrics::stop);
        statusFile.remove();
        LOG.info(Priorities.NOTICE, "stopped: {}outputs withdrawn, extts disarmed",
                ports.keeper().isPresent() ? "ptp4l told not in sync, " : "");
        systemd.close();
    }

    /**
     * The ptp4l worker ends by telling ptp4l "not in sync" (after at most the update it is in); when it died or
     * never ran, that is done here.
     */
    private void stopKeeper() {
        Optional<Ptp4lUpdater> keeper = ports.keeper();
        if (keeper.isEmpty()) {
            return;
        }
        join(keeperWorker, timing.keeperStopMs());
        boolean workerGone = keeperWorker == null || !keeperWorker.isAlive();
        if (workerGone && keeperClosed.compareAndSet(false, true)) {
            keeper.get().close();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(String what, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            LOG.warn("stopping: {} failed: {}", what, e.toString());
        }
    }

    private static void closeQuietly(Step closer, String what) {
        try {
            closer.run();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", what, e.getMessage());
        }
    }

    private static void join(Thread t, long ms) {
        if (t == null) {
            return;
        }
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("thread {} did not stop within {} ms; leaving it behind", t.getName(), ms);
        }
    }

    private void readPulses() {
        while (!stopping) {
            beat(READER);
            OpenDevice device;
            try {
                device = phc.await(readTimeoutNs / 1_000_000L);
            } catch (InterruptedException e) {
                return;
            }
            if (device == null) {
                continue;
            }
            try {
                Optional<ExttsEvent> e = device.pulses().next(readTimeoutNs);
                if (e.isPresent()) {
                    queue.add(new Edge(e.get()));
                }
            } catch (InterruptedException e) {
                return;
            } catch (ClockException e) {
                if (stopping) {
                    return;
                }
                if (!ports.device().gone(e)) {
                    queue.add(new PulseFailure(e.getMessage()));
                    return;
                }
                if (phc.drop(device)) {
                    queue.add(new DeviceLost(device, e.getMessage()));
                }
            }
        }
    }

    private void pollTimeOfDay() {
        while (!stopping) {
            beat(TOD_POLLER);
            queue.add(new TimeOfDay(ports.timeOfDay().query()));
            beat(TOD_POLLER);
            long sleepMs = Math.max(1000, Math.round(todIntervalS * 1000));
            try {
                for (long slept = 0; slept < sleepMs; slept += beatSliceMs) {
                    Thread.sleep(Math.min(beatSliceMs, sleepMs - slept));
                    beat(TOD_POLLER);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void keepGrandmaster(Ptp4lUpdater keeper) {
        try {
            while (!stopping) {
                beat(KEEPER);
                Snapshot snap = forKeeper.take(beatSliceMs);
                if (snap == null) {
                    continue;
                }
                try {
                    keeper.update(snap);
                    keeper.lastAnnouncement().ifPresent(metrics::ptp4l);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    LOG.warn("{}: {}", keeper.name(), e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            Thread.interrupted();
            if (keeperClosed.compareAndSet(false, true)) {
                keeper.close();
            }
        }
    }

    private void prepareStatusDir() {
        try {
            Files.createDirectories(settings.statusDir());
            statusFile.claim(identity);
        } catch (IOException e) {
            statusFailureLogged = true;
            LOG.warn("cannot create the status directory {}: {}; 'pps2phc status' will not see this daemon "
                    + "(set status_dir)", settings.statusDir(), e.getMessage());
        }
    }

    private void writeStatus(Snapshot snap) {
        writeStatus(snap, snap.tod().summary());
    }

    private void writeStatus(Snapshot snap, String todSummary) {
        long lastPulse = snap.lastPulseMonoNs();
        double age = lastPulse < 0 ? -1 : (ports.clock().nanos() - lastPulse) / 1e9;
        DaemonStatus status = new DaemonStatus(identity, phc.name(),
                stateText(snap), snap.lastOffsetNs(), snap.frequencyPpb(), snap.timeErrorBoundNs(),
                snap.tod().trusted(),
                todSummary, outputNames, age, snap.acceptedPulses(), snap.missingPulses(),
                snap.outliers(), snap.glitches(), snap.servo(), (System.nanoTime() - startNanos) / 1e9,
                System.currentTimeMillis(), ports.receiver().get());
        try {
            statusFile.write(status);
        } catch (IOException e) {
            if (!statusFailureLogged) {
                statusFailureLogged = true;
                LOG.warn("cannot write the status file {}: {}; 'pps2phc status' will not see this daemon",
                        statusFile.path(), e.getMessage());
            }
        }
    }

    /** Events posted and not yet taken by the loop (tests pace virtual-time hardware with it). */
    int pendingEvents() {
        return queue.size();
    }
}
