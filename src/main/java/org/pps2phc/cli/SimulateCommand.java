package org.pps2phc.cli;

import org.pps2phc.daemon.Assemblies;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.HoldoverMode;
import org.pps2phc.core.Snapshot;
import org.pps2phc.sim.Metrics;
import org.pps2phc.sim.ScenarioException;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.SimParameters;
import org.pps2phc.sim.SimRunner;
import org.pps2phc.sim.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pps2phc simulate}: one closed-loop run in virtual time, scored against the ground truth. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs the discipline engine against the simulated PHC and GNSS receiver in virtual time "
                + "and prints the ground-truth metrics. The model, every key, the faults, the metrics and the "
                + "presets are specified in docs/simulator.md."},
        footer = {"",
            "Model keys (--set KEY=VALUE), each specified in docs/simulator.md:",
            "  sim.start sim.duration sim.leap",
            "  osc.freq_ppb osc.rw_ppb_per_sqrt_s osc.temp_amp_ppb osc.temp_period_s",
            "  osc.wfm_adev phc.initial_offset_s phc.max_adj_ppb phc.tick_ns",
            "  phc.step_error_ns pps.jitter_ns pps.sawtooth_ns pps.miss_prob",
            "  pps.outages pps.glitch_prob pps.width_ms nic.both_edges nic.delivery_ms",
            "  sys.offset_ms sys.jitter_ms sys.bound_ms sys.untrusted xts.width_ns",
            "",
            "Fault keys (none by default; times in seconds from the start of the run):",
            "  tai.glitch=START_S:LENGTH_S:DELTA_S,...",
            "      the TAI-UTC the time of day reports is DELTA_S off in the window",
            "  sys.steps=AT_S:DELTA_MS,...",
            "      the system clock (chrony's time of day) is stepped",
            "  phc.external_steps=AT_S:DELTA_NS,...",
            "      another process steps the PHC",
            "  phc.external_freq=AT_S:PPB,...",
            "      another process dials a frequency",
            "  nic.reports_edges=auto|single|both",
            "      what arming tells the engine (auto: what nic.both_edges does)",
            "  nic.removed=START_S:LENGTH_S,...",
            "      the device is gone (ENODEV) in the window, then back",
            "",
            "The receiver's byte stream as the time of day (tod.source=gnss; the default,",
            "sys, is the simulated chrony):",
            "  tod.source gnss.protocol gnss.baud gnss.delay_ms gnss.burst_bytes",
            "  gnss.miss_prob gnss.qerr",
            "  gnss.void=START_S:LENGTH_S,...",
            "      no fix: RMC status V, UBX valid flags clear",
            "  gnss.bad_utc=START_S:LENGTH_S:DELTA_S,...",
            "      the firmware's UTC is DELTA_S off in the window",
            "",
            "Metrics (docs/simulator.md, \"Metrics\"): lockTimeS rmsNs p99AbsNs maxAbsNs",
            "  wrongSecondCount wrongEdgeCount holdoverMaxAbsNs steps falseLockS",
            "  recoveryS (\"never\", -1 in --json: not recovered by the end) boundViolationS"})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "i210-f9t",
            description = "i210-f9t, e810-gpsdo, cm4-m8t, harsh, or default (no preset). "
                    + "Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one model parameter "
            + "or inject a fault (e.g. osc.freq_ppb=1000, pps.outages=3600:120,40000:900, "
            + "phc.external_steps=7200:1000000). Repeatable; every key is listed below.")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed. Default: 1.")
    long seed;

    @Option(names = "--duration", paramLabel = "S", description = "Seconds to simulate (sim.duration; 86400).")
    Long durationS;

    @Option(names = "--servo", paramLabel = "NAME", description = "pi-linuxptp (the baseline; also 'pi', as in "
            + "clock_servo), kalman, or optimum (the Kalman servo given the scenario's true noise). Default: the "
            + "daemon's default.")
    String servo;

    @Option(names = "--holdover-mode", paramLabel = "MODE", description = "What the engine dials in holdover "
            + "(holdover_mode): predict (the daemon's default) or freeze (the servo's last frequency, as linuxptp's "
            + "ts2phc keeps it; docs/benchmarks.md's pi-linuxptp column).")
    String holdoverMode;

    @Option(names = "--qerr-correction", paramLabel = "0|1", description = "With tod.source=gnss: the daemon's "
            + "qerr_correction, applying TIM-TP's qErr to each pulse. Default: the config's (1).")
    Integer qErrCorrection;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", defaultValue = SimulationConfig.DEFAULT_PATH,
            description = "The config file whose receiver keys the simulated receiver takes with tod.source=gnss "
                    + "(ts2phc.nmea_delay, ts2phc.pulsewidth, qerr_correction), as run --simulate does (default: "
                    + "${DEFAULT-VALUE}, built-in defaults when it does not exist).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--trace", paramLabel = "FILE", description = "Also write a CSV line per second: the true time "
            + "error beside the engine's offset, frequency and state (columns: docs/simulator.md).")
    Path trace;

    @Override
    public Integer call() {
        SimParameters params;
        String servoName = servo == null ? DisciplineConfig.defaults().servoName() : servo;
        try {
            Map<String, String> overrides = Scenarios.parseAssignments(assignments);
            if (durationS != null) {
                overrides.put("sim.duration", Long.toString(durationS));
            }
            params = Scenarios.resolve(scenario, overrides);
            if (qErrCorrection != null && qErrCorrection != 0 && qErrCorrection != 1) {
                throw new ScenarioException("bad value '" + qErrCorrection + "' for --qerr-correction: expected 0 "
                        + "or 1");
            }
            if (!SimRunner.servoNames().contains(servoName)) {
                throw new ScenarioException("unknown servo '" + servoName + "' (known: "
                        + String.join(", ", SimRunner.servoNames()) + ")");
            }
        } catch (ScenarioException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        Settings settings;
        try {
            settings = SimulationConfig.reloader(config, spec.commandLine().getParseResult().hasMatchedOption("-f"))
                    .load();
            settings.receiver(); // the TCP pair of keys is checked as a whole
        } catch (ConfigException e) {
            SimulationConfig.printProblems(e, spec.commandLine().getErr(), System.getenv());
            return ExitCodes.CONFIG;
        }
        DisciplineConfig engine;
        try {
            engine = holdoverMode == null ? DisciplineConfig.defaults()
                    : DisciplineConfig.defaults().withHoldoverMode(HoldoverMode.of(holdoverMode));
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--holdover-mode " + holdoverMode + ": unknown (known: predict, "
                    + "freeze)");
        }
        TraceWriter tracer = trace == null ? null : new TraceWriter((int) params.durationS(), params.ppsOutages());
        SimRunner.Result result = SimRunner.run(scenario, params, engine, servoName,
                (config, dialled, maxAdj) -> SimRunner.servo(servoName, params, config, dialled, maxAdj), seed,
                tracer, tracer, Assemblies.simulatedReceiver(settings, Optional.ofNullable(qErrCorrection)
                        .map(q -> q == 1)));
        if (tracer != null) {
            try {
                tracer.write(trace);
            } catch (IOException e) {
                throw new UserError(ExitCodes.IOERR, "--trace " + trace + ": cannot write: " + e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        Metrics m = result.metrics();
        if (json) {
            out.println(m.toJson(scenario, servoName));
        } else {
            out.printf(Locale.ROOT, "scenario %s, servo %s, seed %d, %d s simulated%n", scenario, servoName, seed,
                    params.durationS());
            for (String name : Metrics.NAMES) {
                double v = m.value(name);
                out.printf(Locale.ROOT, "  %-17s %s%n", name, Double.isNaN(v) ? "-"
                        : Double.isInfinite(v) ? "never"
                        : v == Math.rint(v) && !name.endsWith("Ns") ? Long.toString((long) v)
                        : String.format(Locale.ROOT, "%.1f", v));
            }
            Snapshot last = result.last();
            out.printf(Locale.ROOT, "engine at the end: %s, %d pulses accepted, %d missing, %d outliers, %d glitches, "
                    + "%d state changes%n", last.state().label(), last.acceptedPulses(), last.missingPulses(),
                    last.outliers(), last.glitches(), result.log().stateChanges().size());
            if (last.tod() != null) {
                out.printf(Locale.ROOT, "time of day at the end: %s%n", last.tod().summary());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
