package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.core.EdgeMode;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.Snapshot;
import org.pps2phc.core.State;
import org.pps2phc.core.TodVerdict;
import org.pps2phc.core.port.ObservationListener;

/** metrics_address: off unless set, served while started, a busy port is one line and exit code 69. Ports 12522-12524. */
class MetricsEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void withoutTheKeyNothingIsKeptAndTheLoggerIsTheOnlyListener() {
        MetricsEndpoint endpoint = new MetricsEndpoint(Settings.defaults());
        ObservationListener logger = o -> { };
        assertSame(logger, endpoint.alongside(logger));
        endpoint.start();
        endpoint.stop();
    }

    @Test
    void servesWhatTheDaemonFeedsItUntilStopped() throws Exception {
        MetricsEndpoint endpoint = new MetricsEndpoint(Settings.parse("p.conf",
                List.of("metrics_address 127.0.0.1:12522")));
        endpoint.start();
        try {
            endpoint.alongside(o -> { }).observe(new Observation.Pulse(0, 0, 0, PulseVerdict.ACCEPTED, 1, -42, 3,
                    State.LOCKED, "s2"));
            endpoint.snapshot(new Snapshot(State.LOCKED, 0, -42, 3, TodVerdict.trusted(1e6, LeapState.fixed(37, "t"),
                    "sim"), 0, 1, 0, 0, 0, EdgeMode.SINGLE, 0, "kalman", 30, "anchored"), 1_000_000_000L);
            endpoint.ptp4l(new Ptp4lUpdater.Announcement(6, true));
            String text = get(12522, "/metrics");
            assertTrue(text.contains("pps2phc_state{state=\"locked\"} 1.0"), text);
            assertTrue(text.contains("pps2phc_offset_seconds -4.2E-8"), text);
            assertTrue(text.contains("pps2phc_ptp4l_clock_class 6.0"), text);
            assertTrue(text.contains("pps2phc_ptp4l_confirmed 1.0"), text);
        } finally {
            endpoint.stop();
        }
        assertThrows(ConnectException.class, () -> get(12522, "/metrics"));
    }

    @Test
    void aBusyPortIsOneLineAndExitCode69() throws Exception {
        try (ServerSocket busy = new ServerSocket(12523, 1, InetAddress.getLoopbackAddress())) {
            MetricsEndpoint endpoint = new MetricsEndpoint(Settings.parse("p.conf",
                    List.of("metrics_address 127.0.0.1:12523")));
            UserError e = assertThrows(UserError.class, endpoint::start);
            assertEquals(ExitCodes.UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().startsWith("metrics_address 127.0.0.1:12523: cannot listen: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void anAddressWithoutAPortIsRefusedWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.parse("p.conf",
                List.of("[global]", "metrics_address localhost")));
        assertEquals(1, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("p.conf:2: "), e.problems().get(0));
        assertTrue(e.problems().get(0).contains("no port (use e.g. 127.0.0.1:9720)"), e.problems().get(0));
    }
}
