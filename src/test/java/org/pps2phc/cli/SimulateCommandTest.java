package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"[^\"]*\"|[^,}]+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    @Test
    void aFullI210DayLocksWithinAMinuteWithNoWrongSecondOrEdge() {
        assertEquals(0, run("simulate", "--scenario", "i210-f9t", "--json"), err.toString());
        String json = out.toString().trim();
        assertEquals(1, json.lines().count(), json);
        assertTrue(Long.parseLong(field(json, "lockTimeS")) <= 60, json);
        assertEquals("0", field(json, "wrongSecondCount"));
        assertEquals("0", field(json, "wrongEdgeCount"));
        assertEquals("0", field(json, "steps"));
        assertEquals("\"i210-f9t\"", field(json, "scenario"));
        assertTrue(Double.parseDouble(field(json, "rmsNs")) < 20, json);
        assertEquals("null", field(json, "holdoverMaxAbsNs"));
    }

    @Test
    void jsonHasExactlyTheSpecsFields() {
        assertEquals(0, run("simulate", "--scenario", "harsh", "--servo", "pi-linuxptp", "--duration", "4000",
                "--seed", "3", "--json"), err.toString());
        String json = out.toString().trim();
        Matcher names = Pattern.compile("\"([A-Za-z0-9]+)\":").matcher(json);
        StringBuilder seen = new StringBuilder();
        while (names.find()) {
            seen.append(names.group(1)).append(' ');
        }
        assertEquals("scenario servo lockTimeS rmsNs p99AbsNs maxAbsNs wrongSecondCount wrongEdgeCount "
                + "holdoverMaxAbsNs steps falseLockS recoveryS boundViolationS ", seen.toString());
        assertEquals("\"pi-linuxptp\"", field(json, "servo"));
        assertTrue(Double.parseDouble(field(json, "holdoverMaxAbsNs")) > 0, json);
    }

    @Test
    void textOutputListsEveryMetric() {
        assertEquals(0, run("simulate", "--scenario", "e810-gpsdo", "--servo", "optimum", "--duration", "600"));
        for (String name : org.pps2phc.sim.Metrics.NAMES) {
            assertTrue(out.toString().contains(name), out.toString());
        }
    }

    @Test
    void mistakesExit64WithOneLine() {
        assertUsage("unknown scenario 'i211'", "simulate", "--scenario", "i211");
        assertUsage("unknown simulation key 'pps.jitter'", "simulate", "--set", "pps.jitter=3");
        assertUsage("bad value 'x' for pps.jitter_ns", "simulate", "--set", "pps.jitter_ns=x");
        assertUsage("--set needs KEY=VALUE", "simulate", "--set", "pps.jitter_ns");
        assertUsage("unknown servo 'linreg'", "simulate", "--servo", "linreg");
        assertUsage("bad value '0' for sim.duration", "simulate", "--duration", "0");
        assertUsage("--holdover-mode hold: unknown (known: predict, freeze)", "simulate", "--holdover-mode", "hold");
    }

    @Test
    void aFrozenHoldoverDriftsFurtherThanThePredictedOne() {
        // harsh's swing (100 ppb over 900 s) through a 900 s outage after two hours of lock
        String[] args = {"simulate", "--scenario", "harsh", "--duration", "8500", "--set", "pps.outages=7200:900",
            "--json", "--holdover-mode"};
        assertEquals(0, run(concat(args, "freeze")), err.toString());
        double frozen = Double.parseDouble(field(out.toString(), "holdoverMaxAbsNs"));
        out.getBuffer().setLength(0);
        assertEquals(0, run(concat(args, "predict")), err.toString());
        double predicted = Double.parseDouble(field(out.toString(), "holdoverMaxAbsNs"));
        assertTrue(predicted < 0.2 * frozen, "predicted " + predicted + " ns, frozen " + frozen + " ns");
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }

    @Test
    void piIsAcceptedAsClockServoAcceptsIt() {
        assertEquals(0, run("simulate", "--scenario", "e810-gpsdo", "--servo", "pi", "--duration", "400",
                "--json"), err.toString());
        assertEquals("\"pi\"", field(out.toString().trim(), "servo"));
    }

    @Test
    void helpListsEveryKeyAndFaultAndPointsIntoTheProject() {
        assertEquals(0, run("simulate", "--help"));
        String help = out.toString();
        for (String key : org.pps2phc.sim.Scenarios.keys()) {
            assertTrue(help.contains(key), key + " in " + help);
        }
        for (String name : org.pps2phc.sim.Metrics.NAMES) {
            assertTrue(help.contains(name), name + " in " + help);
        }
        assertTrue(help.contains("docs/simulator.md"), help);
        assertTrue(!help.contains("shared/"), help);
    }

    @Test
    void aFaultKeyRunsAndAMistakeInOneIsOneLine() {
        assertEquals(0, run("simulate", "--scenario", "i210-f9t", "--duration", "900", "--set",
                "nic.removed=300:20", "--json"), err.toString());
        assertTrue(Long.parseLong(field(out.toString().trim(), "recoveryS")) >= 0, out.toString());
        assertUsage("bad value '300' for nic.removed", "simulate", "--set", "nic.removed=300");
    }

    private void assertUsage(String message, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(ExitCodes.USAGE, run(args), err.toString());
        String e = err.toString().trim();
        assertEquals(1, e.lines().count(), e);
        assertTrue(e.startsWith("pps2phc: " + message), e);
        assertEquals("", out.toString());
    }

    private double metric(String name) {
        return Double.parseDouble(field(out.toString(), name));
    }

    @Test
    void theReceiverAloneNamesTheSecondsAndQErrCorrectionCanBeTurnedOff() {
        assertEquals(0, run("simulate", "--scenario", "cm4-m8t", "--set", "tod.source=gnss", "--duration", "900",
                "--json"), err.toString());
        assertTrue(metric("lockTimeS") < 60, out.toString());
        assertEquals(0, metric("wrongSecondCount"));
        double on = metric("rmsNs");
        out.getBuffer().setLength(0);
        assertEquals(0, run("simulate", "--scenario", "cm4-m8t", "--set", "tod.source=gnss", "--duration", "900",
                "--qerr-correction", "0", "--json"), err.toString());
        assertTrue(on < metric("rmsNs"), "with qErr " + on + ", without: " + out);
    }

    @Test
    void aBadQErrCorrectionIsOneLine() {
        assertEquals(ExitCodes.USAGE, run("simulate", "--qerr-correction", "2"));
        assertTrue(err.toString().contains("--qerr-correction"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    /** A 50 % duty square wave on a NIC stamping both edges, its messages 350-450 ms after the leading edge. */
    private int squareWave(Path config, String... more) {
        return run(concat(new String[] {"simulate", "--scenario", "i210-f9t", "--set", "tod.source=gnss", "--set",
            "pps.width_ms=500", "--set", "gnss.delay_ms=350:450", "--duration", "600", "-f", config.toString()},
                more));
    }

    @Test
    void theConfigsNmeaDelayTellsTheEdgeOfASquareWaveAsInRunSimulate(@TempDir Path dir) throws IOException {
        // the two edges look alike to the messages; ts2phc.nmea_delay (their least delay) says which leads, in
        // simulate as in run --simulate, through the same receiver settings
        Path withDelay = Files.writeString(dir.resolve("delay.conf"), "[global]\nts2phc.nmea_delay 300000000\n");
        assertEquals(0, squareWave(withDelay, "--json"), err.toString());
        assertTrue(metric("lockTimeS") < 60, out.toString());
        assertEquals(0, metric("wrongSecondCount"), out.toString());
        assertEquals(0, metric("wrongEdgeCount"), out.toString());
        assertEquals(0, metric("falseLockS"), out.toString());
        out.getBuffer().setLength(0);
        Path without = Files.writeString(dir.resolve("plain.conf"), "[global]\n");
        assertEquals(0, squareWave(without, "--json"), err.toString());
        assertEquals("null", field(out.toString(), "lockTimeS"), "never locked on a guessed edge: " + out);
        assertEquals(0, metric("wrongSecondCount"), out.toString());
        assertEquals(0, metric("falseLockS"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, squareWave(without), err.toString());
        assertTrue(out.toString().contains("time of day at the end: untrusted (cannot tell the pulse's leading edge "
                + "(50 % duty cycle"), out.toString());
    }

    @Test
    void theConfigsQErrCorrectionIsTakenAndTheOptionOverridesIt(@TempDir Path dir) throws IOException {
        Path off = Files.writeString(dir.resolve("off.conf"), "[global]\nqerr_correction 0\n");
        String[] cm4 = {"simulate", "--scenario", "cm4-m8t", "--set", "tod.source=gnss", "--duration", "900",
            "--json", "-f", off.toString()};
        assertEquals(0, run(cm4), err.toString());
        double fromConfig = metric("rmsNs");
        out.getBuffer().setLength(0);
        assertEquals(0, run(concat(cm4, "--qerr-correction", "1")), err.toString());
        assertTrue(metric("rmsNs") < 0.8 * fromConfig, "overridden on: " + metric("rmsNs") + ", config's off: "
                + fromConfig);
    }

    @Test
    void aBadConfigIsItsLinesAndExit78(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.conf"), "[global]\nts2phc.nmea_delay soon\n");
        assertEquals(ExitCodes.CONFIG, run("simulate", "--set", "tod.source=gnss", "-f", bad.toString()));
        assertTrue(err.toString().contains("bad.conf:2"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }
}
