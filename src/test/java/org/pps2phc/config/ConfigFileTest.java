package org.pps2phc.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
        assertTrue(s.warnings().get(0).startsWith("ts2phc.conf:7: 'ts2phc.nmea_serialport' has no effect with "
                + "ts2phc.tod_source generic: set ts2phc.tod_source nmea"), s.warnings().get(0));
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
    void everyDefaultParsesWithItsOwnTypeAndMeansTheSameWrittenInAFile() throws Exception {
        Settings defaults = Settings.defaults();
        for (Key k : Settings.keys().all()) {
            Object parsed = assertDoesNotThrow(k::defaultParsed, k.name() + "'s default '" + k.defaultValue() + "'");
            assertEquals(parsed, defaults.value(k.name()), k.name());
            if (!k.defaultValue().isEmpty()) {
                Settings written = Settings.parse("d.conf", List.of(k.name() + " " + k.defaultValue()));
                assertEquals(parsed, written.value(k.name()), k.name() + " written with its default");
                assertTrue(defaults.changesTo(written).none(), k.name() + ": writing the default changes nothing");
            }
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
                "ts2phc.tod_source phc", "free_running 1", "ts2phc.pulserate 2")));
        assertEquals(3, e.problems().size());
        assertTrue(e.problems().get(0).contains("expected one of generic, nmea"), e.problems().get(0));
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

    private static Settings loadBytes(Path dir, byte[] content) throws Exception {
        Path f = dir.resolve("x.conf");
        Files.write(f, content);
        return Settings.load(f);
    }

    private static List<String> problemsOf(Path dir, byte[] content) {
        return assertThrows(ConfigException.class, () -> loadBytes(dir, content)).problems();
    }

    @Test
    void aByteOrderMarkIsSkipped(@TempDir Path dir) throws Exception {
        byte[] text = "status_dir /run/pps2phc-test\n[eth0]\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        assertEquals("/run/pps2phc-test", loadBytes(dir, withBom).statusDir().toString());
    }

    @Test
    void latin1AndBinaryAreNamedWithTheirLine(@TempDir Path dir) {
        Path f = dir.resolve("x.conf");
        assertEquals(List.of(f + ":2: not UTF-8 text (a Latin-1 or binary file?): save it as UTF-8"),
                problemsOf(dir, "[global]\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(List.of(f + ":3: control character 0x00 in column 4: a config file is text"),
                problemsOf(dir, "[global]\nlogging_level 6\nabc\0def\n".getBytes(StandardCharsets.UTF_8)));
        // CRLF line ends are text
        assertEquals(7, assertDoesNotThrow(() -> loadBytes(dir,
                "[global]\r\nlogging_level 7\r\n".getBytes(StandardCharsets.UTF_8))).logging().syslogLevel());
    }

    @Test
    void aFileTooLargeOrEndlessIsOneLine(@TempDir Path dir) {
        String tooLarge = ": larger than 1024 KiB, so not a pps2phc config file (check the path given with -f)";
        byte[] big = new byte[ConfigFile.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) '#');
        assertEquals(List.of(dir.resolve("x.conf") + tooLarge), problemsOf(dir, big));
        assertEquals(List.of("/dev/zero" + tooLarge), assertThrows(ConfigException.class,
                () -> Settings.load(Path.of("/dev/zero"))).problems());
    }

    @Test
    void aLongValueIsCutWhenEchoedAndInvisibleCharactersAreShown() {
        String megabyte = "x".repeat(1_000_000);
        String p = assertThrows(ConfigException.class, () -> Settings.parse("v.conf",
                List.of("ts2phc.pin_name " + megabyte))).problems().get(0);
        assertEquals("v.conf:1: bad value '" + "x".repeat(60) + "... (1000000 characters)' for ts2phc.pin_name: "
                + "too long: expected text of at most 64 characters", p);
        assertEquals(List.of("v.conf:1: unknown key 'status\\u200Bdir' (docs/configuration.md lists every key)"),
                assertThrows(ConfigException.class, () -> Settings.parse("v.conf",
                        List.of("status\u200Bdir /run/x"))).problems());
    }

    @Test
    void manyProblemsAreCountedNotListed() {
        List<String> lines = java.util.Collections.nCopies(100, "bogus_key 1");
        List<String> problems = assertThrows(ConfigException.class, () -> Settings.parse("m.conf", lines))
                .problems();
        assertEquals(ConfigFile.MAX_PROBLEMS + 1, problems.size());
        assertEquals("m.conf: 80 more problems not shown (is this a pps2phc config file?)", problems.get(20));
    }

    @Test
    void globalIsAcceptedInAnyCase() throws Exception {
        Settings s = Settings.parse("g.conf", List.of("[Global]", "logging_level 7", "[eth0]", "[GLOBAL]",
                "summary_interval 30"));
        assertEquals("eth0", s.deviceName());
        assertEquals(7, s.logging().syslogLevel());
        assertEquals(30, s.logging().summaryIntervalS());
    }

    /** Debian's tzdata leap-seconds.list: expires 2026-06-28, hash line included. */
    private static Path tzdataCopy(Path dir) throws Exception {
        Path system = Path.of("/usr/share/zoneinfo/leap-seconds.list");
        assertTrue(Files.exists(system), system + " missing: install the Debian package tzdata");
        return Files.copy(system, dir.resolve("leap-seconds.list"));
    }

    private static Settings.LeapfileCheck checkLeap(Path leapfile, String now) throws Exception {
        Settings s = Settings.parse("l.conf", List.of("[global]", "leapfile " + leapfile));
        return s.checkLeapfile(java.time.Instant.parse(now).getEpochSecond());
    }

    @Test
    void checkConfigLooksAtTheLeapfileAsTheDaemonWillLoadIt(@TempDir Path dir) throws Exception {
        Path good = tzdataCopy(dir);
        assertEquals(new Settings.LeapfileCheck(List.of(), List.of()), checkLeap(good, "2026-01-01T00:00:00Z"));
        assertEquals(new Settings.LeapfileCheck(List.of(), List.of()),
                Settings.parse("l.conf", List.of()).checkLeapfile(0), "no leapfile, nothing to check");

        assertEquals(List.of("l.conf:2: leapfile " + good + " expired 2026-06-28: TAI-UTC 37 is kept, but a newly "
                + "announced leap second would be missed (update tzdata)"),
                checkLeap(good, "2026-12-01T00:00:00Z").warnings());

        Path missing = dir.resolve("none.list");
        assertEquals(List.of("l.conf:2: leapfile " + missing + " does not exist (install tzdata, or point "
                + "'leapfile' at a current leap-seconds.list)"), checkLeap(missing, "2026-01-01T00:00:00Z").problems());

        Path empty = Files.writeString(dir.resolve("empty.list"), "");
        assertEquals(List.of("l.conf:2: leapfile is not a leap-seconds.list the daemon can use: " + empty
                + ": no leap second entries"), checkLeap(empty, "2026-01-01T00:00:00Z").problems());

        Path corrupt = Files.writeString(dir.resolve("corrupt.list"), "3692217600 37\n3644697600 36\n");
        assertEquals(List.of("l.conf:2: leapfile is not a leap-seconds.list the daemon can use: " + corrupt
                + ":2: entries are not in time order"), checkLeap(corrupt, "2026-01-01T00:00:00Z").problems());

        Path badHash = dir.resolve("badhash.list");
        Files.writeString(badHash, Files.readString(good).replace("#$\t3960835200", "#$\t3960835201"));
        assertEquals(List.of("l.conf:2: leapfile " + badHash + " does not match its '#h' SHA-1 line (damaged or "
                + "edited): the daemon would ignore it"), checkLeap(badHash, "2026-01-01T00:00:00Z").problems());

        assertEquals(List.of("l.conf:2: leapfile /dev/zero is not a regular file (a leap-seconds.list is)"),
                checkLeap(Path.of("/dev/zero"), "2026-01-01T00:00:00Z").problems());
    }
}
