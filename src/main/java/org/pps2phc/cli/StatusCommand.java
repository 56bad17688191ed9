package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.DaemonIdentity;
import org.pps2phc.daemon.DaemonStatus;
import org.pps2phc.daemon.UserError;
import org.pps2phc.daemon.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pps2phc status}: what a running daemon is doing, from its status file. The daemon is the one of the config
 * file (-f, or --instance NAME for /etc/pps2phc/NAME.conf, as pps2phc@NAME runs it); a status written by another
 * instance, or by a process whose pid now belongs to another, is not shown as this one's.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows the running daemon's state, offset, frequency, time-of-day verdict, outputs and the "
                + "time since the last pulse.",
        footerHeading = "%nExamples:%n",
        footer = {"  pps2phc status",
            "  pps2phc status --instance eth1       # pps2phc@eth1 (/etc/pps2phc/eth1.conf)",
            "  pps2phc status --json | jq .offsetNs",
            "  pps2phc status --status-dir /tmp/pps2phc-test",
            "",
            "Exit codes: 0 running, 3 not running, 4 status unknown (unreadable, or the",
            "config file named cannot be read, or another instance's status is there)."})
public final class StatusCommand implements Callable<Integer> {
    public static final int NOT_RUNNING = 3;
    public static final int UNKNOWN = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the status as one JSON object.")
    boolean json;

    @Option(names = "--status-dir", paramLabel = "DIR",
            description = "Where the daemon writes its status (default: status_dir from the config file, else "
                    + "/run/pps2phc).")
    Path statusDir;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE",
            description = "The daemon's config file, for status_dir and to tell its status from another "
                    + "instance's (default: /etc/pps2phc/pps2phc.conf when it exists).")
    Path config;

    @Option(names = "--instance", paramLabel = "NAME",
            description = "The daemon systemd runs as pps2phc@NAME: the config file /etc/pps2phc/NAME.conf.")
    String instance;

    @Override
    public Integer call() {
        if (instance != null && config != null) {
            throw new UserError(ExitCodes.USAGE, "give -f or --instance, not both");
        }
        if (instance != null && (instance.isEmpty() || instance.contains("/"))) {
            throw new UserError(ExitCodes.USAGE, "--instance: '" + instance + "' is not a config name such as eth1");
        }
        Path named = instance != null ? Settings.DEFAULT_PATH.resolveSibling(instance + ".conf") : config;
        Path dir = statusDir;
        if (named != null && dir == null) {
            try {
                dir = Settings.load(named).statusDir();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("pps2phc: " + e.problems().get(0));
                return UNKNOWN;
            }
        } else if (dir == null) {
            dir = defaultDir();
        }
        StatusFile file = new StatusFile(dir);
        Optional<String> text;
        try {
            text = file.read();
        } catch (IOException e) {
            spec.commandLine().getErr().println("pps2phc: cannot read " + file.path() + ": " + e.getMessage());
            return UNKNOWN;
        }
        if (text.isEmpty()) {
            return notRunning("pps2phc is not running (no status in " + dir + ")");
        }
        DaemonStatus status;
        try {
            status = DaemonStatus.fromJson(text.get());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("pps2phc: " + file.path() + " is unreadable: " + e.getMessage());
            return UNKNOWN;
        }
        DaemonIdentity daemon = status.daemon();
        if (!daemon.running()) {
            return notRunning("pps2phc is not running (stale status from pid " + daemon.pid() + " in " + dir
                    + (daemon.pidReused() ? "; that pid is now another process" : "") + ")");
        }
        if (named != null && !daemon.config().equals(DaemonIdentity.configOf(named.toString()))) {
            spec.commandLine().getErr().println("pps2phc: the status in " + dir + " is instance " + daemon.instance()
                    + "'s (pid " + daemon.pid() + ", " + daemon.config() + "), not " + named + "'s: give each "
                    + "instance its own status_dir");
            return UNKNOWN;
        }
        spec.commandLine().getOut().print(json ? text.get() : status.describe(System.currentTimeMillis()));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private int notRunning(String message) {
        if (json) {
            spec.commandLine().getOut().println("{\"running\": false}");
        }
        spec.commandLine().getErr().println(message);
        return NOT_RUNNING;
    }

    /** Without -f: the default config file's status_dir when it can be read, else the default one. */
    private Path defaultDir() {
        if (Files.isReadable(Settings.DEFAULT_PATH)) {
            try {
                return Settings.load(Settings.DEFAULT_PATH).statusDir();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("pps2phc: " + e.problems().get(0)
                        + " (using the default status directory)");
            }
        }
        return Settings.defaults().statusDir();
    }
}
