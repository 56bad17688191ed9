package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The kernel's bound on the system clock's error, as the receiver's second check reads it. */
class KernelTaiSyncTest {
    private static KernelTai reading(int status, int state, long maxErrorUs) {
        return new KernelTai(() -> new KernelTimeStatus(0, 37, status, state, maxErrorUs));
    }

    @Test
    void synchronisedGivesMaxerrorAndAnythingElseNoBound() {
        assertEquals(20_000_000L, reading(0, ClockCalls.TIME_OK, 20_000).systemClockMaxErrorNs());
        assertEquals(Long.MAX_VALUE, reading(ClockCalls.STA_UNSYNC, ClockCalls.TIME_OK, 16_000_000)
                .systemClockMaxErrorNs(), "STA_UNSYNC");
        assertEquals(Long.MAX_VALUE, reading(0, ClockCalls.TIME_ERROR, 100).systemClockMaxErrorNs(), "TIME_ERROR");
        KernelTai failing = new KernelTai(() -> {
            throw new PhcException(PhcException.UNAVAILABLE, 1, "adjtimex failed: EPERM");
        });
        assertEquals(Long.MAX_VALUE, failing.systemClockMaxErrorNs(), "unreadable");
    }
}
