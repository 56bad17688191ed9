package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code run} refuses before it opens anything (the daemon itself is tested as a subprocess). */
class RunCommandTest {
    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void simulatorOptionsNeedSimulate() {
        assertEquals(64, run("run", "--scenario", "basic"));
        assertTrue(err.toString().contains("--scenario, --set, --seed and --feed apply to --simulate only"), err.toString());
    }

    @Test
    void runHelpListsTheSetKeysItPointsTo() {
        assertEquals(0, run("run", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        assertTrue(help.contains("The keys are listed below"), help);
        for (String key : org.pps2phc.sim.Scenarios.keys()) {
            assertTrue(help.matches("(?s).*Simulator keys \\(--set KEY=VALUE, with --simulate\\):.*\\b"
                    + java.util.regex.Pattern.quote(key) + "\\b.*"), key + " in: " + help);
        }
    }

    @Test
    void unknownSimulatorKeyIsAUsageError(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("sim.conf");
        Files.writeString(conf, "[global]\n");
        assertEquals(64, run("run", "--simulate", "-f", conf.toString(), "--set", "bogus=1"));
        assertTrue(err.toString().contains("unknown simulation key 'bogus'"), err.toString());
    }

    @Test
    void checkConfigListsEveryProblemWithFileAndLine(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "[global]\nstep_threshold -1\nlogging_levle 7\n[eth0]\n");
        assertEquals(78, run("run", "--check-config", "-f", conf.toString()));
        assertEquals("pps2phc: " + conf + ":2: bad value '-1' for step_threshold: out of range: expected a number "
                + "from 0 to 1000000 (unit: s)\npps2phc: " + conf + ":3: unknown key 'logging_levle' (did you mean "
                + "'logging_level'?)\n", err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void theDaemonNeedsADeviceSection(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("nodev.conf");
        Files.writeString(conf, "[global]\nstep_threshold 0.1\n");
        assertEquals(78, run("run", "--check-config", "-f", conf.toString()));
        assertTrue(err.toString().contains(conf + ": no device section: add one naming the NIC or PHC, such as "
                + "[eth0] or [/dev/ptp0]"), err.toString());
    }

    @Test
    void checkConfigPassesTheShippedExampleAndWarnsAboutInertKeys(@TempDir Path dir) throws Exception {
        assertEquals(0, run("run", "--check-config", "-f", "conf/pps2phc.conf"));
        assertEquals("conf/pps2phc.conf: valid, device eth0", out.toString().strip());
        Path conf = dir.resolve("ts2phc.conf");
        Files.writeString(conf, "[global]\nts2phc.nmea_serialport /dev/ttyUSB0\n[enp1s0]\n");
        assertEquals(0, run("run", "--check-config", "-f", conf.toString()));
        assertTrue(err.toString().contains("pps2phc: warning: " + conf + ":2: 'ts2phc.nmea_serialport' has no "
                + "effect with ts2phc.tod_source generic"), err.toString());
        Files.writeString(conf, "[global]\nts2phc.tod_source nmea\nts2phc.nmea_remote_host 127.0.0.1\n[enp1s0]\n");
        assertEquals(78, run("run", "--check-config", "-f", conf.toString()));
        assertTrue(err.toString().contains(conf + ": ts2phc.nmea_remote_host is set without ts2phc.nmea_remote_port"),
                err.toString());
    }

    @Test
    void checkConfigRefusesALeapfileTheDaemonWouldIgnore(@TempDir Path dir) throws Exception {
        Path leap = Files.writeString(dir.resolve("leap-seconds.list"), "# nothing but comments\n");
        Path conf = dir.resolve("leap.conf");
        Files.writeString(conf, "[global]\nleapfile " + leap + "\n[eth0]\n");
        assertEquals(78, run("run", "--check-config", "-f", conf.toString()));
        assertEquals("pps2phc: " + conf + ":2: leapfile is not a leap-seconds.list the daemon can use: " + leap
                + ": no leap second entries\n", err.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("", out.toString());
    }
}
