package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.cli.Main;
import org.pps2phc.linux.FakeKernel;
import org.pps2phc.os.PseudoTerminal;
import org.pps2phc.os.UnixDatagramSocket;

/**
 * {@code pps2phc run} with the GNSS receiver as its time of day and no chronyd at all: the fake kernel's PHC with a
 * 1 Hz PPS at the top of each second of this machine's clock, and a pty whose far end this test writes as a u-blox
 * receiver at 9600 baud would (a burst 120 ms after each pulse, each sentence when its last byte would arrive).
 * The receiver's UTC is 1000 days ahead of the system clock, as on a grandmaster whose RTC is wrong: the PHC must
 * still take the receiver's seconds, which the chrony SOCK samples show as the system clock's offset.
 */
class ReceiverEndToEndTest {
    private static final long S = 1_000_000_000L;
    private static final long AHEAD_S = 1000L * 86_400;
    private static final int BAUD = 9600;
    /** In this test's range (12600-12699). */
    private static final int GPSD_PORT = 12600;
    /** The kernel says the system clock is not synchronised (STA_UNSYNC), as on a grandmaster with a wrong RTC. */
    private static final Map<String, String> UNSYNCHRONISED = Map.of("FAKE_PTP_ADJTIMEX", "64,16000000");

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static byte[] nmea(String body) {
        int sum = 0;
        for (byte b : body.getBytes(StandardCharsets.US_ASCII)) {
            sum ^= b & 0xFF;
        }
        return String.format("$%s*%02X\r\n", body, sum).getBytes(StandardCharsets.US_ASCII);
    }

    /** RMC, a GSV-sized sentence and GGA for the receiver's UTC second {@code utc}. */
    private static List<byte[]> burst(long utc) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(utc, 0, ZoneOffset.UTC);
        String hms = String.format("%02d%02d%02d.00", t.getHour(), t.getMinute(), t.getSecond());
        String date = String.format("%02d%02d%02d", t.getDayOfMonth(), t.getMonthValue(), t.getYear() % 100);
        return List.of(nmea("GNRMC," + hms + ",A,4717.11399,N,00833.91590,E,0.004,77.52," + date + ",,,A,V"),
                nmea("GPGSV,3,1,11,07,79,048,42,02,51,062,43,26,36,256,42,27,27,138,42"),
                nmea("GNGGA," + hms + ",4717.11399,N,00833.91590,E,1,08,1.01,499.6,M,48.0,M,,"));
    }

    private static long nowNs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * S + i.getNano();
    }

    private static void sleepUntil(long realtimeNs) throws InterruptedException {
        long left = realtimeNs - nowNs();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Writes one burst per second, {@code startNs} after the pulse, paced at the baud rate, until interrupted. */
    private static void receiver(PseudoTerminal pty, long startNs) {
        receiver(pty, startNs, AHEAD_S);
    }

    /** The same, the receiver's UTC {@code aheadS} ahead of the system clock. */
    private static void receiver(PseudoTerminal pty, long startNs, long aheadS) {
        long byteNs = 10 * S / BAUD;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long second = Math.floorDiv(nowNs() - startNs, S) + 1; // the next pulse whose burst is to come
                long t = second * S + startNs;
                for (byte[] sentence : burst(second + aheadS)) {
                    t += sentence.length * byteNs;
                    sleepUntil(t);
                    pty.write(sentence);
                }
            }
        } catch (InterruptedException | IOException e) {
            // stopping
        }
    }

    @Test
    void locksOnTheReceiversSecondsWithNoChronydAndASystemClockThatIsWrong(@TempDir Path dir) throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            locks(dir, pty, List.of("ts2phc.tod_source nmea", "ts2phc.nmea_serialport " + pty.path(),
                    "ts2phc.nmea_baudrate " + BAUD), ", time of day from the receiver on " + pty.path(),
                    "trusted (GNSS " + pty.path(), false);
        }
    }

    /**
     * ts2phc's case on an i210, for real: the NIC stamps both edges of the 100 ms pulse, no pulse width is
     * configured, and the RMC is complete 150 ms after the pulse (its burst starts before the trailing edge).
     */
    @Test
    void locksOnTheLeadingEdgeOfADualEdgeNicWithTheRmcCompleteAfterTheTrailingEdge(@TempDir Path dir)
            throws Exception {
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            locks(dir, pty, List.of("ts2phc.tod_source nmea", "ts2phc.nmea_serialport " + pty.path(),
                    "ts2phc.nmea_baudrate " + BAUD), ", time of day from the receiver on " + pty.path(),
                    "trusted (GNSS " + pty.path(), true);
            assertTrue(read(dir.resolve("stderr")).contains("both edges"), read(dir.resolve("stderr")));
        }
    }

    /**
     * The same through Debian's gpsd 3.22, started here on its own port, read-only, in its own IPC namespace (as
     * root it would attach NTP SHM units 0-7), reading the pty: pps2phc pairs gpsd's TOFF reports with the pulses.
     */
    @Test
    void locksOnGpsdsTimeWithNoChronyd(@TempDir Path dir) throws Exception {
        Path gpsd = Path.of("/usr/sbin/gpsd");
        assertTrue(Files.isExecutable(gpsd), "gpsd is missing: run scripts/install-test-deps.sh");
        Process g = null;
        try (PseudoTerminal pty = PseudoTerminal.open()) {
            g = new ProcessBuilder("unshare", "--ipc", gpsd.toString(), "-N", "-n", "-b", "-S",
                    Integer.toString(GPSD_PORT), "-F", dir.resolve("gpsd.sock").toString(), pty.path())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("gpsd.log").toFile()).start();
            locks(dir, pty, List.of("ts2phc.tod_source gpsd", "gpsd_address 127.0.0.1:" + GPSD_PORT),
                    ", time of day from gpsd at 127.0.0.1:" + GPSD_PORT, "trusted (gpsd 127.0.0.1:" + GPSD_PORT,
                    false);
        } finally {
            if (g != null) {
                g.destroy();
                if (!g.waitFor(5, TimeUnit.SECONDS)) {
                    g.destroyForcibly();
                }
            }
        }
    }

    /**
     * gpsd's failure, here: the messages start 1.2 s after their pulse and nmea_delay is unset, so each burst is
     * paired with the next pulse, steadily, and would name it one second low. The system clock is synchronised
     * (the kernel says within 5 ms) and shows the whole second: the daemon never takes that second, and says why.
     */
    @Test
    void neverTakesASecondOneLowFromMessagesMoreThanASecondLate(@TempDir Path dir) throws Exception {
        Path statusDir = dir.resolve("status");
        Path conf = dir.resolve("pps2phc.conf");
        Path stderr = dir.resolve("stderr");
        Process daemon = null;
        Thread writer = null;
        try (PseudoTerminal pty = PseudoTerminal.open(); FakeKernel kernel = FakeKernel.install();
             NotifyReceiver systemd = NotifyReceiver.abstractSocket()) {
            Files.writeString(conf, String.join("\n", "[global]", "status_dir " + statusDir, "ntpshm_segment -1",
                    "lock_count 4", "ts2phc.tod_source nmea", "ts2phc.nmea_serialport " + pty.path(),
                    "ts2phc.nmea_baudrate " + BAUD, "[/dev/ptp42]", "ts2phc.channel 0", ""));
            writer = new Thread(() -> receiver(pty, 1_200_000_000L, 0), "receiver");
            writer.start();
            daemon = FakeDeviceDaemon.start(kernel, conf, systemd, stderr, dir, false,
                    Map.of("FAKE_PTP_ADJTIMEX", "0,5000"));
            assertTrue(systemd.await("READY=1"::equals, 30_000).isPresent(), "READY=1: " + read(stderr));
            String expected = "messages appear more than a second late: set ts2phc.nmea_delay to their least delay"
                    + " (the system clock, synchronised within 5 ms, puts the receiver's seconds 1 s low)";
            // 12 pairings: long enough for a wrong second to be trusted (3), anchored and locked on (lock_count 4)
            StatusFile file = new StatusFile(statusDir);
            Optional<DaemonStatus> status = Optional.empty();
            long deadline = System.nanoTime() + 40 * S;
            java.util.function.Predicate<DaemonStatus> seen = x -> x.tod().contains(expected)
                    && x.receiver().map(r -> r.pairings() >= 12).orElse(false);
            while (System.nanoTime() < deadline && !status.map(seen::test).orElse(false)) {
                TimeUnit.MILLISECONDS.sleep(200);
                status = file.read().map(DaemonStatus::fromJson);
            }
            assertTrue(status.map(seen::test).orElse(false), status + "\n" + read(stderr));
            assertTrue(!status.get().state().equals("locked"), status.get().state());
            assertTrue(read(stderr).contains(expected), "logged: " + read(stderr));
            assertEquals(0, systemd.count(l -> l.startsWith("STATUS=locked")), "never locks: " + read(stderr));
        } finally {
            if (writer != null) {
                writer.interrupt();
                writer.join(2000);
            }
            if (daemon != null) {
                daemon.destroy();
                if (!daemon.waitFor(5, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly();
                }
            }
        }
    }

    private void locks(Path dir, PseudoTerminal pty, List<String> todLines, String started, String statusTod,
                       boolean bothEdges) throws Exception {
        Path statusDir = dir.resolve("status");
        Path sock = dir.resolve("refclock.sock");
        Path conf = dir.resolve("pps2phc.conf");
        Path stderr = dir.resolve("stderr");
        Process daemon = null;
        Thread writer = null;
        try (FakeKernel kernel = FakeKernel.install();
             NotifyReceiver systemd = NotifyReceiver.abstractSocket();
             UnixDatagramSocket chronySock = UnixDatagramSocket.bound(sock.toString())) {
            List<String> lines = new java.util.ArrayList<>(List.of("[global]", "status_dir " + statusDir,
                    "ntpshm_segment -1", "sock_path " + sock, "lock_count 4", "summary_interval 2"));
            lines.addAll(todLines);
            lines.addAll(List.of("[/dev/ptp42]", "ts2phc.channel 0", ""));
            Files.writeString(conf, String.join("\n", lines));
            long startNs = bothEdges ? 150_000_000L - burst(0).get(0).length * (10 * S / BAUD) : 120_000_000L;
            writer = new Thread(() -> receiver(pty, startNs), "receiver");
            writer.start();
            daemon = FakeDeviceDaemon.start(kernel, conf, systemd, stderr, dir, bothEdges, UNSYNCHRONISED);

            Optional<Long> ready = systemd.await("READY=1"::equals, 30_000);
            assertTrue(ready.isPresent(), "READY=1: " + read(stderr));
            assertTrue(read(stderr).contains(started), read(stderr));
            assertTrue(systemd.await(l -> l.startsWith("STATUS=locked, "), 40_000).isPresent(),
                    "locks on the receiver's seconds: " + read(stderr));

            // the samples say the system clock is 1000 days behind the PHC's UTC: the receiver's seconds
            double offset = Double.NaN;
            long deadline = System.nanoTime() + 5 * S;
            while (Double.isNaN(offset) && System.nanoTime() < deadline) {
                Optional<byte[]> d = chronySock.receive(64, 200);
                if (d.isPresent() && d.get().length == 40) {
                    offset = ByteBuffer.wrap(d.get()).order(ByteOrder.nativeOrder()).getDouble(16);
                }
            }
            assertEquals(AHEAD_S, offset, 0.001, "SOCK offset: " + offset + "\n" + read(stderr));

            StringWriter out = new StringWriter();
            var cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertEquals(0, cl.execute("status", "--status-dir", statusDir.toString()));
            assertTrue(out.toString().contains("time of day:  " + statusTod), out.toString());
            assertTrue(out.toString().contains("system clock -86400000.0"), out.toString());

            // 'pps2phc tod' shows the daemon's pairing: the messages' delay after the pulse
            StringWriter tod = new StringWriter();
            cl.setOut(new PrintWriter(tod));
            assertEquals(0, cl.execute("tod", "-f", conf.toString()), tod.toString());
            assertTrue(tod.toString().contains(" ms after the pulse ("), tod.toString());
            if (todLines.contains("ts2phc.tod_source nmea")) { // the burst's first byte, as the writer sent it
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("Pulse delay: +([0-9.]+) ms")
                        .matcher(tod.toString());
                assertTrue(m.find(), tod.toString());
                double delayMs = Double.parseDouble(m.group(1));
                assertTrue(delayMs >= startNs / 1e6 - 1 && delayMs < startNs / 1e6 + 50, tod.toString());
            }

            daemon.destroy();
            assertTrue(daemon.waitFor(5, TimeUnit.SECONDS), "exit after SIGTERM");
            assertEquals(0, daemon.exitValue(), read(stderr));
        } finally {
            if (writer != null) {
                writer.interrupt();
                writer.join(2000);
            }
            if (daemon != null && daemon.isAlive()) {
                daemon.destroyForcibly();
            }
        }
    }
}
