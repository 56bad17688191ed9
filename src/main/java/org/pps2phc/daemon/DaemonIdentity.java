package org.pps2phc.daemon;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.pps2phc.config.Settings;

/**
 * Which daemon wrote a status file: its process (pid and start time, so that a pid reused by another process is not
 * taken for it) and its instance (the config file it runs, named as systemd's pps2phc@NAME names it).
 *
 * @param pid        the daemon's process id
 * @param startedMs  when that process started, ms since 1970 (as the kernel's /proc/PID/stat tells it), -1 unknown
 * @param instance   the config file's name without ".conf" ("pps2phc", "eth1")
 * @param config     the config file's absolute path, or a name in parentheses for built-in defaults
 */
public record DaemonIdentity(long pid, long startedMs, String instance, String config) {
    /** The start times of one process may differ this much between two reads (boot time is whole seconds). */
    private static final long START_TOLERANCE_MS = 1500;

    public static DaemonIdentity current(Settings settings) {
        ProcessHandle self = ProcessHandle.current();
        return new DaemonIdentity(self.pid(), startedMs(self).orElse(-1L), instanceOf(settings.source()),
                configOf(settings.source()));
    }

    /** "/etc/pps2phc/eth1.conf" → "eth1"; built-in defaults ("(defaults)") → "defaults". */
    static String instanceOf(String source) {
        String name = Path.of(source).getFileName().toString().replaceAll("^\\((.*)\\)$", "$1");
        return name.endsWith(".conf") ? name.substring(0, name.length() - ".conf".length()) : name;
    }

    /** The config file as the status file records it: absolute and normalised, so that two spellings compare equal. */
    public static String configOf(String source) {
        return source.startsWith("(") ? source : Path.of(source).toAbsolutePath().normalize().toString();
    }

    private static Optional<Long> startedMs(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    /**
     * Whether the process that wrote the status still runs: the pid is alive and started when the writer did (a pid
     * the kernel has since given to another process started later).
     */
    public boolean running() {
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return false;
        }
        Optional<Long> started = startedMs(p.get());
        return startedMs < 0 || started.isEmpty() || Math.abs(started.get() - startedMs) <= START_TOLERANCE_MS;
    }

    /** Alive, but a process other than the one that wrote the status. */
    public boolean pidReused() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() && !running();
    }

    /** Whether {@code other} is this same process. */
    public boolean sameProcess(DaemonIdentity other) {
        return pid == other.pid && Math.abs(startedMs - other.startedMs) <= START_TOLERANCE_MS;
    }
}
