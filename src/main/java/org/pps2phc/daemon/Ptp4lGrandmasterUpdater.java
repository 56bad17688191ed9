package org.pps2phc.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import org.pps2phc.config.Ptp4lSettings;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Snapshot;
import org.pps2phc.ptp4l.GrandmasterPolicyConfig;
import org.pps2phc.ptp4l.KeeperReport;
import org.pps2phc.ptp4l.Ptp4lClientConfig;
import org.pps2phc.ptp4l.Ptp4lException;
import org.pps2phc.ptp4l.Ptp4lGrandmaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ptp4l adapter behind the daemon's ptp4l worker: the discipline state in, GRANDMASTER_SETTINGS_NP out. */
public final class Ptp4lGrandmasterUpdater implements Ptp4lUpdater {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");
    /** A warning for the first failure, then one every this many in a row (the worker calls once a second). */
    private static final int FAILURE_LOG_EVERY = 60;

    private final Ptp4lGrandmaster grandmaster;
    private final String name;
    private final LongSupplier utcNowNs;
    private LeapState lastLeap;
    private volatile Announcement lastAnnouncement;

    private Ptp4lGrandmasterUpdater(Ptp4lGrandmaster grandmaster, String name, LeapState leap,
                                    LongSupplier utcNowNs) {
        this.grandmaster = grandmaster;
        this.name = name;
        this.lastLeap = leap;
        this.utcNowNs = utcNowNs;
    }

    /** The wall clock (CLOCK_REALTIME) as UTC ns: what a real machine's leap flags and offset are judged by. */
    public static long wallClockUtcNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Opens the ptp4l management client when {@code ptp4l_update} is on (ptp4l need not be running yet).
     *
     * @param utcNowNs UTC (POSIX ns) now, for the leap flags and the UTC offset: {@link #wallClockUtcNs} on a
     *                 machine, the simulated UTC under {@code --simulate} (whose world need not sit on this clock)
     * @throws UserError 78 for settings ptp4l's policy refuses, 69 when the reply socket cannot be bound
     */
    public static Optional<Ptp4lUpdater> open(Ptp4lSettings s, LeapState initialLeap, LongSupplier utcNowNs) {
        if (!s.enabled()) {
            return Optional.empty();
        }
        GrandmasterPolicyConfig policy;
        Ptp4lClientConfig client;
        try {
            policy = new GrandmasterPolicyConfig(s.clockClassLocked(), s.clockClassHoldover(),
                    s.clockClassFreeRunning(), s.clockAccuracyNs() < 0 ? Double.NaN : s.clockAccuracyNs(),
                    s.offsetScaledLogVariance(), s.timeSource());
            client = Ptp4lClientConfig.defaults().withUdsAddress(s.udsAddress()).withDomainNumber(s.domainNumber())
                    .withTransportSpecific(s.transportSpecific());
            if (!s.clientAddress().isEmpty()) {
                client = client.withClientAddress(s.clientAddress());
            }
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.CONFIG, "ptp4l settings: " + e.getMessage());
        }
        try {
            Ptp4lGrandmaster gm = Ptp4lGrandmaster.open(client, policy,
                    Duration.ofMillis(Math.round(s.checkPeriodS() * 1000)));
            return Optional.of(new Ptp4lGrandmasterUpdater(gm, "ptp4l " + s.udsAddress(), initialLeap,
                    utcNowNs));
        } catch (Ptp4lException e) {
            throw new UserError(ExitCodes.UNAVAILABLE, "cannot open the ptp4l management client: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void update(Snapshot snapshot) {
        lastLeap = snapshot.tod().leap();
        double bound = snapshot.timeErrorBoundNs();
        KeeperReport report = grandmaster.update(System.nanoTime(), snapshot.state(), true, lastLeap,
                utcNowNs.getAsLong(), Double.isFinite(bound) ? OptionalDouble.of(bound) : OptionalDouble.empty());
        lastAnnouncement = new Announcement(report.desired().clockClass(),
                report.consecutiveFailures() == 0 && report.lastConfirmed().equals(Optional.of(report.desired())));
        switch (report.outcome()) {
            case SENT, RESTORED -> LOG.info(Priorities.NOTICE, report.describe());
            case CONFIRMED -> LOG.debug(report.describe());
            case FAILED -> {
                if (report.consecutiveFailures() % FAILURE_LOG_EVERY == 1) {
                    LOG.warn(report.describe());
                }
            }
            default -> {
                // IDLE and WAITING: nothing new
            }
        }
    }

    @Override
    public Optional<Announcement> lastAnnouncement() {
        return Optional.ofNullable(lastAnnouncement);
    }

    @Override
    public void close() {
        try {
            KeeperReport report = grandmaster.shutdown(System.nanoTime(), lastLeap,
                    utcNowNs.getAsLong());
            LOG.info(Priorities.NOTICE, "on stopping: {}", report.describe());
        } finally {
            grandmaster.close();
        }
    }
}
