package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.Assemblies;
import org.pps2phc.daemon.Daemon;
import org.pps2phc.daemon.DaemonAssembly;
import org.pps2phc.daemon.LogControl;
import org.pps2phc.daemon.Ports;
import org.pps2phc.daemon.Priorities;
import org.pps2phc.daemon.Signals;
import org.pps2phc.daemon.SimulatedOutput;
import org.pps2phc.daemon.SystemdNotifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.pps2phc.sim.Scenarios;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pps2phc run}: the daemon, on the configured device or on simulated hardware. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Runs the daemon: disciplines the PHC of the configured device from its PPS input, feeds "
                + "chrony/ntpd and keeps ptp4l's grandmaster settings true.",
            "Under systemd it reports READY/STATUS/WATCHDOG over $NOTIFY_SOCKET and logs with syslog priorities. "
                + "SIGTERM/SIGINT stop it cleanly; SIGHUP reloads the config file."},
        footerHeading = "%nExamples:%n",
        footer = {"  pps2phc run                                # the device in the default config",
            "  pps2phc run -f /etc/linuxptp/ts2phc.conf   # an existing ts2phc config",
            "  pps2phc run --check-config -f my.conf      # validate only, open nothing",
            "  pps2phc run --simulate                     # simulated hardware, real time",
            "  pps2phc run --simulate --scenario i210-f9t # an Intel i210 with a u-blox F9T",
            "  pps2phc run --simulate --set pps.jitter_ns=50  # a noisier PPS",
            "  pps2phc run --simulate -f lab.conf --feed ntpshm  # into lab.conf's SHM unit",
            "",
            "Exit codes: 0 stopped by a signal, 64 bad command line, 69 device or peer",
            "unavailable, 70 a bug (stopped in order), 74 the device failed while running,",
            "77 no permission, 78 bad config. A device that is absent is waited for."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");

    @Spec
    CommandSpec spec;

    /** The signal handlers {@link Main#main} installed before anything else; null when run in-process (tests). */
    Signals signals;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE",
            description = "The config file (default: ${DEFAULT-VALUE}; with --simulate, built-in defaults when it "
                    + "does not exist).", defaultValue = SimulationConfig.DEFAULT_PATH)
    Path config;

    @Option(names = "--simulate", description = "Run on simulated hardware in real time instead of the device.")
    boolean simulate;

    @Option(names = "--scenario", paramLabel = "NAME", description = "The simulated scenario (with --simulate): "
            + "default, i210-f9t, e810-gpsdo, cm4-m8t or harsh.")
    String scenario;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Sets a simulator parameter (with --simulate), e.g. pps.jitter_ns=20; may be repeated. "
                    + "The keys are listed below; docs/simulator.md says what each means.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--feed", paramLabel = "OUTPUT", split = ",",
            description = "With --simulate: feed these outputs of the config file with simulated time: ntpshm, "
                    + "sock, ptp4l (comma-separated). Without it a simulation feeds nothing, whatever the file says.")
    List<String> feed = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "The simulator's random seed (with --simulate; default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--check-config", description = "Check the config file and exit: 0 when valid, 78 when not.")
    boolean checkConfig;

    /** Lists the simulator's {@code --set} keys at the end of this command's help, where --set points. */
    static void listSimulatorKeys(CommandLine run) {
        List<String> footer = new ArrayList<>(List.of(run.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Simulator keys (--set KEY=VALUE, with --simulate):");
        StringBuilder line = new StringBuilder(" ");
        for (String key : Scenarios.keys()) {
            if (line.length() + key.length() + 1 > 78) {
                footer.add(line.toString());
                line = new StringBuilder(" ");
            }
            line.append(' ').append(key);
        }
        footer.add(line.toString());
        run.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    }

    @Override
    public Integer call() {
        Map<String, String> env = System.getenv();
        PrintWriter err = spec.commandLine().getErr();
        if (!simulate && (scenario != null || !sets.isEmpty() || !feed.isEmpty()
                || spec.commandLine().getParseResult().hasMatchedOption("--seed"))) {
            throw new UserError(ExitCodes.USAGE, "--scenario, --set, --seed and --feed apply to --simulate only");
        }
        Set<SimulatedOutput> fed = EnumSet.noneOf(SimulatedOutput.class);
        try {
            feed.forEach(name -> fed.add(SimulatedOutput.parse(name)));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--feed: " + e.getMessage());
        }
        Daemon.Reloader reloader = simulate
                ? SimulationConfig.reloader(config, spec.commandLine().getParseResult().hasMatchedOption("-f"))
                : () -> Settings.load(config);
        Settings settings;
        try {
            settings = reloader.load();
            if (!simulate && settings.deviceName() == null) {
                throw new ConfigException(settings.source() + ": no device section: add one naming the NIC or "
                        + "PHC, such as [eth0] or [/dev/ptp0]");
            }
            settings.receiver(); // the TCP pair of keys is checked as a whole
        } catch (ConfigException e) {
            SimulationConfig.printProblems(e, err, env);
            return ExitCodes.CONFIG;
        }
        if (checkConfig && !leapfileUsable(settings, err, env)) {
            return ExitCodes.CONFIG;
        }
        if (checkConfig) {
            settings.warnings().forEach(w -> err.println(ErrorHandlers.prefix(env, true) + w));
            err.flush();
            spec.commandLine().getOut().println(settings.source() + ": valid"
                    + (settings.deviceName() == null ? "" : ", device " + settings.deviceName()));
            return ExitCodes.OK;
        }
        // Simulated samples reach chrony, ntpd or ptp4l only through the outputs --feed names: never because a
        // config file (a production /etc one, say) sets them up, where they would feed fake time to real consumers.
        DaemonAssembly assembly = simulate ? Assemblies.simulated(scenario, sets, seed, fed) : Assemblies.device();
        LogControl logs = LogControl.install(env, settings.logging());
        settings.warnings().forEach(LOG::warn);
        Signals handlers = signals != null ? signals : Signals.install();
        if (handlers.stopRequested() != null) {
            LOG.info(Priorities.NOTICE, "stopping: {} before the start", handlers.stopRequested());
            return ExitCodes.OK;
        }
        try {
            Ports ports = assembly.open(settings);
            Daemon daemon = new Daemon(settings, ports, SystemdNotifier.fromEnvironment(env,
                    ProcessHandle.current().pid()), logs, reloader);
            handlers.attach(daemon);
            return daemon.run();
        } catch (UserError e) {
            LOG.error(e.getMessage());
            return e.exitCode();
        }
    }

    /** --check-config looks at the leap file as the daemon will load it: false when the daemon would ignore it. */
    private static boolean leapfileUsable(Settings settings, PrintWriter err, Map<String, String> env) {
        Settings.LeapfileCheck leap = settings.checkLeapfile(java.time.Instant.now().getEpochSecond());
        leap.warnings().forEach(w -> err.println(ErrorHandlers.prefix(env, true) + w));
        leap.problems().forEach(p -> err.println(ErrorHandlers.prefix(env, false) + p));
        err.flush();
        return leap.problems().isEmpty();
    }
}
