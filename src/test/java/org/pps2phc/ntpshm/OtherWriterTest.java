package org.pps2phc.ntpshm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void aWriterThatStartsLaterIsReportedOnce() throws Exception {
        List<String> reports = new ArrayList<>();
        try (NtpShmSink sink = NtpShmSink.open(new NtpShmConfig(UNIT), reports::add)) {
            sink.publish(Samples.now());
            sink.withdraw();
            sink.publish(Samples.now());
            assertEquals(List.of(), reports, "our own writes are no other writer");
            // another process (an old phc2sys, say) writes a sample between two of ours
            int id = SysvShmCalls.LIBC.shmget(NtpShmConfig.key(UNIT), 0, 0);
            Pointer other = SysvShmCalls.LIBC.shmat(id, null, 0);
            int count = other.getInt(ShmTime.COUNT);
            other.setInt(ShmTime.COUNT, count + 2);
            SysvShmCalls.LIBC.shmdt(other);
            sink.publish(Samples.now());
            sink.publish(Samples.now());
            assertEquals(List.of(String.format("NTP SHM unit 84 (key 0x4e545084): another process wrote the segment "
                    + "since our last sample (count %d): chronyd or ntpd sees two clocks' samples alternate; stop that "
                    + "writer (an old phc2sys, another pps2phc) or give this instance its own ntpshm_segment",
                    count + 2)), reports);
        }
    }
}
