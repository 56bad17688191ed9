package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.metrics.MonitoringFiles;
import org.pps2phc.ntpshm.TestSupport;

/**
 * A real Prometheus (Debian's, scripts/test-deps.d/70-prometheus.sh) on its own port, data directory and config
 * scrapes {@code pps2phc run --simulate} every second, with the shipped alert rules loaded: the state and the offset
 * read back through Prometheus's HTTP API are the daemon's; every dashboard query and every rule evaluates without
 * error on the scraped series. Ports 12520 (pps2phc) and 12521 (Prometheus).
 */
class PrometheusScrapesDaemonTest {
    private static final int METRICS_PORT = 12520;
    private static final int PROMETHEUS_PORT = 12521;
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.e+]+,\"([^\"]+)\"\\]");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((\\w+), \\w+\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void prometheusReadsTheStateAndTheOffsetOfTheSimulatedDaemon(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pps2phc.conf");
        // no outputs: a simulated daemon must not write into the machine's NTP SHM segment 0
        Files.writeString(conf, "[global]\nstatus_dir " + dir.resolve("status") + "\nntpshm_segment -1\n"
                + "metrics_address 127.0.0.1:" + METRICS_PORT + "\n");
        Path promConf = dir.resolve("prometheus.yml");
        Files.writeString(promConf, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "rule_files:\n  - " + MonitoringFiles.RULES.toAbsolutePath() + "\n"
                + "scrape_configs:\n  - job_name: pps2phc\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + METRICS_PORT + "']\n");
        Process daemon = DaemonProcessTest.start(dir, Map.of(), "run", "--simulate", "-f", conf.toString(),
                "--scenario", "e810-gpsdo");
        Process prometheus = null;
        try {
            prometheus = new ProcessBuilder("prometheus", "--config.file=" + promConf,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Process prom = prometheus;
            TestSupport.await(90, 500, () -> {
                if (!daemon.isAlive()) {
                    return "pps2phc exited: " + DaemonProcessTest.stderr(dir);
                }
                if (!prom.isAlive()) {
                    return "prometheus exited: " + log(dir);
                }
                String locked = value("pps2phc_state{job=\"pps2phc\",state=\"locked\"}");
                return "1".equals(locked) ? null : "Prometheus has pps2phc_state{state=\"locked\"} " + locked;
            });
            assertEquals("1", value("up{job=\"pps2phc\"}"));
            assertEquals("0", value("pps2phc_state{state=\"acquiring\"}"));
            double offset = Double.parseDouble(value("pps2phc_offset_seconds"));
            assertTrue(Math.abs(offset) < 1e-6, "a locked simulated PHC is within 1 us, Prometheus read " + offset);
            assertEquals("1", value("pps2phc_time_of_day_trusted"));
            assertEquals("37", value("pps2phc_tai_utc_offset_seconds"));
            assertTrue(Double.parseDouble(value("pps2phc_pulses_total{verdict=\"accepted\"}")) >= 3);

            for (String expr : MonitoringFiles.dashboardExpressions()) {
                // Grafana's label_values(METRIC, LABEL) is no PromQL: the variable needs METRIC's series
                Matcher variable = LABEL_VALUES.matcher(expr);
                String promql = variable.matches() ? variable.group(1)
                        : expr.replace("$instance", ".+").replace("$__rate_interval", "1m");
                String body = query(promql);
                assertTrue(body.contains("\"status\":\"success\""), expr + ": " + body);
                if (variable.matches()) {
                    assertTrue(body.contains("\"instance\":\"127.0.0.1:" + METRICS_PORT + "\""), body);
                }
            }
            String rules = get("/api/v1/rules");
            assertEquals(9, count(rules, "\"health\":\"ok\""), "every rule evaluates: " + rules);
        } finally {
            if (prometheus != null) {
                stop(prometheus);
            }
            stop(daemon);
        }
    }

    /** The single sample's value of an instant query, or null when it has none (yet). */
    private static String value(String expr) {
        try {
            Matcher m = VALUE.matcher(query(expr));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null; // Prometheus not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String query(String expr) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + path))
                .timeout(Duration.ofSeconds(5)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "";
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
