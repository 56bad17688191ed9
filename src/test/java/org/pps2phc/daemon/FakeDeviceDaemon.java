package org.pps2phc.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.pps2phc.cli.Main;
import org.pps2phc.linux.FakeKernel;
import org.pps2phc.os.NativeLibraries;

/**
 * {@code pps2phc run -f CONF} as a child process on the fake kernel's /dev/ptp42 (a 100 ms pulse at the top of each
 * second, a PHC 37.3 s ahead drifting 20 ppm), under a systemd notify socket, with stderr and stdout in
 * {@code dir}.
 */
final class FakeDeviceDaemon {
    private FakeDeviceDaemon() {
    }

    static Process start(FakeKernel kernel, Path conf, NotifyReceiver systemd, Path stderr, Path dir)
            throws IOException {
        return start(kernel, conf, systemd, stderr, dir, false);
    }

    /** @param bothEdges the NIC stamps both edges of each pulse (an Intel i210) */
    static Process start(FakeKernel kernel, Path conf, NotifyReceiver systemd, Path stderr, Path dir,
                         boolean bothEdges) throws IOException {
        return start(kernel, conf, systemd, stderr, dir, bothEdges, Map.of());
    }

    /** @param env more of the fake kernel's settings (FAKE_PTP_ADJTIMEX: the system clock's state) */
    static Process start(FakeKernel kernel, Path conf, NotifyReceiver systemd, Path stderr, Path dir,
                         boolean bothEdges, Map<String, String> env) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
                "-D" + NativeLibraries.LIBC_PROPERTY + "=" + kernel.library(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                Main.class.getName(), "run", "-f", conf.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile())
                .redirectOutput(dir.resolve("stdout").toFile());
        pb.environment().put("NOTIFY_SOCKET", systemd.name());
        pb.environment().put("JOURNAL_STREAM", "8:4242");
        pb.environment().remove("WATCHDOG_USEC");
        pb.environment().put("FAKE_PTP_DEVICE", "/dev/ptp42");
        pb.environment().put("FAKE_PTP_PPS_WIDTH_NS", "100000000");
        pb.environment().put("FAKE_PTP_DRIFT_PPB", "20000");
        pb.environment().put("FAKE_PTP_PHC_OFFSET_NS", "37300000000");
        if (bothEdges) {
            pb.environment().put("FAKE_PTP_EDGES", "both");
        }
        pb.environment().putAll(env);
        return pb.start();
    }
}
