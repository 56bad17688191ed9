package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.chrony.Chronyd;
import org.pps2phc.cli.Main;
import org.pps2phc.linux.FakeKernel;
import org.pps2phc.os.UnixDatagramSocket;

/**
 * {@code pps2phc run} on the device path, end to end, as a subprocess: the Linux PHC adapter on the fake kernel
 * (src/test/c/fake_ptp.c: a drifting PHC with a 1 Hz PPS), a real chronyd (its free-running 'local' reference,
 * accepted with tod_allow_local) as the time of day, and the chrony SOCK output received by the test.
 */
class DeviceEndToEndTest {
    /** In the daemon tests' range (11500-11599). */
    private static final int CHRONY_CMDPORT = 11590;


    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void locksAFakePhcWithChronydAsTimeOfDayAndFeedsChronySock(@TempDir Path dir) throws Exception {
        Path statusDir = dir.resolve("status");
        Path sock = dir.resolve("refclock.sock");
        Path conf = dir.resolve("pps2phc.conf");
        Files.writeString(conf, String.join("\n", "[global]", "status_dir " + statusDir,
                "chrony_address 127.0.0.1:" + CHRONY_CMDPORT, "chrony_timeout 0.2", "tod_allow_local 1",
                "own_refid none", "ntpshm_segment -1", "sock_path " + sock, "lock_count 4", "summary_interval 2",
                "[/dev/ptp42]", "ts2phc.channel 0", ""));
        Path stderr = dir.resolve("stderr");
        Chronyd chrony = null;
        Process daemon = null;
        AtomicInteger samples = new AtomicInteger();
        try (FakeKernel kernel = FakeKernel.install();
             NotifyReceiver systemd = NotifyReceiver.abstractSocket();
             UnixDatagramSocket chronySock = UnixDatagramSocket.bound(sock.toString())) {
            chrony = Chronyd.start(dir, CHRONY_CMDPORT, "local stratum 10");
            daemon = FakeDeviceDaemon.start(kernel, conf, systemd, stderr, dir);

            // READY's latency is measured by scripts/footprint.sh; here it only has to come within TimeoutStartSec
            Optional<Long> ready = systemd.await("READY=1"::equals, 30_000);
            assertTrue(ready.isPresent(), "READY=1 once the extts channel is armed: " + read(stderr));
            assertTrue(read(stderr).contains("<5>started on /dev/ptp42, channel 0, pin 0, "), read(stderr));
            assertTrue(systemd.await(l -> l.startsWith("STATUS=locked, "), 25_000).isPresent(),
                    "locks on the fake PHC: " + read(stderr));

            // chrony's SOCK refclock receives 40-byte samples once locked
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (samples.get() < 2 && System.nanoTime() < deadline) {
                chronySock.receive(64, 200).ifPresent(d -> {
                    if (d.length == 40) {
                        samples.incrementAndGet();
                    }
                });
            }
            assertTrue(samples.get() >= 2, "SOCK samples: " + samples.get() + "\n" + read(stderr));

            StringWriter out = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertEquals(0, cl.execute("status", "--status-dir", statusDir.toString()));
            assertTrue(out.toString().contains("disciplining /dev/ptp42"), out.toString());
            assertTrue(out.toString().contains("outputs:      chrony SOCK " + sock), out.toString());
            assertTrue(out.toString().contains("time of day:  trusted (local"), out.toString());

            long term = System.nanoTime();
            daemon.destroy();
            assertTrue(daemon.waitFor(SystemdUnitTest.TIMEOUT_STOP_S, TimeUnit.SECONDS), "exit within TimeoutStopSec");
            assertTrue(System.nanoTime() - term < SystemdUnitTest.TIMEOUT_STOP_S * 1_000_000_000L / 2,
                    "the stop takes well under TimeoutStopSec");
            assertEquals(0, daemon.exitValue(), read(stderr));
            assertTrue(read(stderr).contains("<5>stopped: outputs withdrawn, extts disarmed"), read(stderr));
            assertFalse(read(stderr).contains("did not stop within"), "the stop wakes the reader: " + read(stderr));
            assertTrue(systemd.await("STOPPING=1"::equals, 500).isPresent());
        } finally {
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
            }
            if (chrony != null) {
                chrony.close();
            }
        }
    }
}
