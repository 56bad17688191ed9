package org.pps2phc.linux;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.charset.StandardCharsets;

/**
 * JNA binding of the PTP clock character device ioctls ({@code <linux/ptp_clock.h>}): numbers, flags and structs.
 * The layout test compiles a C program against the kernel header and compares every value here with it.
 */
public interface PtpIoctls extends Library {
    int MAGIC = '=';
    int MAX_SAMPLES = 25;

    int SIZEOF_CLOCK_CAPS = 80;
    int SIZEOF_EXTTS_REQUEST = 16;
    int SIZEOF_SYS_OFFSET = 832;
    int SIZEOF_PIN_DESC = 96;
    int SIZEOF_SYS_OFFSET_PRECISE = 64;
    int SIZEOF_SYS_OFFSET_EXTENDED = 1216;
    int SIZEOF_EXTTS_EVENT = 32;

    long PTP_CLOCK_GETCAPS = Ioc.read(1, SIZEOF_CLOCK_CAPS);
    long PTP_EXTTS_REQUEST = Ioc.write(2, SIZEOF_EXTTS_REQUEST);
    long PTP_SYS_OFFSET = Ioc.write(5, SIZEOF_SYS_OFFSET);
    long PTP_PIN_GETFUNC = Ioc.readWrite(6, SIZEOF_PIN_DESC);
    long PTP_PIN_SETFUNC = Ioc.write(7, SIZEOF_PIN_DESC);
    long PTP_SYS_OFFSET_PRECISE = Ioc.readWrite(8, SIZEOF_SYS_OFFSET_PRECISE);
    long PTP_SYS_OFFSET_EXTENDED = Ioc.readWrite(9, SIZEOF_SYS_OFFSET_EXTENDED);
    long PTP_CLOCK_GETCAPS2 = Ioc.read(10, SIZEOF_CLOCK_CAPS);
    long PTP_EXTTS_REQUEST2 = Ioc.write(11, SIZEOF_EXTTS_REQUEST);
    long PTP_SYS_OFFSET2 = Ioc.write(14, SIZEOF_SYS_OFFSET);
    long PTP_PIN_GETFUNC2 = Ioc.readWrite(15, SIZEOF_PIN_DESC);
    long PTP_PIN_SETFUNC2 = Ioc.write(16, SIZEOF_PIN_DESC);
    long PTP_SYS_OFFSET_PRECISE2 = Ioc.readWrite(17, SIZEOF_SYS_OFFSET_PRECISE);
    long PTP_SYS_OFFSET_EXTENDED2 = Ioc.readWrite(18, SIZEOF_SYS_OFFSET_EXTENDED);
    /** Kernel 6.7 and later: clear this open file's channel mask. */
    long PTP_MASK_CLEAR_ALL = Ioc.none(19);
    /** Kernel 6.7 and later: let this open file receive events of one channel. */
    long PTP_MASK_EN_SINGLE = Ioc.write(20, 4);

    int PTP_ENABLE_FEATURE = 1;
    int PTP_RISING_EDGE = 1 << 1;
    int PTP_FALLING_EDGE = 1 << 2;
    int PTP_STRICT_FLAGS = 1 << 3;

    int PTP_PF_NONE = 0;
    int PTP_PF_EXTTS = 1;
    int PTP_PF_PEROUT = 2;
    int PTP_PF_PHYSYNC = 3;

    int ioctl(int fd, NativeLong request, Structure arg);

    int ioctl(int fd, NativeLong request, IntByReference arg);

    int ioctl(int fd, NativeLong request, Pointer arg);

    /** The generic _IOC encoding (x86, arm, arm64, riscv): dir:2 size:14 type:8 nr:8. */
    final class Ioc {
        private static final int NONE = 0;
        private static final int WRITE = 1;
        private static final int READ = 2;

        private Ioc() {
        }

        static long none(int nr) {
            return encode(NONE, nr, 0);
        }

        static long read(int nr, int size) {
            return encode(READ, nr, size);
        }

        static long write(int nr, int size) {
            return encode(WRITE, nr, size);
        }

        static long readWrite(int nr, int size) {
            return encode(READ | WRITE, nr, size);
        }

        static long encode(int dir, int nr, int size) {
            return ((long) dir << 30) | ((long) size << 16) | ((long) MAGIC << 8) | nr;
        }

        /** The request argument as the kernel's unsigned int, in a C long. */
        static NativeLong request(long value) {
            return new NativeLong(value & 0xFFFFFFFFL);
        }
    }

    /** A struct with field offsets the layout test can read. */
    abstract class Layout extends Structure {
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    /** struct ptp_clock_time (16 bytes). */
    @Structure.FieldOrder({"sec", "nsec", "reserved"})
    class ClockTime extends Layout {
        public long sec;
        public int nsec;
        public int reserved;

        public long toNanos() {
            return sec * 1_000_000_000L + Integer.toUnsignedLong(nsec);
        }
    }

    /** struct ptp_clock_caps (80 bytes). */
    @Structure.FieldOrder({"max_adj", "n_alarm", "n_ext_ts", "n_per_out", "pps", "n_pins", "cross_timestamping",
        "adjust_phase", "rsv"})
    class ClockCaps extends Layout {
        public int max_adj;
        public int n_alarm;
        public int n_ext_ts;
        public int n_per_out;
        public int pps;
        public int n_pins;
        public int cross_timestamping;
        public int adjust_phase;
        public int[] rsv = new int[12];
    }

    /** struct ptp_extts_request (16 bytes). */
    @Structure.FieldOrder({"index", "flags", "rsv"})
    class ExttsRequest extends Layout {
        public int index;
        public int flags;
        public int[] rsv = new int[2];

        public ExttsRequest() {
        }

        public ExttsRequest(int index, int flags) {
            this.index = index;
            this.flags = flags;
        }
    }

    /** struct ptp_pin_desc (96 bytes). */
    @Structure.FieldOrder({"name", "index", "func", "chan", "rsv"})
    class PinDesc extends Layout {
        public byte[] name = new byte[64];
        public int index;
        public int func;
        public int chan;
        public int[] rsv = new int[5];

        public String nameString() {
            int n = 0;
            while (n < name.length && name[n] != 0) {
                n++;
            }
            return new String(name, 0, n, StandardCharsets.UTF_8);
        }
    }

    /** struct ptp_sys_offset (832 bytes): ts = [sys, phc] x n_samples, then sys. */
    @Structure.FieldOrder({"n_samples", "rsv", "ts"})
    class SysOffset extends Layout {
        public int n_samples;
        public int[] rsv = new int[3];
        public ClockTime[] ts = new ClockTime[2 * MAX_SAMPLES + 1];
    }

    /**
     * struct ptp_sys_offset_extended (1216 bytes): ts[n][3] = [sys before, phc, sys after]. rsv[0] became the
     * system clockid in kernel 6.12; it stays 0, which is CLOCK_REALTIME there and required on older kernels.
     */
    @Structure.FieldOrder({"n_samples", "rsv", "ts"})
    class SysOffsetExtended extends Layout {
        public int n_samples;
        public int[] rsv = new int[3];
        public ClockTime[] ts = new ClockTime[3 * MAX_SAMPLES];
    }

    /** struct ptp_sys_offset_precise (64 bytes). */
    @Structure.FieldOrder({"device", "sys_realtime", "sys_monoraw", "rsv"})
    class SysOffsetPrecise extends Layout {
        public ClockTime device;
        public ClockTime sys_realtime;
        public ClockTime sys_monoraw;
        public int[] rsv = new int[4];
    }

    /** struct ptp_extts_event (32 bytes), what read() returns per event. */
    @Structure.FieldOrder({"t", "index", "flags", "rsv"})
    class ExttsEvent extends Layout {
        public ClockTime t;
        public int index;
        public int flags;
        public int[] rsv = new int[2];
    }
}
