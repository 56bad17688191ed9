package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.core.CrossTimestamp;
import org.pps2phc.core.Discipline;
import org.pps2phc.core.DisciplineController;
import org.pps2phc.core.ExttsEvent;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ClockException;
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
 */
public final class Daemon {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long READ_TIMEOUT_NS = 500_000_000L;
    private static final long JOIN_MS = 600;

    /** What the other threads (and signal handlers) tell the loop. */
    private sealed interface Event {
    }

    private record Edge(ExttsEvent event) implements Event {
    }

    private record TimeOfDay(TodVerdict verdict) implements Event {
    }

    private record PulseFailure(String message) implements Event {
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
    private final SystemdNotifier systemd;
    private final LogControl logControl;
    private final Reloader reloader;
    private final StatusFile statusFile;
    private final ObservationLogger observations;
    private final MetricsEndpoint metrics;
    private final Latest<Snapshot> forKeeper = new Latest<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean stopping;
    private volatile double todIntervalS;
    private Settings settings;
    private Thread reader;
    private Thread todPoller;
    private Thread keeperWorker;
    private boolean statusFailureLogged;
    private String lastSystemdStatus = "";
    private long nextSummaryNanos;

    /**
     * @param logControl may be null when logging is set up elsewhere (tests)
     */
    public Daemon(Settings settings, Ports ports, SystemdNotifier systemd, LogControl logControl, Reloader reloader) {
        this.settings = settings;
        this.ports = ports;
        this.systemd = systemd;
        this.logControl = logControl;
        this.reloader = reloader;
        this.statusFile = new StatusFile(settings.statusDir());
        this.observations = new ObservationLogger(shortName(ports.phc().name()), settings.logging());
        this.metrics = new MetricsEndpoint(settings);
        this.todIntervalS = settings.tod().intervalS();
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
     * Runs until stopped. Returns the exit code: 0 after a requested stop, 74 when the pulse source failed.
     *
     * @throws UserError when the engine cannot start on these ports (before READY=1 is sent)
     */
    public int run() {
        DisciplineController controller;
        try {
            controller = start();
        } catch (RuntimeException e) {
            ports.pulses().close();
            for (SampleSink sink : ports.sinks()) {
                closeQuietly(sink::close, sink.name());
            }
            ports.keeper().ifPresent(Ptp4lUpdater::close);
            throw e;
        }
        int exit = loop(controller);
        shutdown(controller);
        return exit;
    }

    private DisciplineController start() {
        double dialled;
        try {
            dialled = ports.phc().frequencyPpb();
        } catch (ClockException e) {
            throw new UserError(ExitCodes.UNAVAILABLE, ports.phc().name() + ": cannot read the frequency: "
                    + e.getMessage());
        }
        Servo servo;
        try {
            servo = Servos.create(settings.servoName(), settings.servo(), dialled, ports.phc().maxAdjPpb());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.CONFIG, settings.source() + ": " + e.getMessage());
        }
        Discipline engine = new Discipline(settings.discipline(), servo, ports.pulses().edgeMode(), dialled,
                ports.clock().nanos(), settings.initialLeap());
        DisciplineController controller = new DisciplineController(engine, ports.phc(),
                metrics.counting(ports.sinks(), ports.clock()), metrics.alongside(observations));
        prepareStatusDir();
        metrics.start();
        reader = thread("pps2phc-pulses", this::readPulses);
        todPoller = thread("pps2phc-tod", this::pollTimeOfDay);
        ports.keeper().ifPresent(k -> keeperWorker = thread("pps2phc-ptp4l", () -> keepGrandmaster(k)));
        LOG.info(Priorities.NOTICE, "started on {}: servo {}, edges {}, outputs {}", ports.description(),
                servo.name(), ports.pulses().edgeMode().name().toLowerCase(),
                ports.outputNames().isEmpty() ? "none" : String.join(", ", ports.outputNames()));
        Snapshot first = controller.snapshot();
        writeStatus(first);
        lastSystemdStatus = statusLine(first);
        systemd.notify("READY=1\nSTATUS=" + lastSystemdStatus + "\nMAINPID=" + ProcessHandle.current().pid());
        nextSummaryNanos = System.nanoTime() + settings.logging().summaryIntervalS() * SECOND_NS;
        return controller;
    }

    private Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private int loop(DisciplineController controller) {
        Optional<Duration> watchdog = systemd.watchdogInterval();
        long now = System.nanoTime();
        long nextSecond = now + SECOND_NS;
        long nextWatchdog = watchdog.map(d -> System.nanoTime() + d.toNanos()).orElse(Long.MAX_VALUE);
        if (watchdog.isPresent()) {
            systemd.notify("WATCHDOG=1");
        }
        while (true) {
            long wait = Math.max(0, Math.min(nextSecond, nextWatchdog) - System.nanoTime());
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
            } else if (event instanceof Edge e) {
                controller.onEdge(e.event());
            } else if (event instanceof TimeOfDay t) {
                controller.onTimeOfDay(t.verdict());
            } else if (event instanceof Reload) {
                reload();
            }
            now = System.nanoTime();
            if (now >= nextWatchdog) {
                systemd.notify("WATCHDOG=1");
                nextWatchdog = now + watchdog.orElseThrow().toNanos();
            }
            if (now >= nextSecond) {
                everySecond(controller);
                nextSecond = Math.max(nextSecond + SECOND_NS, now + SECOND_NS / 2);
            }
        }
    }

    private void everySecond(DisciplineController controller) {
        // The PHC is read outside pulse events only when holdover samples are wanted: on some PHYs (CM4) every
        // extra read risks losing an extts event.
        boolean holdoverSamples = controller.snapshot().state() == State.HOLDOVER
                && settings.discipline().holdoverSamplesNs() > 0;
        controller.onTick(ports.clock().nanos(), holdoverSamples ? crossTimestamp() : null);
        Snapshot snap = controller.snapshot();
        writeStatus(snap);
        metrics.snapshot(snap, ports.clock().nanos());
        String line = statusLine(snap);
        if (!line.equals(lastSystemdStatus)) {
            systemd.notify("STATUS=" + line);
            lastSystemdStatus = line;
        }
        if (keeperWorker != null) {
            forKeeper.put(snap);
        }
        int interval = observations.settings().summaryIntervalS();
        long now = System.nanoTime();
        if (interval > 0 && now >= nextSummaryNanos) {
            observations.summary(snap, interval);
            nextSummaryNanos = now + interval * SECOND_NS;
        }
    }

    private CrossTimestamp crossTimestamp() {
        if (ports.crossTime().isEmpty()) {
            return null;
        }
        try {
            return ports.crossTime().get().read();
        } catch (ClockException e) {
            LOG.warn("cannot read {} against the system clock: {}", ports.phc().name(), e.getMessage());
            return null;
        }
    }

    /** "locked, offset -12 ns, freq +23712 ppb, time of day trusted (...)": what systemctl status shows. */
    static String statusLine(Snapshot s) {
        String offset = Double.isNaN(s.lastOffsetNs()) ? "offset -" : String.format("offset %.0f ns", s.lastOffsetNs());
        return String.format("%s, %s, freq %+.0f ppb, time of day %s", s.state().label(), offset, s.frequencyPpb(),
                s.tod().summary());
    }

    private void reload() {
        systemd.notify("RELOADING=1\nMONOTONIC_USEC=" + monotonicMicros());
        try {
            Settings fresh = reloader.load();
            fresh.warnings().forEach(LOG::warn);
            Settings.Changes changes = settings.changesTo(fresh);
            if (changes.none()) {
                LOG.info(Priorities.NOTICE, "reloaded {}: nothing changed", fresh.source());
            } else {
                if (!changes.live().isEmpty()) {
                    if (logControl != null) {
                        logControl.apply(fresh.logging());
                    }
                    observations.apply(fresh.logging());
                    todIntervalS = fresh.tod().intervalS();
                    nextSummaryNanos = Math.min(nextSummaryNanos,
                            System.nanoTime() + fresh.logging().summaryIntervalS() * SECOND_NS);
                    LOG.info(Priorities.NOTICE, "reloaded {}: applied {}", fresh.source(),
                            String.join(", ", changes.live()));
                }
                if (!changes.restart().isEmpty()) {
                    LOG.warn("reloaded {}: {} changed but take effect only after a restart "
                            + "(systemctl restart pps2phc)", fresh.source(), String.join(", ", changes.restart()));
                }
                // With keys pending a restart, keep comparing against what really runs, so that the next reload
                // names them again; otherwise the fresh file is what runs now.
                if (changes.restart().isEmpty()) {
                    settings = fresh;
                }
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

    private void shutdown(DisciplineController controller) {
        systemd.notify("STOPPING=1\nSTATUS=stopping");
        stopping = true;
        for (Thread t : new Thread[] {reader, todPoller, keeperWorker}) {
            if (t != null) {
                t.interrupt();
            }
        }
        join(reader);
        ports.pulses().close();
        controller.shutdown();
        for (SampleSink sink : ports.sinks()) {
            closeQuietly(sink::close, sink.name());
        }
        join(keeperWorker);
        if (ports.timeOfDay() instanceof AutoCloseable c) {
            closeQuietly(c::close, "time of day source");
        }
        join(todPoller);
        metrics.stop();
        statusFile.remove();
        LOG.info(Priorities.NOTICE, "stopped: extts disarmed, outputs withdrawn");
        systemd.close();
    }

    private interface Closer {
        void close() throws Exception;
    }

    private static void closeQuietly(Closer closer, String what) {
        try {
            closer.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", what, e.getMessage());
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("thread {} did not stop within {} ms; leaving it behind", t.getName(), JOIN_MS);
        }
    }

    private void readPulses() {
        while (!stopping) {
            try {
                Optional<ExttsEvent> e = ports.pulses().next(READ_TIMEOUT_NS);
                e.ifPresent(ev -> queue.add(new Edge(ev)));
            } catch (InterruptedException e) {
                return;
            } catch (ClockException e) {
                if (!stopping) {
                    queue.add(new PulseFailure(e.getMessage()));
                }
                return;
            } catch (RuntimeException e) {
                if (!stopping) {
                    LOG.error("bug in the pulse source", e);
                    queue.add(new PulseFailure(e.toString()));
                }
                return;
            }
        }
    }

    private void pollTimeOfDay() {
        while (!stopping) {
            TodVerdict verdict;
            try {
                verdict = ports.timeOfDay().query();
            } catch (RuntimeException e) {
                LOG.error("bug in the time-of-day source", e);
                verdict = TodVerdict.untrusted("time-of-day source failed: " + e, settings.initialLeap(), "none");
            }
            queue.add(new TimeOfDay(verdict));
            try {
                Thread.sleep(Math.max(1000, Math.round(todIntervalS * 1000)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void keepGrandmaster(Ptp4lUpdater keeper) {
        try {
            while (!stopping) {
                Snapshot snap = forKeeper.take();
                try {
                    keeper.update(snap);
                    keeper.lastAnnouncement().ifPresent(metrics::ptp4l);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.warn("{}: {}", keeper.name(), e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            // stopping
        } finally {
            Thread.interrupted();
            keeper.close();
        }
    }

    private void prepareStatusDir() {
        try {
            Files.createDirectories(settings.statusDir());
        } catch (IOException e) {
            statusFailureLogged = true;
            LOG.warn("cannot create the status directory {}: {}; 'pps2phc status' will not see this daemon "
                    + "(set status_dir)", settings.statusDir(), e.getMessage());
        }
    }

    private void writeStatus(Snapshot snap) {
        long lastPulse = snap.lastPulseMonoNs();
        double age = lastPulse < 0 ? -1 : (ports.clock().nanos() - lastPulse) / 1e9;
        DaemonStatus status = new DaemonStatus(ProcessHandle.current().pid(), ports.phc().name(),
                snap.state().label(), snap.lastOffsetNs(), snap.frequencyPpb(), snap.timeErrorBoundNs(),
                snap.tod().trusted(),
                snap.tod().summary(), ports.outputNames(), age, snap.acceptedPulses(), snap.missingPulses(),
                snap.outliers(), snap.glitches(), snap.servo(), (System.nanoTime() - startNanos) / 1e9,
                System.currentTimeMillis());
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
