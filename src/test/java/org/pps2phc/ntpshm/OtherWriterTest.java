package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A segment someone else is writing now is refused; one whose writer stopped is taken over. */
class OtherWriterTest {
    private static final int UNIT = 84;

    @AfterEach
    void clean() {
        TestSupport.removeSegment(UNIT);
    }

    @Test
    void aSegmentWithAFreshSampleIsRefusedInOneLine() throws Exception {
        try (NtpShmSink writing = NtpShmSink.open(new NtpShmConfig(UNIT))) {
            writing.publish(Samples.now());
            NtpShmException e = assertThrows(NtpShmException.class, () -> NtpShmSink.open(new NtpShmConfig(UNIT)));
            assertFalse(e.permissionProblem());
            assertTrue(e.getMessage().startsWith("NTP SHM unit 84 (key 0x4e545084) is already written by another "
                    + "process (a valid sample "), e.getMessage());
            assertTrue(e.getMessage().contains(" s old, count 4): chronyd or ntpd would see its samples and ours "
                    + "alternate; stop that writer (an old phc2sys, another pps2phc) or give this instance its own "
                    + "ntpshm_segment"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        // withdrawn at close: the next writer takes the segment over
        try (NtpShmSink next = NtpShmSink.open(new NtpShmConfig(UNIT))) {
            assertFalse(next.createdSegment());
        }
    }
}
