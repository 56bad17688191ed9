package org.pps2phc.linux;

import java.util.Optional;
import java.util.OptionalInt;
import org.pps2phc.core.LeapSnapshot;
import org.pps2phc.core.port.KernelTaiSource;
import org.pps2phc.core.port.ClockException;

/** The kernel's TAI offset (read-only adjtimex) as the time-of-day code wants it: empty when unset or unreadable. */
public final class KernelTai implements KernelTaiSource {
    private final KernelTimeReader reader;

    KernelTai(KernelTimeReader reader) {
        this.reader = reader;
    }

    public static KernelTai system() {
        return new KernelTai(Adjtimex.system());
    }

    /** The kernel's TAI offset with its time state (TIME_INS ... TIME_WAIT) and STA_INS/STA_DEL, from one read. */
    public Optional<LeapSnapshot.Kernel> leapView() {
        try {
            KernelTimeStatus s = reader.read();
            return Optional.of(new LeapSnapshot.Kernel(s.taiOffsetS(), s.state(), s.insertPending(),
                    s.deletePending()));
        } catch (ClockException e) {
            return Optional.empty();
        }
    }

    /**
     * How far the kernel says the system clock may be off, ns: Long.MAX_VALUE when it is not synchronised
     * (STA_UNSYNC), or adjtimex cannot be read.
     */
    public long systemClockMaxErrorNs() {
        try {
            KernelTimeStatus s = reader.read();
            return s.unsynchronised() || s.state() == ClockCalls.TIME_ERROR ? Long.MAX_VALUE : s.maxErrorUs() * 1000;
        } catch (ClockException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public OptionalInt taiOffset() {
        try {
            int tai = reader.read().taiOffsetS();
            return tai > 0 ? OptionalInt.of(tai) : OptionalInt.empty();
        } catch (ClockException e) {
            return OptionalInt.empty();
        }
    }
}
