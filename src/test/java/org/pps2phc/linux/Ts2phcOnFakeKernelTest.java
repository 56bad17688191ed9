package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's ts2phc runs on the fake kernel (LD_PRELOAD) in a world, as scripts/peer-benchmark.sh runs it: it opens
 * the fake /dev/ptpN, arms both edges, labels pulses through adjtimex(ADJ_NANO) (answered by the fake), steps and
 * locks; the fake's ground truth shows its true error.
 */
class Ts2phcOnFakeKernelTest {
    private static final Path TS2PHC = Path.of("/usr/sbin/ts2phc");

    @Test
    void ts2phcLocksItsFakePhcInAWorld(@TempDir Path dir) throws Exception {
        assertTrue(Files.isExecutable(TS2PHC), "ts2phc is missing: install linuxptp (scripts/install-test-deps.sh)");
        Path lib = NativeBuild.sharedLibrary("fake_ptp.c");
        Path cfg = dir.resolve("ts2phc.cfg");
        Files.writeString(cfg, String.join("\n", "[global]", "use_syslog 0", "verbose 1", "logging_level 7",
                "ts2phc.pulsewidth 100000000", "[/dev/ptp7]", "ts2phc.extts_polarity both", ""));
        Path truth = dir.resolve("truth");
        Path log = dir.resolve("ts2phc.log");
        ProcessBuilder pb = new ProcessBuilder(TS2PHC.toString(), "-s", "generic", "-f", cfg.toString(), "-c",
                "/dev/ptp7").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LD_PRELOAD", lib.toString());
        pb.environment().put("FAKE_PTP_DEVICE", "/dev/ptp7");
        pb.environment().put("FAKE_PTP_EDGES", "both");
        pb.environment().put("FAKE_PTP_WORLD", "seed=1 osc.freq_ppb=23700 osc.rw_ppb_per_sqrt_s=0.02 "
                + "pps.jitter_ns=4 pps.width_ms=100");
        pb.environment().put("FAKE_PTP_TRUTH", truth.toString());
        Process ts2phc = pb.start();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            int locked = 0;
            while (locked < 3 && System.nanoTime() < deadline && ts2phc.isAlive()) {
                Thread.sleep(500);
                locked = lockedSecondsAtTheEnd(truth);
            }
            String out = Files.readString(log);
            assertTrue(locked >= 3, "ts2phc holds its fake PHC within 100 ns of true time:\n" + out);
            assertTrue(Files.readString(truth).contains("# armed "), "the arming is in the ground truth");
            assertTrue(out.contains("master offset"), out);
        } finally {
            ts2phc.destroy();
            if (!ts2phc.waitFor(10, TimeUnit.SECONDS)) {
                ts2phc.destroyForcibly();
            }
        }
    }

    /** How many of the last seconds of ground truth are within 100 ns. */
    private static int lockedSecondsAtTheEnd(Path truth) throws Exception {
        if (!Files.exists(truth)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(truth);
        int n = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.startsWith("#")) {
                continue;
            }
            String[] f = l.trim().split(" ");
            if (f.length != 2 || Math.abs(Double.parseDouble(f[1])) >= 100) {
                break;
            }
            n++;
        }
        return n;
    }
}
