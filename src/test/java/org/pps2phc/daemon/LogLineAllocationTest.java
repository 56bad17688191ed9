package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.LoggingSettings;
import org.pps2phc.core.Observation;
import org.pps2phc.core.PulseVerdict;
import org.pps2phc.core.State;

/**
 * What the pulse's log line allocates, from the observation to the bytes handed to standard error, as the daemon
 * logs under the journal by default (one info line a pulse): the bytes this thread allocated, counted by the JVM.
 * Logback's own share (its event, the message's String and its bytes) stays; the budget keeps ours from growing
 * back (696 bytes a line before the layout and the pulse line reused their builders, 376 after).
 */
class LogLineAllocationTest {
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 5_000;
    /** Bytes a pulse line may allocate. */
    private static final long BUDGET_PER_LINE = 500;

    @Test
    void aPulseLineAllocatesLittleMoreThanLogbacksEvent() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM counts allocated bytes per thread");
        LoggingSettings defaults = new LoggingSettings(6, "", "info", 1, 0);
        PrintStream saved = System.err;
        CountingStream out = new CountingStream();
        System.setErr(new PrintStream(out, false));
        long allocated = 0;
        try {
            LogControl.install(Map.of("JOURNAL_STREAM", "8:1"), defaults);
            ObservationLogger logger = new ObservationLogger("ptp0", defaults);
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                Observation.Pulse p = new Observation.Pulse(1, i * 1_000_000_000L, i * 1_000_000_000L,
                        PulseVerdict.ACCEPTED, 0, i % 40 - 20, 23712, State.LOCKED, "s2");
                long before = threads.getCurrentThreadAllocatedBytes();
                logger.observe(p);
                long after = threads.getCurrentThreadAllocatedBytes();
                if (i >= WARM_UP) {
                    allocated += after - before;
                }
            }
        } finally {
            System.setErr(saved);
        }
        assertEquals(WARM_UP + MEASURED, out.lines, "one line a pulse");
        long perLine = allocated / MEASURED;
        assertTrue(perLine < BUDGET_PER_LINE, "a pulse line allocated " + perLine + " bytes (budget "
                + BUDGET_PER_LINE + ")");
    }

    /** Counts the lines written, keeps nothing (a growing buffer would be counted as the line's). */
    private static final class CountingStream extends OutputStream {
        private int lines;

        @Override
        public void write(int b) {
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
