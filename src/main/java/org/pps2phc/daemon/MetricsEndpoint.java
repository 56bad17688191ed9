package org.pps2phc.daemon;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.pps2phc.config.Settings;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.port.MonotonicClock;
import org.pps2phc.core.port.ObservationListener;
import org.pps2phc.core.port.SampleSink;
import org.pps2phc.metrics.DaemonMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Prometheus endpoint: {@link DaemonMetrics} fed by the daemon, served at /metrics on {@code metrics_address}
 * by the Prometheus client's HTTP server (the JDK's com.sun.net.httpserver) on one thread, "pps2phc-metrics", plus
 * the JDK server's dispatcher. Without metrics_address there are no metrics at all: nothing is kept, nothing
 * listens, and the client's classes are never loaded.
 */
final class MetricsEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger("pps2phc");

    private final InetSocketAddress address;
    private final DaemonMetrics metrics;
    private HTTPServer server;

    MetricsEndpoint(Settings settings) {
        Optional<InetSocketAddress> a = settings.metricsAddress();
        double accuracyNs = settings.ptp4l().clockAccuracyNs();
        this.address = a.orElse(null);
        this.metrics = a.isEmpty() ? null : new DaemonMetrics(DaemonMetrics.buildVersion(),
                accuracyNs < 0 ? OptionalDouble.empty() : OptionalDouble.of(accuracyNs));
    }

    /** {@code logger} and then the metrics, for the engine's observations. */
    ObservationListener alongside(ObservationListener logger) {
        if (metrics == null) {
            return logger;
        }
        return o -> {
            logger.observe(o);
            metrics.observe(o);
        };
    }

    List<SampleSink> counting(List<SampleSink> sinks, MonotonicClock clock) {
        return metrics == null ? sinks : metrics.counting(sinks, clock);
    }

    void snapshot(Snapshot snap, long monoNs) {
        if (metrics != null) {
            metrics.snapshot(snap, monoNs);
        }
    }

    void ptp4l(Ptp4lUpdater.Announcement announced) {
        if (metrics != null) {
            metrics.ptp4l(announced.clockClass(), announced.confirmed());
        }
    }

    /** Starts serving when metrics_address is set. @throws UserError 69 when the address cannot be bound */
    void start() {
        if (metrics == null) {
            return;
        }
        InetSocketAddress a = address;
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pps2phc-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            server = HTTPServer.builder().inetAddress(a.getAddress()).port(a.getPort()).registry(metrics.registry())
                    .executorService(executor).buildAndStart();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UserError(ExitCodes.UNAVAILABLE, "metrics_address " + a.getHostString() + ":" + a.getPort()
                    + ": cannot listen: " + e.getMessage() + " (pick a free port, or leave metrics_address unset)");
        }
        LOG.info(Priorities.NOTICE, "Prometheus metrics at http://{}/metrics", hostPort(a, server.getPort()));
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static String hostPort(InetSocketAddress a, int port) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
