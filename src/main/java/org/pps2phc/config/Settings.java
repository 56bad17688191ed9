package org.pps2phc.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.HoldoverMode;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.LeapTable;
import org.pps2phc.core.servo.PiServo;
import org.pps2phc.core.servo.ServoConfig;
import org.pps2phc.core.servo.Servos;

/** A checked configuration: every key's value (file, else default) and the typed views the parts need. */
public final class Settings {
    /** Where pps2phc looks for its config file when -f is not given. */
    public static final Path DEFAULT_PATH = Path.of("/etc/pps2phc/pps2phc.conf");
    private static final double NS = 1e9;

    private final Keys keys;
    private final ConfigFile.Parsed parsed;

    private Settings(Keys keys, ConfigFile.Parsed parsed) {
        this.keys = keys;
        this.parsed = parsed;
    }

    public static Keys keys() {
        return Keys.registry(Servos.names());
    }

    public static Settings load(Path path) throws ConfigException {
        Keys keys = keys();
        return new Settings(keys, ConfigFile.read(path, keys));
    }

    public static Settings parse(String source, List<String> lines) throws ConfigException {
        Keys keys = keys();
        return new Settings(keys, ConfigFile.parse(source, lines, keys));
    }

    /** Every default, no device: what {@code run --simulate} uses without a config file. */
    public static Settings defaults() {
        try {
            return parse("(defaults)", List.of());
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    public String source() {
        return parsed.source();
    }

    /**
     * Accepted keys that have no effect, as "file:line: ..." lines for the log: ts2phc keys pps2phc does not use, and
     * the PI servo's pi_* keys under another servo.
     */
    public List<String> warnings() {
        List<String> all = new ArrayList<>(parsed.warnings());
        if (!servoName().equals(PiServo.NAME)) {
            for (ConfigFile.Entry e : parsed.global().values()) {
                if (e.key().startsWith("pi_")) {
                    all.add(parsed.source() + ":" + e.line() + ": '" + e.key() + "' has no effect: clock_servo "
                            + servoName() + " ignores the pi_* keys (set clock_servo pi to use them)");
                }
            }
        }
        if (text(Keys.TOD_SOURCE).equals("generic")) {
            for (String key : List.of(Keys.NMEA_SERIALPORT, Keys.NMEA_BAUDRATE, Keys.NMEA_REMOTE_HOST,
                    Keys.NMEA_REMOTE_PORT, Keys.NMEA_DELAY, Keys.QERR_CORRECTION, Keys.GPSD_ADDRESS,
                    Keys.TOD_CROSS_CHECK, Keys.UBX_SETUP)) {
                ConfigFile.Entry e = parsed.global().get(key);
                if (e != null) {
                    all.add(source() + ":" + e.line() + ": '" + key + "' has no effect with ts2phc.tod_source "
                            + "generic: set ts2phc.tod_source nmea (ts2phc's -s nmea) or gpsd to name seconds from "
                            + "the receiver");
                }
            }
        }
        return all;
    }

    /** The device section's name ("eth0", "/dev/ptp0"), or null when the file has none. */
    public String deviceName() {
        return parsed.deviceName();
    }

    /** The value in effect: the device section's, else [global]'s, else the default. */
    public Object value(String name) {
        Key key = keys.get(name);
        ConfigFile.Entry e = key.scope() == Scope.DEVICE ? parsed.device().get(name) : null;
        if (e == null) {
            e = parsed.global().get(name);
        }
        return e != null ? e.value() : key.defaultParsed();
    }

    /** True when the file sets the key (in either section). */
    public boolean isSet(String name) {
        return parsed.global().containsKey(name) || parsed.device().containsKey(name);
    }

    private long integer(String name) {
        return (Long) value(name);
    }

    private double decimal(String name) {
        return (Double) value(name);
    }

    private String text(String name) {
        return (String) value(name);
    }

    private boolean flag(String name) {
        return (Boolean) value(name);
    }

    public ServoConfig servo() {
        double pScale = decimal(Keys.PI_PROPORTIONAL_SCALE);
        double iScale = decimal(Keys.PI_INTEGRAL_SCALE);
        return new ServoConfig(decimal(Keys.FIRST_STEP_THRESHOLD) * NS, decimal(Keys.STEP_THRESHOLD) * NS,
                integer(Keys.MAX_FREQUENCY), decimal(Keys.PI_PROPORTIONAL_CONST), decimal(Keys.PI_INTEGRAL_CONST),
                pScale == 0 ? 0.7 : pScale, decimal(Keys.PI_PROPORTIONAL_EXPONENT),
                decimal(Keys.PI_PROPORTIONAL_NORM_MAX), iScale == 0 ? 0.3 : iScale,
                decimal(Keys.PI_INTEGRAL_EXPONENT), decimal(Keys.PI_INTEGRAL_NORM_MAX),
                integer(Keys.SERVO_OFFSET_THRESHOLD), (int) integer(Keys.SERVO_NUM_OFFSET_VALUES));
    }

    /** The servo's registry name: ts2phc's "pi" is the linuxptp PI servo. */
    public String servoName() {
        String name = text(Keys.CLOCK_SERVO);
        return name.equals("pi") ? "pi-linuxptp" : name;
    }

    public DisciplineConfig discipline() {
        return new DisciplineConfig(servo(), servoName(), integer(Keys.PULSEWIDTH), integer(Keys.EXTTS_CORRECTION),
                decimal(Keys.TOD_MAX_ERROR) * NS, decimal(Keys.LOCK_THRESHOLD), (int) integer(Keys.LOCK_COUNT),
                Math.round(decimal(Keys.PULSE_TIMEOUT) * NS), Math.round(decimal(Keys.HOLDOVER_BUDGET) * NS),
                (int) integer(Keys.TOD_MISMATCH_LIMIT), Math.round(decimal(Keys.TOD_OVERRULE) * NS),
                decimal(Keys.FREQUENCY_AVERAGE), decimal(Keys.OUTLIER_FLOOR), decimal(Keys.OUTLIER_MAD_FACTOR),
                (int) integer(Keys.OUTLIER_RUN_LIMIT), Math.round(decimal(Keys.HOLDOVER_SAMPLES) * NS),
                HoldoverMode.of(text(Keys.HOLDOVER_MODE)));
    }

    public DeviceSettings device() {
        return new DeviceSettings(deviceName(), (int) integer(Keys.CHANNEL), (int) integer(Keys.PIN_INDEX),
                text(Keys.PIN_NAME), text(Keys.EXTTS_POLARITY), integer(Keys.EXTTS_CORRECTION),
                integer(Keys.PULSEWIDTH));
    }

    public TodSettings tod() {
        String own = text(Keys.OWN_REFID);
        return new TodSettings(text(Keys.CHRONY_ADDRESS), (int) Math.round(decimal(Keys.CHRONY_TIMEOUT) * 1000),
                own.equals("none") ? Optional.empty() : Optional.of(own), flag(Keys.TOD_ALLOW_LOCAL),
                decimal(Keys.TOD_MAX_ERROR) * NS, decimal(Keys.TOD_INTERVAL),
                decimal(Keys.TOD_MAX_AGE));
    }

    /**
     * The receiver as the time of day.
     *
     * @throws ConfigException when only one of ts2phc.nmea_remote_host and _port is set
     */
    public ReceiverSettings receiver() throws ConfigException {
        String host = text(Keys.NMEA_REMOTE_HOST);
        String port = text(Keys.NMEA_REMOTE_PORT);
        if (host.isEmpty() != port.isEmpty()) {
            throw new ConfigException(List.of(source() + ": " + (host.isEmpty() ? Keys.NMEA_REMOTE_PORT + " is set "
                    + "without " + Keys.NMEA_REMOTE_HOST : Keys.NMEA_REMOTE_HOST + " is set without "
                    + Keys.NMEA_REMOTE_PORT) + ": set both to read the receiver over TCP, or neither for the serial port"));
        }
        Optional<ReceiverSettings.Remote> remote = host.isEmpty() ? Optional.empty()
                : Optional.of(new ReceiverSettings.Remote(host, Integer.parseInt(port)));
        return new ReceiverSettings(text(Keys.TOD_SOURCE).equals("nmea"), text(Keys.NMEA_SERIALPORT),
                (int) integer(Keys.NMEA_BAUDRATE), remote, integer(Keys.NMEA_DELAY), flag(Keys.QERR_CORRECTION),
                text(Keys.TOD_SOURCE).equals("gpsd"), text(Keys.GPSD_ADDRESS), flag(Keys.TOD_CROSS_CHECK),
                flag(Keys.UBX_SETUP));
    }

    public OutputSettings outputs() {
        return new OutputSettings((int) integer(Keys.NTPSHM_SEGMENT), (int) integer(Keys.NTPSHM_PERM),
                flag(Keys.NTPSHM_TAI), text(Keys.SOCK_PATH));
    }

    public Ptp4lSettings ptp4l() {
        return new Ptp4lSettings(flag(Keys.PTP4L_UPDATE), text(Keys.UDS_ADDRESS), text(Keys.PTP4L_CLIENT_ADDRESS),
                (int) integer(Keys.DOMAIN_NUMBER),
                (int) integer(Keys.TRANSPORT_SPECIFIC), decimal(Keys.PTP4L_CHECK_PERIOD),
                (int) integer(Keys.CLOCK_CLASS_LOCKED), (int) integer(Keys.CLOCK_CLASS_HOLDOVER),
                (int) integer(Keys.CLOCK_CLASS_FREE_RUNNING), decimal(Keys.CLOCK_ACCURACY),
                (int) integer(Keys.OFFSET_SCALED_LOG_VARIANCE), (int) integer(Keys.TIME_SOURCE));
    }

    public LoggingSettings logging() {
        return new LoggingSettings((int) integer(Keys.LOGGING_LEVEL), text(Keys.MESSAGE_TAG),
                text(Keys.PULSE_LOG_LEVEL), (int) integer(Keys.PULSE_LOG_INTERVAL),
                (int) integer(Keys.SUMMARY_INTERVAL));
    }

    /** The leap file to read ("" when none): the time-of-day adapter reads it. */
    public String leapfile() {
        return text(Keys.LEAPFILE);
    }

    /**
     * What the daemon will make of the configured leap file, for {@code --check-config}: as {@code problems}, why
     * it would ignore the file (missing, unreadable, not a leap-seconds.list, a '#h' line that does not match);
     * as {@code warnings}, that it has expired (its last offset is still used). Nothing when no leapfile is set.
     *
     * @param nowUtcS POSIX seconds now, for the expiry
     */
    public LeapfileCheck checkLeapfile(long nowUtcS) {
        String name = leapfile();
        if (name.isEmpty()) {
            return new LeapfileCheck(List.of(), List.of());
        }
        ConfigFile.Entry entry = parsed.global().get(Keys.LEAPFILE);
        String where = entry == null ? "" : parsed.source() + ":" + entry.line() + ": ";
        Path path = Path.of(name);
        LeapTable table;
        try {
            if (Files.exists(path) && !Files.isRegularFile(path)) {
                return LeapfileCheck.problem(where + "leapfile " + path + " is not a regular file (a "
                        + "leap-seconds.list is)");
            }
            table = LeapTable.parse(ConfigFile.readAtMost(path, LeapTable.MAX_BYTES), path.toString());
        } catch (NoSuchFileException e) {
            return LeapfileCheck.problem(where + "leapfile " + path + " does not exist (install tzdata, or point "
                    + "'leapfile' at a current leap-seconds.list)");
        } catch (IOException e) {
            return LeapfileCheck.problem(where + "cannot read leapfile " + path + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return LeapfileCheck.problem(where + "leapfile is not a leap-seconds.list the daemon can use: "
                    + e.getMessage());
        }
        if (table.hashStatus() == LeapTable.HashStatus.MISMATCH) {
            return LeapfileCheck.problem(where + "leapfile " + path + " does not match its '#h' SHA-1 line "
                    + "(damaged or edited): the daemon would ignore it");
        }
        if (table.expiredAt(nowUtcS)) {
            return new LeapfileCheck(List.of(), List.of(where + "leapfile " + path + " expired "
                    + LeapTable.utcDate(table.expiresUtcS().getAsLong()) + ": TAI-UTC " + table.lastOffset()
                    + " is kept, but a newly announced leap second would be missed (update tzdata)"));
        }
        return new LeapfileCheck(List.of(), List.of());
    }

    /** The outcome of {@link #checkLeapfile}: problems make the configuration invalid, warnings do not. */
    public record LeapfileCheck(List<String> problems, List<String> warnings) {
        static LeapfileCheck problem(String problem) {
            return new LeapfileCheck(List.of(problem), List.of());
        }
    }

    /** The utc_offset key when the file sets it: the last resort for TAI-UTC. */
    public java.util.OptionalInt configuredUtcOffset() {
        return isSet(Keys.UTC_OFFSET) ? java.util.OptionalInt.of((int) integer(Keys.UTC_OFFSET))
                : java.util.OptionalInt.empty();
    }

    /** TAI-UTC to start with, before a leap file or chrony says more. */
    public LeapState initialLeap() {
        return LeapState.fixed((int) integer(Keys.UTC_OFFSET), "config utc_offset");
    }

    public Path statusDir() {
        return Path.of(text(Keys.STATUS_DIR));
    }

    /** Where to serve Prometheus metrics, or empty when metrics_address is not set. */
    public Optional<java.net.InetSocketAddress> metricsAddress() {
        String a = text(Keys.METRICS_ADDRESS);
        return a.isEmpty() ? Optional.empty()
                : Optional.of(ChronyAddressParser.hostPort(Keys.METRICS_ADDRESS, a, -1));
    }

    /** Keys whose value differs from {@code other}'s, split by whether SIGHUP can apply them. */
    public Changes changesTo(Settings other) {
        List<String> live = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        for (Key k : keys.all()) {
            if (!Objects.equals(value(k.name()), other.value(k.name()))) {
                (k.live() ? live : restart).add(k.name());
            }
        }
        if (!Objects.equals(deviceName(), other.deviceName())) {
            restart.add(other.deviceName() == null ? "the device section (removed)"
                    : "[" + other.deviceName() + "] (the device)");
        }
        return new Changes(live, restart);
    }

    /** What a reload changes: {@code live} keys are applied, {@code restart} keys wait for a restart. */
    public record Changes(List<String> live, List<String> restart) {
        public boolean none() {
            return live.isEmpty() && restart.isEmpty();
        }
    }
}
