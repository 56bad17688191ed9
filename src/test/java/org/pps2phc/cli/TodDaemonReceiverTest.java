package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.config.Settings;
import org.pps2phc.daemon.DaemonIdentity;
import org.pps2phc.daemon.DaemonStatus;
import org.pps2phc.daemon.StatusFile;
import org.pps2phc.receiver.ReceiverStatus;

/**
 * {@code pps2phc tod} with the receiver as the daemon's time of day: the daemon's pairing, through its status file
 * (written here as the daemon writes it), shown as the receiver's verdict.
 */
class TodDaemonReceiverTest {
    private final Cli cli = new Cli();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    private static ReceiverStatus paired() {
        return new ReceiverStatus("GNSS /dev/ttyS0", 123_456, 2_400, 3, List.of("GNRMC", "GPGSV", "GNGGA"),
                120_312_000, 118_200_000, 123_050_000, 16, null, 37, "receiver NAV-TIMELS",
                "checked against the system clock (synchronised within 20 ms)",
                "u-blox set-up on /dev/ttyS0 (RAM only): CFG-VALSET (generation 9+) acknowledged");
    }

    private static ReceiverStatus unpaired() {
        return new ReceiverStatus("gpsd 127.0.0.1:2947", -1, 0, 0, List.of(), Long.MIN_VALUE, Long.MIN_VALUE,
                Long.MIN_VALUE, 0, "time not valid: GNRMC status V (void: no fix)", 37, "kernel",
                "the second rests on the messages coming less than a second after their pulse (no synchronised "
                        + "system clock to check it)", "");
    }

    private static DaemonStatus status(DaemonIdentity daemon, boolean trusted, Optional<ReceiverStatus> receiver) {
        return new DaemonStatus(daemon, "/dev/ptp0", trusted ? "locked" : "free-running", -12, 23712.4, 30, trusted,
                trusted ? "trusted (GNSS /dev/ttyS0, bound 1.950 ms)" : "untrusted (time not valid: GNRMC status V"
                        + " (void: no fix))", List.of("ntpshm 0"), 0.4, 3600, 2, 1, 0, "kalman", 3700, 1_000,
                receiver);
    }

    private static DaemonIdentity self(Path conf) {
        return new DaemonIdentity(ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli(),
                DaemonIdentity.current(Settings.defaults()).instance(), DaemonIdentity.configOf(conf.toString()));
    }

    private static Path config(Path dir, String source) throws Exception {
        Path conf = dir.resolve("pps2phc.conf");
        Files.writeString(conf, String.join("\n", "[global]", "status_dir " + dir.resolve("status"),
                "ts2phc.tod_source " + source, "ts2phc.nmea_serialport /dev/ttyS0", "[/dev/ptp0]", ""));
        Files.createDirectories(dir.resolve("status"));
        return conf;
    }

    @Test
    void theReceiversPairingRoundTripsThroughTheStatusFile() {
        DaemonIdentity d = new DaemonIdentity(7, 5, "eth1", "/etc/pps2phc/eth1.conf");
        for (ReceiverStatus r : List.of(paired(), unpaired())) {
            DaemonStatus s = status(d, true, Optional.of(r));
            assertEquals(s, DaemonStatus.fromJson(s.toJson()));
        }
        DaemonStatus chrony = status(d, true, Optional.empty());
        assertEquals(chrony, DaemonStatus.fromJson(chrony.toJson()));
        assertTrue(!chrony.toJson().contains("receiver"), chrony.toJson());
    }

    @Test
    void todShowsTheRunningDaemonsReceiverVerdict(@TempDir Path dir) throws Exception {
        Path conf = config(dir, "nmea");
        new StatusFile(dir.resolve("status")).write(status(self(conf), true, Optional.of(paired())));
        assertEquals(0, run("tod", "-f", conf.toString()), err.toString());
        assertEquals(String.join("\n",
                "Receiver:      GNSS /dev/ttyS0 (pps2phc, pid " + ProcessHandle.current().pid() + ")",
                "Bytes:         123456, 2400 messages, 3 bad checksums",
                "Last burst:    GNRMC GPGSV GNGGA (3 messages)",
                "Pulse delay:   120.3 ms after the pulse (118.2 to 123.1 ms over the last 16)",
                "Valid:         yes",
                "TAI-UTC:       37 s from receiver NAV-TIMELS",
                "Second check:  checked against the system clock (synchronised within 20 ms)",
                "Set-up:        u-blox set-up on /dev/ttyS0 (RAM only): CFG-VALSET (generation 9+) acknowledged",
                "Verdict:       trusted (GNSS /dev/ttyS0, bound 1.950 ms)", ""), out.toString());
        StringWriter status = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(status));
        assertEquals(0, cl.execute("status", "-f", conf.toString()));
        assertTrue(status.toString().contains("\n  receiver:     messages 120 ms after the pulse ('pps2phc tod' for "
                + "more)\n"), status.toString());
    }

    @Test
    void anUntrustedVerdictExits69AndSaysWhy(@TempDir Path dir) throws Exception {
        Path conf = config(dir, "gpsd");
        new StatusFile(dir.resolve("status")).write(status(self(conf), false, Optional.of(unpaired())));
        assertEquals(69, run("tod", "-f", conf.toString()));
        String o = out.toString();
        assertTrue(!o.contains("Bytes:"), "gpsd reads the bytes: " + o);
        assertTrue(o.contains("Pulse delay:   not paired with a pulse yet\n"), o);
        assertTrue(o.contains("Valid:         no: time not valid: GNRMC status V (void: no fix)\n"), o);
        assertTrue(o.contains("Second check:  the second rests on the messages coming less than a second after "
                + "their pulse (no synchronised system clock to check it)\n"), o);
    }

    @Test
    void withNoDaemonRunningItSaysHowToListenToTheReceiver(@TempDir Path dir) throws Exception {
        Path conf = config(dir, "nmea");
        assertEquals(69, run("tod", "-f", conf.toString()));
        assertEquals("pps2phc: pps2phc is not running (no status in " + dir.resolve("status") + "): 'pps2phc tod "
                + "--receiver PORT' listens to the receiver while no daemon reads it\n", err.toString());
        new StatusFile(dir.resolve("status")).write(status(self(conf), true, Optional.empty()));
        assertEquals(69, run("tod", "-f", conf.toString(), "--status-dir", dir.resolve("status").toString()));
        assertTrue(err.toString().contains("takes its time of day from chronyd, not from a receiver"), err.toString());
    }
}
