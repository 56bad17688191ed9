package org.pps2phc.chrony;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.pps2phc.os.UnixDatagramSocket;

/**
 * A real chronyd for one test: its own config, command port (from the range of the test's area: chrony 11300-11399,
 * ntpshm 11400-11499, daemon 11500-11599), pidfile and drift file under the test's temporary directory, no NTP port
 * and no Unix command socket; started with -x (never touches the clock) and -d; stopped by PID in {@link #close()}.
 * Every test that needs a chronyd starts it here.
 */
public final class Chronyd implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/chronyd");
    public static final List<Duration> FAST = List.of(Duration.ofMillis(200), Duration.ofMillis(400));

    private final Path dir;
    private final int cmdport;
    private final Process process;

    private Chronyd(Path dir, int cmdport, Process process) {
        this.dir = dir;
        this.cmdport = cmdport;
        this.process = process;
    }

    /**
     * Starts chronyd with {@code body} (refclocks, local, ...) after the isolating lines, and waits until its
     * command port answers.
     */
    public static Chronyd start(Path dir, int cmdport, String... body) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " not found: install the Debian package 'chrony' "
                    + "(scripts/test-deps.d/30-chrony.sh)");
        }
        if ((cmdport < 11300 || cmdport > 11599) && (cmdport < 12300 || cmdport > 12399)) {
            throw new IllegalArgumentException("tests use chrony command ports 11300-11599 and 12300-12399");
        }
        List<String> conf = new ArrayList<>(List.of(
                "cmdport " + cmdport,
                "bindcmdaddress 127.0.0.1",
                "bindcmdaddress ::1",
                "bindcmdaddress /", // no Unix command socket
                "port 0", // no NTP server
                "pidfile " + dir.resolve("chronyd.pid"),
                "driftfile " + dir.resolve("chronyd.drift")));
        conf.addAll(List.of(body));
        Path confFile = dir.resolve("chrony.conf");
        Files.write(confFile, conf);
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-x", "-d", "-f", confFile.toString()));
        cmd.addAll(root ? List.of("-u", "root") : List.of("-U", "-u", System.getProperty("user.name")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("chronyd.log").toFile()).start();
        Chronyd c = new Chronyd(dir, cmdport, p);
        try {
            c.awaitAnswer();
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    public int port() {
        return cmdport;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), cmdport);
    }

    public CmdmonClient client() {
        return new CmdmonClient(address(), FAST);
    }

    public Path path(String name) {
        return dir.resolve(name);
    }

    private void awaitAnswer() throws InterruptedException {
        CmdmonClient c = client();
        poll(Duration.ofSeconds(10), () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("chronyd exited with " + process.exitValue() + ": " + log());
            }
            try {
                c.tracking();
                return true;
            } catch (ChronyException e) {
                return false;
            }
        }, "chronyd to answer on port " + cmdport);
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("chronyd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops this chronyd by its PID: SIGTERM, then SIGKILL if it lingers. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Calls {@code condition} every 100 ms until it holds; fails after {@code limit} naming {@code what}. */
    public static void poll(Duration limit, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** One sample for chrony's SOCK refclock: struct sock_sample, 40 bytes, native byte order. */
    public static byte[] sockSample(Instant systemTime, double offsetS, int leap) {
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
        b.putLong(systemTime.getEpochSecond());
        b.putLong(systemTime.getNano() / 1000);
        b.putDouble(offsetS);
        b.putInt(0); // pulse: a full time sample
        b.putInt(leap);
        b.putInt(0);
        b.putInt(0x534F434B);
        return b.array();
    }

    /** Sends a sample "true time = system time + offset" to the SOCK refclock at {@code socket}. */
    public static void feed(UnixDatagramSocket sender, Path socket, double offsetS) throws IOException {
        sender.send(socket.toString(), sockSample(Instant.now(), offsetS, 0));
    }
}
