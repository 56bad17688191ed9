package org.pps2phc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.Daemon;

/**
 * The config file of a command that may run on simulated hardware ({@code run --simulate}, {@code simulate}): the
 * file {@code -f} names, else the default path when it exists, else the built-in defaults; and its problems, one
 * line each.
 */
final class SimulationConfig {
    static final String DEFAULT_PATH = "/etc/pps2phc/pps2phc.conf";

    private SimulationConfig() {
    }

    /**
     * @param named whether {@code -f} was given (then the file must exist)
     */
    static Daemon.Reloader reloader(Path config, boolean named) {
        return !named && !Files.exists(config) ? Settings::defaults : () -> Settings.load(config);
    }

    /** Prints each problem of {@code e} as its own line. */
    static void printProblems(ConfigException e, PrintWriter err, Map<String, String> env) {
        for (String problem : e.problems()) {
            err.println(ErrorHandlers.prefix(env, false) + problem);
        }
        err.flush();
    }
}
