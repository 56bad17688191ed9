package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.daemon.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pps2phc.core.DisciplineConfig;
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
                + "and prints the ground-truth metrics (docs/simulator.md)."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "i210-f9t",
            description = "i210-f9t, e810-gpsdo, cm4-m8t, harsh, or default (the spec's defaults). "
                    + "Default: ${DEFAULT-VALUE}.")
    String scenario;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one model parameter "
            + "(e.g. osc.freq_ppb=1000, pps.outages=3600:120,40000:900). Repeatable.")
    List<String> assignments = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Random seed. Default: 1.")
    long seed;

    @Option(names = "--duration", paramLabel = "S", description = "Seconds to simulate (sim.duration; 86400).")
    Long durationS;

    @Option(names = "--servo", paramLabel = "NAME", description = "pi-linuxptp (the baseline), kalman, or optimum "
            + "(the Kalman servo given the scenario's true noise). Default: the daemon's default.")
    String servo;

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
            if (!SimRunner.servoNames().contains(servoName)) {
                throw new ScenarioException("unknown servo '" + servoName + "' (known: "
                        + String.join(", ", SimRunner.servoNames()) + ")");
            }
        } catch (ScenarioException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
        TraceWriter tracer = trace == null ? null : new TraceWriter((int) params.durationS());
        SimRunner.Result result = SimRunner.run(scenario, params, DisciplineConfig.defaults(), servoName, seed, tracer);
        if (tracer != null) {
            try {
                tracer.write(trace, result.truth());
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
                        : v == Math.rint(v) && !name.endsWith("Ns") ? Long.toString((long) v)
                        : String.format(Locale.ROOT, "%.1f", v));
            }
            Snapshot last = result.last();
            out.printf(Locale.ROOT, "engine at the end: %s, %d pulses accepted, %d missing, %d outliers, %d glitches, "
                    + "%d state changes%n", last.state().label(), last.acceptedPulses(), last.missingPulses(),
                    last.outliers(), last.glitches(), result.log().stateChanges().size());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
