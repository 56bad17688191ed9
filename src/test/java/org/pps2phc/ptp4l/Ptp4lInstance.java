package org.pps2phc.ptp4l;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real ptp4l for tests: its own config and uds_address in a temp dir, software timestamping on {@code lo} in a
 * network namespace of its own ({@code unshare -n}), {@code free_running 1} so no clock is ever adjusted. Stopped by
 * PID. Needs root (unshare) and Debian's linuxptp.
 */
final class Ptp4lInstance implements AutoCloseable {
    static final Path PTP4L = Path.of("/usr/sbin/ptp4l");
    static final Path PMC = Path.of("/usr/sbin/pmc");

    private final Path dir;
    private final int domainNumber;
    private final int transportSpecific;
    private final Path uds;
    private Process process;
    private int starts;

    Ptp4lInstance(Path dir, int domainNumber) {
        this(dir, domainNumber, 0);
    }

    Ptp4lInstance(Path dir, int domainNumber, int transportSpecific) {
        this.dir = dir;
        this.domainNumber = domainNumber;
        this.transportSpecific = transportSpecific;
        this.uds = dir.resolve("ptp4l");
    }

    static void requireLinuxptp() {
        if (!Files.isExecutable(PTP4L) || !Files.isExecutable(PMC)) {
            fail("ptp4l/pmc not found in /usr/sbin: install the Debian package linuxptp"
                    + " (scripts/test-deps.d/50-linuxptp.sh)");
        }
    }

    Path udsAddress() {
        return uds;
    }

    int domainNumber() {
        return domainNumber;
    }

    int transportSpecific() {
        return transportSpecific;
    }

    long pid() {
        return process.pid();
    }

    /** Writes ptp4l's config file (done by {@link #start()}; for tests that start ptp4l their own way). */
    Path writeConfig() throws IOException {
        Path config = dir.resolve("ptp4l.conf");
        Files.writeString(config, String.join("\n",
                "[global]",
                "uds_address " + uds,
                "domainNumber " + domainNumber,
                "transportSpecific " + transportSpecific,
                "free_running 1",
                "time_stamping software",
                "network_transport UDPv4",
                "masterOnly 1", // Debian 12 has linuxptp 3.1; 4.x still accepts it next to serverOnly
                "logAnnounceInterval -2",
                "announceReceiptTimeout 2",
                "use_syslog 0",
                "verbose 1",
                "logging_level 6",
                "message_tag ptp4l-test",
                "[lo]",
                ""));
        return config;
    }

    /** Starts ptp4l and waits until its management socket exists. */
    Ptp4lInstance start() throws IOException, InterruptedException {
        // unshare execs sh, sh execs ptp4l: the PID we hold is ptp4l's
        return start(List.of("/usr/bin/unshare", "-n"));
    }

    /**
     * Starts ptp4l in the network namespace of process {@code pid} (which the test made with {@code unshare -n}),
     * so that a program there reaches it by its abstract default reply address; waits for its management socket.
     */
    Ptp4lInstance startInNetworkNamespaceOf(long pid) throws IOException, InterruptedException {
        // nsenter execs sh, sh execs ptp4l: the PID we hold is ptp4l's
        return start(List.of("/usr/bin/nsenter", "-t", Long.toString(pid), "-n"));
    }

    private Ptp4lInstance start(List<String> namespace) throws IOException, InterruptedException {
        requireLinuxptp();
        Path config = writeConfig();
        Files.deleteIfExists(uds);
        starts++;
        Path log = dir.resolve("ptp4l." + starts + ".log");
        List<String> command = new java.util.ArrayList<>(namespace);
        command.addAll(List.of("/bin/sh", "-c",
                "PATH=/usr/sbin:/usr/bin:/sbin:/bin; ip link set lo up && exec " + PTP4L + " -f " + config));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(uds)) {
            if (!process.isAlive()) {
                fail("ptp4l exited with " + process.exitValue() + " before creating " + uds + ":\n" + log(log));
            }
            if (System.nanoTime() > deadline) {
                fail("ptp4l did not create " + uds + " within 10 s:\n" + log(log));
            }
            Thread.sleep(20);
        }
        return this;
    }

    /** Stops ptp4l by its PID (SIGTERM, then SIGKILL) and waits for it. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    String lastLog() {
        return log(dir.resolve("ptp4l." + starts + ".log"));
    }

    private static String log(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
