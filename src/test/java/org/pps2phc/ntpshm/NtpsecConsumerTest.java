package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ntpd from ntpsec reads pps2phc's samples through the shipped refclock line. ntpsec conflicts with the chrony
 * package, so the test runs the ntpd and ntpq that scripts/test-deps.d/40-ntpsec.sh extracted from its .deb, in a
 * network namespace of its own (so it binds no port of the machine), with {@code disable ntp} so that it never
 * touches the clock. The SHM segment is shared through the host's IPC namespace, on unit 45.
 */
class NtpsecConsumerTest {
    private static final String NTPSEC = "/var/cache/pps2phc-test/ntpsec";
    private static final int UNIT = 45;
    /** ntpq shows reference - system, in ms. */
    private static final double EXPECTED_MS = Samples.PHC_AHEAD_NS / 1e6;
    private static final double TOLERANCE_MS = 0.020;

    @TempDir
    Path dir;
    private Process ntpd;
    private ScheduledExecutorService publisher;
    private NtpShmSink sink;

    @BeforeEach
    @AfterEach
    void cleanSegment() {
        TestSupport.removeSegment(UNIT);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (publisher != null) {
            publisher.shutdownNow();
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        }
        TestSupport.stop(ntpd);
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void ntpqShowsTheShmRefclockReachableAtThePhcOffset() throws Exception {
        String why = "(scripts/test-deps.d/40-ntpsec.sh extracts it from the Debian package ntpsec)";
        Path ntpdBin = TestSupport.require(NTPSEC + "/usr/sbin/ntpd", "ntpsec " + why);
        Path ntpq = TestSupport.require(NTPSEC + "/usr/bin/ntpq", "ntpsec " + why);
        assertTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/ntp")),
                "ntpq needs the Debian package python3-ntp (scripts/test-deps.d/40-ntpsec.sh installs it)");
        TestSupport.require("/usr/bin/unshare", "util-linux");
        TestSupport.require("/usr/bin/nsenter", "util-linux");
        Path ip = TestSupport.require("/sbin/ip", "iproute2");

        sink = NtpShmSink.open(new NtpShmConfig(UNIT));
        assertTrue(sink.createdSegment(), "pps2phc creates the segment before ntpd starts");

        StringBuilder conf = new StringBuilder("disable ntp\ndisable kernel\nrestrict default\nrestrict 127.0.0.1\n");
        int refclocks = 0;
        for (String line : TestSupport.confLines("ntpsec-pps2phc.conf")) {
            if (line.startsWith("refclock shm unit 0 ")) {
                line = line.replace("unit 0 ", "unit " + UNIT + " ");
                refclocks++;
            }
            conf.append(line).append('\n');
        }
        assertEquals(1, refclocks, "ntpsec-pps2phc.conf should hold one 'refclock shm unit 0' line");
        Path confFile = dir.resolve("ntp.conf");
        Files.writeString(confFile, conf);
        Path log = dir.resolve("ntpd.log");
        // unshare execs sh, which execs ntpd: the process we hold is ntpd, and its namespace is the one to enter
        ntpd = new ProcessBuilder("unshare", "-n", "--", "sh", "-c", ip + " link set lo up && exec " + ntpdBin
                + " -n -c " + confFile + " -l " + log)
                .redirectErrorStream(true).redirectOutput(dir.resolve("ntpd.out").toFile()).start();

        publisher = Executors.newSingleThreadScheduledExecutor();
        publisher.scheduleAtFixedRate(() -> sink.publish(Samples.now()), 0, 1, TimeUnit.SECONDS);

        String netns = "--net=/proc/" + ntpd.pid() + "/ns/net";
        String[] last = {""};
        TestSupport.await(90, 2000, () -> {
            try {
                if (!ntpd.isAlive()) {
                    return "ntpd exited: " + TestSupport.readOrEmpty(log) + TestSupport.readOrEmpty(dir.resolve("ntpd.out"));
                }
                TestSupport.Result r = TestSupport.run(15, "nsenter", netns, ntpq.toString(), "-n", "-p", "127.0.0.1");
                last[0] = r.output();
                String peers = checkPeers(r.output());
                if (peers != null) {
                    return peers;
                }
                // ntpd (unlike chrony) takes the sample's precision field: the 400 ns bracket is 2^-21 s
                TestSupport.Result rv = TestSupport.run(15, "nsenter", netns, ntpq.toString(), "-n", "-c",
                        "rv &1 precision", "127.0.0.1");
                return rv.output().contains("precision=" + ShmTime.precision(Samples.BRACKET_NS)) ? null
                        : "peer precision is not " + ShmTime.precision(Samples.BRACKET_NS) + ": " + rv.output();
            } catch (Exception e) {
                return "ntpq: " + e;
            }
        });
        assertTrue(sink.segmentInfo().attached() >= 2, "ntpd is attached to pps2phc's segment");
    }

    /** null when the SHM line is reached at the expected offset, else why not. */
    private static String checkPeers(String ntpqOutput) {
        // remote refid st t when poll reach delay offset jitter; the first column carries a tally character. The
        // remote is the refclock's name, or, when ntpq's query for the name went unanswered (a loaded machine),
        // its address: 127.127.28.N is the SHM driver's (type 28) unit N.
        for (String line : ntpqOutput.split("\n")) {
            String remote = line.length() > 1 ? line.substring(1) : "";
            if (remote.startsWith("SHM(" + UNIT + ")") || remote.startsWith("127.127.28." + UNIT + " ")) {
                String[] f = line.substring(1).trim().split("\\s+");
                if (f.length < 10) {
                    return "short line: " + line;
                }
                if (Integer.parseInt(f[6], 8) == 0) {
                    return "SHM(" + UNIT + ") not reached yet: " + line;
                }
                double offsetMs = Double.parseDouble(f[8]);
                if (Math.abs(offsetMs - EXPECTED_MS) > TOLERANCE_MS) {
                    return "SHM(" + UNIT + ") offset " + offsetMs + " ms, expected " + EXPECTED_MS + ": " + line;
                }
                return null;
            }
        }
        return "no SHM(" + UNIT + ") line in ntpq -p:\n" + ntpqOutput;
    }
}
