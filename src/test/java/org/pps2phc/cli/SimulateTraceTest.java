package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.sim.SimParameters;
import org.pps2phc.sim.SimRunner;
import picocli.CommandLine;

/** {@code simulate --trace FILE}: a line per second, the ground truth's TE beside what the engine saw. */
class SimulateTraceTest {
    @Test
    void theTraceHoldsTheTrueTimeErrorAndTheEnginesViewThroughAnOutage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("trace.csv");
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(0, cl.execute("simulate", "--scenario", "i210-f9t", "--duration", "1500", "--set",
                "pps.outages=900:120", "--servo", "kalman", "--trace", file.toString()), err.toString());

        List<String> lines = Files.readAllLines(file);
        assertEquals("second,te_ns,outage,offset_ns,freq_ppb,state", lines.get(0));
        assertEquals(1501, lines.size());
        double[] te = new double[1500];
        SimParameters p = Scenarios.resolve("i210-f9t",
                new HashMap<>(Map.of("sim.duration", "1500", "pps.outages", "900:120")));
        SimRunner.run("i210-f9t", p, DisciplineConfig.defaults(), "kalman",
                (config, dialled, maxAdj) -> SimRunner.servo("kalman", p, config, dialled, maxAdj), 1, null,
                (k, teNs, snapshot) -> te[(int) k] = teNs);
        for (int k = 0; k < 1500; k++) {
            String[] f = lines.get(k + 1).split(",", -1);
            assertEquals(Integer.toString(k), f[0]);
            assertEquals(String.format(Locale.ROOT, "%.3f", te[k]), f[1], "TE is the ground truth's at " + k);
            boolean outage = k >= 900 && k < 1020;
            assertEquals(outage ? "1" : "0", f[2], "outage flag at " + k);
            if (k >= 600 && k < 900) {
                assertTrue(Math.abs(te[k]) < 100, "locked before the outage: " + lines.get(k + 1));
                assertEquals("locked", f[5], lines.get(k + 1));
                assertTrue(Math.abs(Double.parseDouble(f[3])) < 100, "the engine measured an offset: " + lines.get(k + 1));
                assertTrue(!f[4].isEmpty(), "a frequency: " + lines.get(k + 1));
            }
            if (k >= 905 && outage) {
                assertEquals("", f[3], "no pulse, no offset: " + lines.get(k + 1));
                assertEquals("holdover", f[5], lines.get(k + 1));
            }
        }
    }

    @Test
    void aTraceThatCannotBeWrittenIsOneLineAndExit74(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        Path file = dir.resolve("no-such-dir").resolve("trace.csv");
        assertEquals(74, cl.execute("simulate", "--duration", "30", "--trace", file.toString()));
        assertTrue(err.toString().startsWith("pps2phc: --trace " + file + ": cannot write: "), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }
}
