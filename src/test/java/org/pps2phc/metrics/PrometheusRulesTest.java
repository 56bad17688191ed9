package org.pps2phc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * conf/prometheus/pps2phc-rules.yml as Prometheus reads it: {@code promtool check rules}, then
 * {@code promtool test rules} with src/test/resources/prometheus/pps2phc-rules-test.yml (each alert fires on the
 * target that misbehaves, only after its {@code for:}, and on no other). promtool: Debian's prometheus package
 * (scripts/test-deps.d/70-prometheus.sh).
 */
class PrometheusRulesTest {
    @Test
    void theRulesFileIsValid() throws Exception {
        String out = promtool("check", "rules", MonitoringFiles.RULES.toString());
        assertTrue(out.contains("SUCCESS: 9 rules found"), out);
    }

    @Test
    void everyAlertFiresWhenItShouldAndOnlyThen() throws Exception {
        String out = promtool("test", "rules", "src/test/resources/prometheus/pps2phc-rules-test.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    /** Runs promtool and returns its output; fails the test unless it exits 0. */
    static String promtool(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "promtool";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, p.exitValue(), String.join(" ", cmd) + ":\n" + out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
