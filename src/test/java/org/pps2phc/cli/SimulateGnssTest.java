package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.pps2phc.daemon.ExitCodes;
import picocli.CommandLine;

/** {@code pps2phc simulate} with the receiver as the time of day. */
class SimulateGnssTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private double metric(String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([^,}]+)").matcher(out.toString());
        assertTrue(m.find(), name + " in " + out);
        return Double.parseDouble(m.group(1));
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
}
