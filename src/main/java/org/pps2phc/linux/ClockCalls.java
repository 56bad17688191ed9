package org.pps2phc.linux;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/** JNA binding of the POSIX clock calls and adjtimex ({@code <time.h>}, {@code <sys/timex.h>}). */
public interface ClockCalls extends Library {
    int CLOCK_REALTIME = 0;
    int CLOCK_MONOTONIC = 1;
    /** Dynamic clock ids: {@code ((~fd) << 3) | CLOCKFD}. */
    int CLOCKFD = 3;

    int ADJ_OFFSET = 0x0001;
    int ADJ_FREQUENCY = 0x0002;
    int ADJ_MAXERROR = 0x0004;
    int ADJ_STATUS = 0x0010;
    int ADJ_TAI = 0x0080;
    int ADJ_SETOFFSET = 0x0100;
    int ADJ_NANO = 0x2000;
    int ADJ_TICK = 0x4000;

    int STA_PLL = 0x0001;
    int STA_INS = 0x0010;
    int STA_DEL = 0x0020;
    int STA_UNSYNC = 0x0040;
    int STA_NANO = 0x2000;

    int TIME_OK = 0;
    int TIME_INS = 1;
    int TIME_DEL = 2;
    int TIME_OOP = 3;
    int TIME_WAIT = 4;
    int TIME_ERROR = 5;

    // The struct arguments are native memory laid out as Timespec and Timex below (see NativeStruct).

    int clock_gettime(int clockId, Pointer timespec);

    int clock_settime(int clockId, Pointer timespec);

    /** Returns the clock state (TIME_OK...) or -1. */
    int clock_adjtime(int clockId, Pointer timex);

    /** The system clock's NTP kernel state; read-only with modes = 0. */
    int adjtimex(Pointer timex);

    static int fdToClockId(int fd) {
        return ((~fd) << 3) | CLOCKFD;
    }

    /** struct timespec. */
    @Structure.FieldOrder({"tv_sec", "tv_nsec"})
    class Timespec extends PtpIoctls.Layout {
        public NativeLong tv_sec = new NativeLong();
        public NativeLong tv_nsec = new NativeLong();

        public long toNanos() {
            return tv_sec.longValue() * 1_000_000_000L + tv_nsec.longValue();
        }
    }

    /** struct timeval; in struct timex with ADJ_NANO, tv_usec holds nanoseconds. */
    @Structure.FieldOrder({"tv_sec", "tv_usec"})
    class Timeval extends PtpIoctls.Layout {
        public NativeLong tv_sec = new NativeLong();
        public NativeLong tv_usec = new NativeLong();
    }

    /** struct timex (208 bytes on LP64). */
    @Structure.FieldOrder({"modes", "offset", "freq", "maxerror", "esterror", "status", "constant", "precision",
        "tolerance", "time", "tick", "ppsfreq", "jitter", "shift", "stabil", "jitcnt", "calcnt", "errcnt", "stbcnt",
        "tai", "padding"})
    class Timex extends PtpIoctls.Layout {
        public int modes;
        public NativeLong offset = new NativeLong();
        /** Frequency offset in scaled ppm: ppm with 16 fractional bits, so 1 ppb = 65.536. */
        public NativeLong freq = new NativeLong();
        public NativeLong maxerror = new NativeLong();
        public NativeLong esterror = new NativeLong();
        public int status;
        public NativeLong constant = new NativeLong();
        public NativeLong precision = new NativeLong();
        public NativeLong tolerance = new NativeLong();
        public Timeval time;
        public NativeLong tick = new NativeLong();
        public NativeLong ppsfreq = new NativeLong();
        public NativeLong jitter = new NativeLong();
        public int shift;
        public NativeLong stabil = new NativeLong();
        public NativeLong jitcnt = new NativeLong();
        public NativeLong calcnt = new NativeLong();
        public NativeLong errcnt = new NativeLong();
        public NativeLong stbcnt = new NativeLong();
        public int tai;
        public int[] padding = new int[11];
    }
}
