package org.pps2phc.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * One C struct's native memory, allocated once and reused call after call by the one thread that owns it, read and
 * written at the offsets of its JNA layout class (which the layout test checks against the kernel's headers). The
 * steady-state calls (poll, read, the cross-timestamp ioctls, clock_adjtime) go through these instead of a
 * {@link com.sun.jna.Structure}: JNA marshals a Structure field by field by reflection at every call, which
 * allocates on every pulse.
 */
final class NativeStruct {
    private final Memory memory;

    NativeStruct(long size) {
        this.memory = new Memory(size);
        memory.clear();
    }

    /** Memory for the struct {@code layout} describes. */
    static NativeStruct of(PtpIoctls.Layout layout) {
        return new NativeStruct(layout.size());
    }

    Pointer pointer() {
        return memory;
    }

    long size() {
        return memory.size();
    }

    /** Zeroes the whole struct (the kernel reads reserved fields and may refuse them non-zero). */
    NativeStruct clear() {
        memory.clear();
        return this;
    }

    int getInt(long offset) {
        return memory.getInt(offset);
    }

    void setInt(long offset, int value) {
        memory.setInt(offset, value);
    }

    short getShort(long offset) {
        return memory.getShort(offset);
    }

    void setShort(long offset, short value) {
        memory.setShort(offset, value);
    }

    /** A C long (NativeLong in the layout classes). */
    long getCLong(long offset) {
        return Native.LONG_SIZE == 8 ? memory.getLong(offset) : memory.getInt(offset);
    }

    void setCLong(long offset, long value) {
        if (Native.LONG_SIZE == 8) {
            memory.setLong(offset, value);
        } else {
            memory.setInt(offset, (int) value);
        }
    }

    /** A struct ptp_clock_time at {@code offset}, as ns. */
    long clockTimeNanos(long offset) {
        long sec = memory.getLong(offset + ClockTimeLayout.SEC);
        int nsec = memory.getInt(offset + ClockTimeLayout.NSEC);
        return sec * 1_000_000_000L + Integer.toUnsignedLong(nsec);
    }

    /** A struct timespec at {@code offset}, as ns. */
    long timespecNanos(long offset) {
        return getCLong(offset + TimespecLayout.SEC) * 1_000_000_000L + getCLong(offset + TimespecLayout.NSEC);
    }

    /** Writes ns as a struct timespec at {@code offset}, nanoseconds normalised to 0..1e9-1. */
    void setTimespecNanos(long offset, long ns) {
        setCLong(offset + TimespecLayout.SEC, Math.floorDiv(ns, 1_000_000_000L));
        setCLong(offset + TimespecLayout.NSEC, Math.floorMod(ns, 1_000_000_000L));
    }

    /** Offsets within struct ptp_clock_time. */
    static final class ClockTimeLayout {
        static final int SIZE;
        static final int SEC;
        static final int NSEC;

        static {
            PtpIoctls.ClockTime t = new PtpIoctls.ClockTime();
            SIZE = t.size();
            SEC = t.offsetOf("sec");
            NSEC = t.offsetOf("nsec");
        }

        private ClockTimeLayout() {
        }
    }

    /** Offsets within struct timespec. */
    static final class TimespecLayout {
        static final int SIZE;
        static final int SEC;
        static final int NSEC;

        static {
            ClockCalls.Timespec t = new ClockCalls.Timespec();
            SIZE = t.size();
            SEC = t.offsetOf("tv_sec");
            NSEC = t.offsetOf("tv_nsec");
        }

        private TimespecLayout() {
        }
    }

    /** Offsets within struct timex. */
    static final class TimexLayout {
        static final int SIZE;
        static final int MODES;
        static final int FREQ;
        static final int STATUS;
        /** struct timeval time: seconds, then microseconds (nanoseconds with ADJ_NANO or STA_NANO). */
        static final int TIME_SEC;
        static final int TIME_SUB;
        static final int TAI;
        static final int MAXERROR;

        static {
            ClockCalls.Timex t = new ClockCalls.Timex();
            ClockCalls.Timeval v = new ClockCalls.Timeval();
            SIZE = t.size();
            MODES = t.offsetOf("modes");
            FREQ = t.offsetOf("freq");
            STATUS = t.offsetOf("status");
            TIME_SEC = t.offsetOf("time") + v.offsetOf("tv_sec");
            TIME_SUB = t.offsetOf("time") + v.offsetOf("tv_usec");
            TAI = t.offsetOf("tai");
            MAXERROR = t.offsetOf("maxerror");
        }

        private TimexLayout() {
        }
    }
}
