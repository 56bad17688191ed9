package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.PhcSample;
import org.pps2phc.os.UnixDatagramSocket;

/** The SOCK sink against a socket standing in for chronyd's: delivery, chronyd going away and coming back. */
class ChronySockSinkTest {
    @TempDir
    Path dir;

    @Test
    void reportsEachChangeOnceAndRecoversWhenChronydComesBack() throws Exception {
        String path = dir.resolve("refclock.sock").toString();
        List<SinkStatus> changes = new ArrayList<>();
        try (ChronySockSink sink = ChronySockSink.open(new ChronySockConfig(path), changes::add)) {
            assertFalse(sink.connected());
            try (UnixDatagramSocket chronyd = UnixDatagramSocket.bound(path)) {
                PhcSample sample = Samples.now();
                sink.publish(sample);
                byte[] got = chronyd.receive(100, 1000).orElseThrow();
                assertArrayEquals(SockSample.of(sample, Timescale.UTC).encode(), got);
                assertTrue(sink.connected());
            }
            // chronyd stopped: its socket is gone; ten samples, one report
            for (int i = 0; i < 10; i++) {
                sink.publish(Samples.now());
            }
            assertFalse(sink.connected());
            assertEquals(2, changes.size(), changes.toString());
            assertTrue(changes.get(1).detail().contains("ENOENT"), changes.get(1).detail());
            assertTrue(sink.lastError().orElseThrow().contains("retrying with each sample"));
            // chronyd restarted: a new socket at the same path, found by the next sample
            try (UnixDatagramSocket chronyd = UnixDatagramSocket.bound(path)) {
                sink.publish(Samples.now());
                assertTrue(chronyd.receive(100, 1000).isPresent());
                assertTrue(sink.connected());
            }
            assertEquals(3, changes.size(), changes.toString());
            assertEquals(List.of(true, false, true), changes.stream().map(SinkStatus::delivering).toList());
            assertEquals(2, sink.sent());
        }
    }
}
