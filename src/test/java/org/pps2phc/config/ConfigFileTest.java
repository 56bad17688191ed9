package org.pps2phc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pps2phc.core.DisciplineConfig;

class ConfigFileTest {
    /** The seed guide's ts2phc.conf, as users have it in /etc/linuxptp/ts2phc.conf. */
    private static final List<String> SEED_TS2PHC = List.of(
            "[global]",
            "ts2phc.extts_polarity both",
            "ts2phc.pulsewidth 100000000",
            "leapfile /usr/share/zoneinfo/leap-seconds.list",
            "step_threshold 0.1",
            "# these are only used with -s nmea, and are ignored with -s generic",
            "ts2phc.nmea_serialport /dev/ttyUSB0",
            "logging_level 7",
            "[enp1s0]");

    @Test
    void theSeedTs2phcConfigIsAValidStart() throws Exception {
        Settings s = Settings.parse("ts2phc.conf", SEED_TS2PHC);
        assertEquals("enp1s0", s.deviceName());
        assertEquals("both", s.device().polarity());
        assertEquals(100_000_000L, s.device().pulseWidthNs());
        assertEquals(1e8, s.servo().stepThresholdNs(), 1e-6);
        assertEquals(20_000, s.servo().firstStepThresholdNs(), 1e-6);
        assertEquals(7, s.logging().syslogLevel());
        assertEquals("/usr/share/zoneinfo/leap-seconds.list", s.leapfile());
        assertEquals(1, s.warnings().size(), s.warnings().toString());
        assertTrue(s.warnings().get(0).startsWith("ts2phc.conf:7: 'ts2phc.nmea_serialport' has no effect: NMEA"),
                s.warnings().get(0));
    }

    @Test
    void defaultsAreTheEngineDefaults() {
        Settings s = Settings.defaults();
        assertEquals(DisciplineConfig.defaults(), s.discipline());
        assertNull(s.deviceName());
        assertEquals(0, s.outputs().shmUnit());
        assertFalse(s.outputs().sockEnabled());
        assertFalse(s.ptp4l().enabled());
        assertEquals("/run/pps2phc", s.statusDir().toString());
    }

    @Test
    void everyDefaultParsesWithItsOwnType() {
        for (Key k : Settings.keys().all()) {
            k.defaultParsed();
        }
    }

    @Test
    void deviceSectionOverridesGlobalForDeviceKeys() throws Exception {
        Settings s = Settings.parse("x.conf", List.of("ts2phc.channel 1", "[global]", "ts2phc.pin_index 2",
                "[/dev/ptp3]", "ts2phc.pin_index 3  # SDP3", "ts2phc.extts_correction -40"));
        assertEquals("/dev/ptp3", s.deviceName());
        assertEquals(1, s.device().channel());
        assertEquals(3, s.device().pinIndex());
        assertEquals(-40, s.discipline().exttsCorrectionNs());
    }

    @Test
    void ownKeysMapToTypedSettings() throws Exception {
        Settings s = Settings.parse("x.conf", List.of("[global]", "ntpshm_segment 2", "ntpshm_perm 0644",
                "ntpshm_tai 1", "sock_path /run/chrony.pps2phc.sock", "ptp4l_update 1", "clock_accuracy 50",
                "tod_max_error 0.05", "holdover_budget 600", "chrony_timeout 0.25", "own_refid GPS",
                "pulse_log_level notice", "pulse_log_interval 10", "summary_interval 30", "clock_servo pi"));
        assertEquals(new OutputSettings(2, 0644, true, "/run/chrony.pps2phc.sock"), s.outputs());
        assertTrue(s.ptp4l().enabled());
        assertEquals(50, s.ptp4l().clockAccuracyNs(), 1e-9);
        assertEquals(5e7, s.discipline().todMaxErrorNs(), 1e-3);
        assertEquals(600_000_000_000L, s.discipline().holdoverBudgetNs());
        assertEquals(new TodSettings("127.0.0.1:323", 250, Optional.of("GPS"), false, 5e7, 1, 10), s.tod());
        assertEquals(new LoggingSettings(6, "", "notice", 10, 30), s.logging());
        assertEquals("pi-linuxptp", s.discipline().servoName());
    }

    @Test
    void unknownKeySuggestsTheNearestOne() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.parse("/etc/pps2phc/pps2phc.conf", List.of("[global]", "", "step_treshold 0.1")));
        assertEquals(List.of("/etc/pps2phc/pps2phc.conf:3: unknown key 'step_treshold' "
                + "(did you mean 'step_threshold'?)"), e.problems());
    }

    @Test
    void unknownKeyFarFromAnyNamesTheDoc() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Settings.parse("a.conf", List.of("frobnicate_everything 1")));
        assertEquals("a.conf:1: unknown key 'frobnicate_everything' (docs/configuration.md lists every key)",
                e.problems().get(0));
    }

    @Test
    void badValuesNameTheLineAndWhatIsAllowed() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.parse("b.conf", List.of(
                "[global]", "step_threshold fast", "ts2phc.extts_polarity up", "logging_level 9",
                "clock_servo linreg", "ntpshm_tai yes")));
        assertEquals(List.of(
                "b.conf:2: bad value 'fast' for step_threshold: expected a number from 0 to 1000000 (unit: s)",
                "b.conf:3: bad value 'up' for ts2phc.extts_polarity: expected one of rising, falling, both",
                "b.conf:4: bad value '9' for logging_level: out of range: expected an integer from 0 to 7",
                "b.conf:5: bad value 'linreg' for clock_servo: expected one of pi, "
                        + String.join(", ", org.pps2phc.core.servo.Servos.names()),
                "b.conf:6: bad value 'yes' for ntpshm_tai: expected 0 or 1"), e.problems());
    }

    @Test
    void adapterValuesAreCheckedByTheAdaptersOwnParsers() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.parse("t.conf", List.of(
                "chrony_address 127.0.0.1:99999", "own_refid P\tX")));
        assertEquals(List.of(
                "t.conf:1: bad value '127.0.0.1:99999' for chrony_address: chrony address '127.0.0.1:99999': port "
                        + "must be 1 to 65535",
                "t.conf:2: bad value 'P\tX' for own_refid: refid 'P\tX' must be 1 to 4 printable ASCII characters"),
                e.problems());
        assertEquals(Optional.empty(), Settings.parse("t.conf", List.of("own_refid none")).tod().ownRefid());
    }

    @Test
    void structuralMistakesAreReported() {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.parse("c.conf", List.of(
                "[eth0]", "step_threshold 1", "ts2phc.channel 1", "ts2phc.channel 2", "ts2phc.pin_name",
                "[eth1]", "[global", "ts2phc.nmea_serialport /dev/ttyS0")));
        assertEquals(List.of(
                "c.conf:2: 'step_threshold' is a global key: move it to [global] (it cannot differ per device)",
                "c.conf:4: 'ts2phc.channel' is set twice in this section (first at line 3)",
                "c.conf:5: 'ts2phc.pin_name' needs a value: text of at most 64 characters",
                "c.conf:6: second device section [eth1]: pps2phc disciplines one device, and [eth0] was given at "
                        + "line 1 (run one pps2phc per device)",
                "c.conf:7: bad section header '[global': expected [global] or [DEVICE], e.g. [eth0] or [/dev/ptp0]",
                "c.conf:8: 'ts2phc.nmea_serialport' is a global key: move it to [global] (it cannot differ per "
                        + "device)"), e.problems());
    }

    @Test
    void piKeysUnderAnotherServoAreWarnedWithFileAndLine() throws Exception {
        Settings kalman = Settings.parse("migrated.conf", List.of("[global]", "pi_proportional_const 0.7",
                "logging_level 6", "pi_integral_const 0.3", "[eth0]"));
        assertEquals(List.of("migrated.conf:2: 'pi_proportional_const' has no effect: clock_servo kalman ignores "
                + "the pi_* keys (set clock_servo pi to use them)", "migrated.conf:4: 'pi_integral_const' has no "
                + "effect: clock_servo kalman ignores the pi_* keys (set clock_servo pi to use them)"),
                kalman.warnings());
        Settings pi = Settings.parse("pi.conf", List.of("clock_servo pi", "pi_proportional_const 0.7"));
        assertEquals(List.of(), pi.warnings());
    }

    @Test
    void ts2phcKeysThatCannotApplyAreRefusedOrWarned() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.parse("d.conf", List.of(
                "ts2phc.tod_source nmea", "free_running 1", "ts2phc.pulserate 2")));
        assertEquals(3, e.problems().size());
        assertTrue(e.problems().get(0).contains("expected 'generic'"), e.problems().get(0));
        Settings s = Settings.parse("d.conf", List.of("tx_timestamp_timeout 100", "use_syslog 0",
                "ts2phc.holdover 60"));
        assertEquals(3, s.warnings().size());
        assertTrue(s.warnings().get(0).contains("ptp4l key"), s.warnings().get(0));
    }

    @Test
    void missingFileIsOneClearLine(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> Settings.load(dir.resolve("none.conf")));
        assertTrue(e.getMessage().endsWith("none.conf: cannot read the config file: no such file (write one from "
                + "conf/pps2phc.conf, or give another with -f)"), e.getMessage());
    }

    @Test
    void theShippedExampleParsesWithoutWarnings() throws Exception {
        Settings s = Settings.load(Path.of("conf/pps2phc.conf"));
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        assertEquals("eth0", s.deviceName());
    }

    @Test
    void changesAreSplitIntoLiveAndRestart(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.conf");
        Files.writeString(f, "[global]\nlogging_level 6\n[eth0]\n");
        Settings before = Settings.load(f);
        Files.writeString(f, "[global]\nlogging_level 7\nsummary_interval 5\nstep_threshold 1\n[eth1]\n");
        Settings.Changes c = before.changesTo(Settings.load(f));
        assertEquals(List.of("logging_level", "summary_interval"), c.live());
        assertEquals(List.of("step_threshold", "[eth1] (the device)"), c.restart());
    }

    @Test
    void typosAreFoundByEditDistance() {
        Keys keys = Settings.keys();
        assertEquals("ts2phc.extts_polarity", keys.nearest("ts2phc.exts_polarity").orElseThrow());
        assertEquals("first_step_threshold", keys.nearest("first_step_thresold").orElseThrow());
        assertEquals("domainNumber", keys.nearest("domainnumber").orElseThrow());
        assertTrue(keys.nearest("zzz").isEmpty());
    }
}
