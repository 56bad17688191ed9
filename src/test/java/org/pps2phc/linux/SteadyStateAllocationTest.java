package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.ExttsEvent;

/**
 * What one pulse allocates on the Linux adapter's steady-state path (poll, read the event, cross-timestamp, dial the
 * frequency) through the real JNA bindings on the fake kernel: the bytes this thread allocated, counted by the JVM,
 * around those calls only. The budget is the few objects a pulse hands on (the event, its cross-timestamp, the
 * Optional) and JNA's per-call argument arrays; a Structure marshalled per call (what this replaced) was about
 * 100 kB a pulse.
 */
class SteadyStateAllocationTest {
    private static final int WARM_UP = 2_000;
    private static final int MEASURED = 1_000;
    /** Bytes a pulse may allocate; measured 451 here (137 810 before the adapter reused its native memory). */
    private static final long BUDGET_PER_PULSE = 2_000;

    @TempDir
    Path dir;
    private FakeKernel fake;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeKernel.install();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void aPulseThroughTheAdapterAllocatesAlmostNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM counts allocated bytes per thread");
        String path = Files.createFile(dir.resolve("ptp0")).toString();
        int dev = fake.create(path, 1, 0, 500_000_000);
        try (PhcDevice phc = PhcDevice.open(path); ExttsChannel ch = phc.armExtts(0, PinChoice.DEFAULT)) {
            long allocated = 0;
            for (int i = 0; i < WARM_UP + MEASURED; i++) {
                fake.control().fake_ptp_inject(dev, 0, 1_000 + i, 0);
                long before = threads.getCurrentThreadAllocatedBytes();
                ExttsEvent e = ch.next(1_000_000_000L).orElseThrow();
                phc.setFrequencyPpb(i % 200 - 100.5);
                long after = threads.getCurrentThreadAllocatedBytes();
                assertEquals((1_000L + i) * 1_000_000_000L, e.phcNs());
                if (i >= WARM_UP) {
                    allocated += after - before;
                }
            }
            assertEquals("extended", phc.crossTimestamp().method(), "the fake's method by default, as on an i210");
            long perPulse = allocated / MEASURED;
            assertTrue(perPulse < BUDGET_PER_PULSE, "a pulse allocated " + perPulse + " bytes (budget "
                    + BUDGET_PER_PULSE + ")");
        }
    }
}
