package org.pps2phc.ptp4l;

import java.time.Duration;
import java.util.Optional;

/**
 * Keeps ptp4l's grandmaster settings equal to what pps2phc wants, without threads of its own: the daemon calls
 * {@link #tick} from one worker thread, as often as it likes (e.g. every second and on each state change).
 *
 * <ul>
 *   <li>New desired settings are sent at once (SET), then read back (GET) to confirm.</li>
 *   <li>Every check period the settings are read back; if ptp4l has others (it forgets them when it restarts), they
 *       are set again. The period is short (5 s by default) because a restarted ptp4l spends about
 *       announceReceiptTimeout x announce interval (3 s by default) listening before it announces, so a short period
 *       restores the settings about when its first Announce goes out, and one GET on a local socket costs nothing.</li>
 *   <li>After a failure the next attempt waits the retry interval, unless the desired settings change.</li>
 *   <li>Each request waits at most the client's reply timeout, and a tick stops at the first failure, so a missing
 *       or hung ptp4l costs a tick at most one reply timeout.</li>
 * </ul>
 * Not thread-safe: one thread owns a keeper.
 */
public final class GrandmasterKeeper {
    public static final Duration DEFAULT_CHECK_PERIOD = Duration.ofSeconds(5);
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);
    /**
     * A check or retry this close to its time counts as due. The daemon ticks once a second, and its ticks jitter
     * by milliseconds around the time a check was scheduled from: without this slack a tick a hair early is IDLE
     * and the check waits a whole tick more (a 1 s period became 2 s).
     */
    static final long MAX_EARLY_NS = 200_000_000L;

    private final Ptp4lManagement ptp4l;
    private final long checkPeriodNs;
    private final long retryIntervalNs;
    private final long earlyNs;

    /** What ptp4l is known to have now; null when unknown (never confirmed, or since a failure). */
    private GrandmasterSettings inPlace;
    private GrandmasterSettings lastConfirmed;
    private long lastConfirmedMonoNs = -1;
    private long nextCheckMonoNs;
    private GrandmasterSettings failedDesired;
    private long nextRetryMonoNs;
    private Ptp4lException lastError;
    private int consecutiveFailures;

    public GrandmasterKeeper(Ptp4lManagement ptp4l, Duration checkPeriod, Duration retryInterval) {
        if (checkPeriod.isNegative() || checkPeriod.isZero() || retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("check period and retry interval must be positive");
        }
        this.ptp4l = ptp4l;
        this.checkPeriodNs = checkPeriod.toNanos();
        this.retryIntervalNs = retryInterval.toNanos();
        this.earlyNs = Math.min(MAX_EARLY_NS, Math.min(checkPeriodNs, retryIntervalNs) / 4);
    }

    public GrandmasterKeeper(Ptp4lManagement ptp4l) {
        this(ptp4l, DEFAULT_CHECK_PERIOD, DEFAULT_RETRY_INTERVAL);
    }

    /** Sends, checks or does nothing, as due; never throws for ptp4l's faults (they are in the report). */
    public KeeperReport tick(long nowMonoNs, GrandmasterSettings desired) {
        if (failedDesired != null) {
            if (desired.equals(failedDesired) && nowMonoNs - nextRetryMonoNs < -earlyNs) {
                return report(KeeperReport.Outcome.WAITING, desired, null, null);
            }
            return apply(nowMonoNs, desired, null);
        }
        if (!desired.equals(inPlace)) {
            return apply(nowMonoNs, desired, null);
        }
        if (nowMonoNs - nextCheckMonoNs < -earlyNs) {
            return report(KeeperReport.Outcome.IDLE, desired, null, null);
        }
        try {
            GrandmasterSettings current = ptp4l.grandmasterSettings();
            if (!current.equals(desired)) {
                return apply(nowMonoNs, desired, current);
            }
            Boolean grandmaster = isGrandmaster();
            succeeded(nowMonoNs, desired);
            return report(KeeperReport.Outcome.CONFIRMED, desired, null, grandmaster);
        } catch (Ptp4lException e) {
            return failed(nowMonoNs, desired, e);
        }
    }

    /**
     * Leaves ptp4l announcing {@code notInSync}: one SET and its echo, so the stop waits at most one reply timeout
     * (no read-back, no grandmaster check: ptp4l's echo is its answer, and the daemon is going).
     */
    public KeeperReport shutdown(long nowMonoNs, GrandmasterSettings notInSync) {
        try {
            GrandmasterSettings echoed = ptp4l.setGrandmasterSettings(notInSync);
            if (!echoed.equals(notInSync)) {
                throw mismatch("echoed", echoed, notInSync);
            }
            succeeded(nowMonoNs, notInSync);
            return report(KeeperReport.Outcome.SENT, notInSync, null, null);
        } catch (Ptp4lException e) {
            return failed(nowMonoNs, notInSync, e);
        }
    }

    /** SET then GET; {@code found} is what a check saw in ptp4l instead of the desired settings, if any. */
    private KeeperReport apply(long nowMonoNs, GrandmasterSettings desired, GrandmasterSettings found) {
        try {
            GrandmasterSettings echoed = ptp4l.setGrandmasterSettings(desired);
            if (!echoed.equals(desired)) {
                throw mismatch("echoed", echoed, desired);
            }
            GrandmasterSettings readBack = ptp4l.grandmasterSettings();
            if (!readBack.equals(desired)) {
                throw mismatch("reads back", readBack, desired);
            }
            Boolean grandmaster = isGrandmaster();
            succeeded(nowMonoNs, desired);
            return report(found == null ? KeeperReport.Outcome.SENT : KeeperReport.Outcome.RESTORED, desired, found,
                    grandmaster);
        } catch (Ptp4lException e) {
            return failed(nowMonoNs, desired, e);
        }
    }

    private Boolean isGrandmaster() throws Ptp4lException {
        String self = ptp4l.defaultDataSet().clockIdentity();
        return self.equals(ptp4l.parentDataSet().grandmasterIdentity());
    }

    private static Ptp4lException mismatch(String how, GrandmasterSettings got, GrandmasterSettings wanted) {
        return new Ptp4lException(Ptp4lException.Reason.BAD_REPLY, "ptp4l " + how + " " + got + " after SET of "
                + wanted);
    }

    private void succeeded(long nowMonoNs, GrandmasterSettings desired) {
        inPlace = desired;
        lastConfirmed = desired;
        lastConfirmedMonoNs = nowMonoNs;
        nextCheckMonoNs = nowMonoNs + checkPeriodNs;
        failedDesired = null;
        lastError = null;
        consecutiveFailures = 0;
    }

    private KeeperReport failed(long nowMonoNs, GrandmasterSettings desired, Ptp4lException e) {
        inPlace = null;
        failedDesired = desired;
        nextRetryMonoNs = nowMonoNs + retryIntervalNs;
        lastError = e;
        consecutiveFailures++;
        return report(KeeperReport.Outcome.FAILED, desired, null, null);
    }

    private KeeperReport report(KeeperReport.Outcome outcome, GrandmasterSettings desired, GrandmasterSettings found,
                                Boolean grandmaster) {
        return new KeeperReport(outcome, desired, Optional.ofNullable(found), Optional.ofNullable(lastConfirmed),
                lastConfirmedMonoNs, Optional.ofNullable(lastError), consecutiveFailures, Optional.ofNullable(grandmaster));
    }
}
