package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.DaemonStatus;
import org.pps2phc.daemon.StatusFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pps2phc status}: what the running daemon is doing, from its status file. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows the running daemon's state, offset, frequency, time-of-day verdict, outputs and the "
                + "time since the last pulse.",
        footerHeading = "%nExamples:%n",
        footer = {"  pps2phc status",
            "  pps2phc status --json | jq .offsetNs",
            "  pps2phc status --status-dir /tmp/pps2phc-test",
            "",
            "Exit codes: 0 running, 3 not running, 4 status unreadable."})
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

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", defaultValue = "/etc/pps2phc/pps2phc.conf",
            description = "The daemon's config file, for status_dir (default: ${DEFAULT-VALUE}).")
    Path config;

    @Override
    public Integer call() {
        Path dir = statusDir != null ? statusDir : configuredDir();
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
        boolean alive = ProcessHandle.of(status.pid()).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
            return notRunning("pps2phc is not running (stale status from pid " + status.pid() + " in " + dir + ")");
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

    private Path configuredDir() {
        if (Files.isReadable(config)) {
            try {
                return Settings.load(config).statusDir();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println("pps2phc: " + e.problems().get(0)
                        + " (using the default status directory)");
            }
        }
        return Settings.defaults().statusDir();
    }
}
