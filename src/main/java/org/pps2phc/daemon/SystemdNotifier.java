package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.pps2phc.os.UnixDatagramSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: one datagram per message to $NOTIFY_SOCKET (a path, or '@name' for an abstract
 * socket). Does nothing when the variable is unset, as when pps2phc runs outside systemd.
 */
public final class SystemdNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");

    private final String socketName;
    private final Duration watchdogInterval;
    private UnixDatagramSocket socket;
    private boolean failureLogged;

    SystemdNotifier(String socketName, Duration watchdogInterval) {
        this.socketName = socketName;
        this.watchdogInterval = watchdogInterval;
    }

    public static SystemdNotifier fromEnvironment(Map<String, String> env, long ownPid) {
        String name = env.get("NOTIFY_SOCKET");
        if (name != null && !name.startsWith("/") && !name.startsWith("@")) {
            LOG.warn("NOTIFY_SOCKET '{}' is neither a path nor an abstract '@name': not notifying systemd", name);
            name = null;
        }
        return new SystemdNotifier(name == null || name.isEmpty() ? null : name, watchdog(env, ownPid));
    }

    /**
     * The shortest ping interval: a WatchdogSec= of a few microseconds (WATCHDOG_USEC=1) would otherwise make the loop
     * do nothing but ping. systemd kills a daemon whose watchdog is that short anyway; it must not spin first.
     */
    static final Duration MIN_PING_INTERVAL = Duration.ofMillis(100);

    /**
     * Half of WATCHDOG_USEC (as sd_watchdog_enabled advises), at least {@link #MIN_PING_INTERVAL}, when the watchdog
     * is meant for this process.
     */
    static Duration watchdog(Map<String, String> env, long ownPid) {
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec == null || usec.isEmpty()) {
            return null;
        }
        try {
            if (pid != null && !pid.isEmpty() && Long.parseLong(pid) != ownPid) {
                return null;
            }
            long us = Long.parseLong(usec);
            if (us <= 0) {
                return null;
            }
            Duration half = Duration.ofNanos(Math.multiplyExact(us, 1000L) / 2);
            if (half.compareTo(MIN_PING_INTERVAL) < 0) {
                LOG.warn("WATCHDOG_USEC {} asks for a ping every {} us: pinging every {} ms instead (WatchdogSec= is "
                        + "too short for any daemon; 30 s is usual)", usec, us / 2.0, MIN_PING_INTERVAL.toMillis());
                return MIN_PING_INTERVAL;
            }
            return half;
        } catch (NumberFormatException | ArithmeticException e) {
            LOG.warn("ignoring the watchdog: WATCHDOG_USEC '{}' / WATCHDOG_PID '{}' is not a number", usec, pid);
            return null;
        }
    }

    public boolean enabled() {
        return socketName != null;
    }

    public Optional<Duration> watchdogInterval() {
        return Optional.ofNullable(watchdogInterval);
    }

    /** Sends {@code state} (e.g. "READY=1\nSTATUS=locked"); a failure is logged once and otherwise ignored. */
    public synchronized void notify(String state) {
        if (socketName == null) {
            return;
        }
        try {
            if (socket == null) {
                socket = UnixDatagramSocket.unbound();
            }
            socket.send(socketName, state.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("cannot notify systemd at {}: {}", socketName, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
