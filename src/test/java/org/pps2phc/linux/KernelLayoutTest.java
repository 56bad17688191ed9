package org.pps2phc.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every ioctl number, constant, struct size and field offset the bindings use, compared with what gcc computes from
 * the kernel's and libc's headers on this machine (src/test/c/kernel_layout.c).
 */
class KernelLayoutTest {
    private final Map<String, Long> java = new TreeMap<>();

    @Test
    void javaDefinitionsMatchTheKernelHeaders() throws Exception {
        Map<String, Long> c = fromC();
        defineJava();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Long> e : c.entrySet()) {
            Long j = java.get(e.getKey());
            if (j == null) {
                problems.add(e.getKey() + ": in the C program but not checked on the Java side");
            } else if (!j.equals(e.getValue())) {
                problems.add(e.getKey() + ": Java " + j + " (0x" + Long.toHexString(j) + "), headers " + e.getValue()
                        + " (0x" + Long.toHexString(e.getValue()) + ")");
            }
        }
        for (String k : java.keySet()) {
            if (!c.containsKey(k)) {
                problems.add(k + ": defined in Java but not printed by kernel_layout.c");
            }
        }
        assertTrue(c.size() > 100, "the C program printed only " + c.size() + " values");
        assertEquals(List.of(), problems);
    }

    @Test
    void clockIdOfAFileDescriptorIsTheKernelsEncoding() {
        assertEquals(-45, ClockCalls.fdToClockId(5));
        assertEquals(-29, ClockCalls.fdToClockId(3));
    }

    private static Map<String, Long> fromC() throws Exception {
        Path exe = NativeBuild.program("kernel_layout.c");
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), text);
        Map<String, Long> values = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                String[] kv = line.trim().split(" ");
                values.put(kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }

    private void defineJava() {
        v("PTP_CLOCK_GETCAPS", PtpIoctls.PTP_CLOCK_GETCAPS);
        v("PTP_EXTTS_REQUEST", PtpIoctls.PTP_EXTTS_REQUEST);
        v("PTP_SYS_OFFSET", PtpIoctls.PTP_SYS_OFFSET);
        v("PTP_PIN_GETFUNC", PtpIoctls.PTP_PIN_GETFUNC);
        v("PTP_PIN_SETFUNC", PtpIoctls.PTP_PIN_SETFUNC);
        v("PTP_SYS_OFFSET_PRECISE", PtpIoctls.PTP_SYS_OFFSET_PRECISE);
        v("PTP_SYS_OFFSET_EXTENDED", PtpIoctls.PTP_SYS_OFFSET_EXTENDED);
        v("PTP_CLOCK_GETCAPS2", PtpIoctls.PTP_CLOCK_GETCAPS2);
        v("PTP_EXTTS_REQUEST2", PtpIoctls.PTP_EXTTS_REQUEST2);
        v("PTP_SYS_OFFSET2", PtpIoctls.PTP_SYS_OFFSET2);
        v("PTP_PIN_GETFUNC2", PtpIoctls.PTP_PIN_GETFUNC2);
        v("PTP_PIN_SETFUNC2", PtpIoctls.PTP_PIN_SETFUNC2);
        v("PTP_SYS_OFFSET_PRECISE2", PtpIoctls.PTP_SYS_OFFSET_PRECISE2);
        v("PTP_SYS_OFFSET_EXTENDED2", PtpIoctls.PTP_SYS_OFFSET_EXTENDED2);
        v("PTP_MASK_CLEAR_ALL", PtpIoctls.PTP_MASK_CLEAR_ALL);
        v("PTP_MASK_EN_SINGLE", PtpIoctls.PTP_MASK_EN_SINGLE);
        v("PTP_ENABLE_FEATURE", PtpIoctls.PTP_ENABLE_FEATURE);
        v("PTP_RISING_EDGE", PtpIoctls.PTP_RISING_EDGE);
        v("PTP_FALLING_EDGE", PtpIoctls.PTP_FALLING_EDGE);
        v("PTP_STRICT_FLAGS", PtpIoctls.PTP_STRICT_FLAGS);
        v("PTP_MAX_SAMPLES", PtpIoctls.MAX_SAMPLES);
        v("PTP_PF_NONE", PtpIoctls.PTP_PF_NONE);
        v("PTP_PF_EXTTS", PtpIoctls.PTP_PF_EXTTS);
        v("PTP_PF_PEROUT", PtpIoctls.PTP_PF_PEROUT);
        v("PTP_PF_PHYSYNC", PtpIoctls.PTP_PF_PHYSYNC);

        struct("ptp_clock_time", new PtpIoctls.ClockTime(), 0, "sec", "nsec");
        struct("ptp_clock_caps", new PtpIoctls.ClockCaps(), PtpIoctls.SIZEOF_CLOCK_CAPS, "max_adj", "n_alarm",
                "n_ext_ts", "n_per_out", "pps", "n_pins", "cross_timestamping", "adjust_phase");
        struct("ptp_extts_request", new PtpIoctls.ExttsRequest(), PtpIoctls.SIZEOF_EXTTS_REQUEST, "index", "flags");
        struct("ptp_pin_desc", new PtpIoctls.PinDesc(), PtpIoctls.SIZEOF_PIN_DESC, "name", "index", "func", "chan");
        struct("ptp_sys_offset", new PtpIoctls.SysOffset(), PtpIoctls.SIZEOF_SYS_OFFSET, "n_samples", "ts");
        struct("ptp_sys_offset_extended", new PtpIoctls.SysOffsetExtended(), PtpIoctls.SIZEOF_SYS_OFFSET_EXTENDED,
                "n_samples", "ts");
        struct("ptp_sys_offset_precise", new PtpIoctls.SysOffsetPrecise(), PtpIoctls.SIZEOF_SYS_OFFSET_PRECISE,
                "device", "sys_realtime", "sys_monoraw");
        struct("ptp_extts_event", new PtpIoctls.ExttsEvent(), PtpIoctls.SIZEOF_EXTTS_EVENT, "t", "index", "flags");

        v("CLOCK_REALTIME", ClockCalls.CLOCK_REALTIME);
        v("CLOCK_MONOTONIC", ClockCalls.CLOCK_MONOTONIC);
        v("ADJ_OFFSET", ClockCalls.ADJ_OFFSET);
        v("ADJ_FREQUENCY", ClockCalls.ADJ_FREQUENCY);
        v("ADJ_MAXERROR", ClockCalls.ADJ_MAXERROR);
        v("ADJ_STATUS", ClockCalls.ADJ_STATUS);
        v("ADJ_TAI", ClockCalls.ADJ_TAI);
        v("ADJ_SETOFFSET", ClockCalls.ADJ_SETOFFSET);
        v("ADJ_NANO", ClockCalls.ADJ_NANO);
        v("ADJ_TICK", ClockCalls.ADJ_TICK);
        v("STA_PLL", ClockCalls.STA_PLL);
        v("STA_INS", ClockCalls.STA_INS);
        v("STA_DEL", ClockCalls.STA_DEL);
        v("STA_UNSYNC", ClockCalls.STA_UNSYNC);
        v("STA_NANO", ClockCalls.STA_NANO);
        v("TIME_OK", ClockCalls.TIME_OK);
        v("TIME_INS", ClockCalls.TIME_INS);
        v("TIME_DEL", ClockCalls.TIME_DEL);
        v("TIME_OOP", ClockCalls.TIME_OOP);
        v("TIME_WAIT", ClockCalls.TIME_WAIT);
        v("TIME_ERROR", ClockCalls.TIME_ERROR);
        struct("timespec", new ClockCalls.Timespec(), 0, "tv_sec", "tv_nsec");
        struct("timeval", new ClockCalls.Timeval(), 0, "tv_sec", "tv_usec");
        struct("timex", new ClockCalls.Timex(), 0, "modes", "offset", "freq", "maxerror", "esterror", "status",
                "constant", "precision", "tolerance", "time", "tick", "ppsfreq", "jitter", "shift", "stabil",
                "jitcnt", "calcnt", "errcnt", "stbcnt", "tai");

        v("O_RDONLY", FileCalls.O_RDONLY);
        v("O_RDWR", FileCalls.O_RDWR);
        v("O_CLOEXEC", FileCalls.O_CLOEXEC);
        v("POLLIN", FileCalls.POLLIN);
        v("POLLPRI", FileCalls.POLLPRI);
        v("POLLERR", FileCalls.POLLERR);
        v("POLLHUP", FileCalls.POLLHUP);
        v("POLLNVAL", FileCalls.POLLNVAL);

        v("AF_INET", EthtoolCalls.AF_INET);
        v("SOCK_DGRAM", EthtoolCalls.SOCK_DGRAM);
        v("SOCK_CLOEXEC", EthtoolCalls.SOCK_CLOEXEC);
        v("SIOCETHTOOL", EthtoolCalls.SIOCETHTOOL);
        v("ETHTOOL_GET_TS_INFO", EthtoolCalls.ETHTOOL_GET_TS_INFO);
        v("IFNAMSIZ", EthtoolCalls.IFNAMSIZ);
        struct("ifreq", new EthtoolCalls.Ifreq(), 0, "ifr_name", "ifr_data");
        struct("ethtool_ts_info", new EthtoolCalls.TsInfo(), 0, "cmd", "so_timestamping", "phc_index", "tx_types",
                "rx_filters");
    }

    private void v(String name, long value) {
        java.put(name, value);
    }

    /** Records the JNA struct's size (and checks the SIZEOF_ constant when there is one) and field offsets. */
    private void struct(String name, PtpIoctls.Layout s, int declaredSize, String... fields) {
        java.put("sizeof(" + name + ")", (long) s.size());
        if (declaredSize != 0) {
            assertEquals(declaredSize, s.size(), "SIZEOF_ constant of " + name + " disagrees with its JNA struct");
        }
        for (String f : fields) {
            java.put("offsetof(" + name + "." + f + ")", (long) s.offsetOf(f));
        }
    }
}
