package org.pps2phc.config;

import static org.pps2phc.config.Scope.DEVICE;
import static org.pps2phc.config.Scope.GLOBAL;
import static org.pps2phc.config.ValueType.bool;
import static org.pps2phc.config.ValueType.checked;
import static org.pps2phc.config.ValueType.choice;
import static org.pps2phc.config.ValueType.decimal;
import static org.pps2phc.config.ValueType.hexInteger;
import static org.pps2phc.config.ValueType.integer;
import static org.pps2phc.config.ValueType.octal;
import static org.pps2phc.config.ValueType.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pps2phc.core.RefId;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.HoldoverMode;

/**
 * Every key pps2phc's config file accepts: the ts2phc keys that apply (so an existing ts2phc.conf is a valid start),
 * ts2phc keys that are accepted with a warning because they have no effect here, and pps2phc's own keys.
 * docs/configuration.md is generated from this list (ConfigDocTest keeps it true).
 */
public final class Keys {
    public static final String CLOCK_SERVO = "clock_servo";
    public static final String FIRST_STEP_THRESHOLD = "first_step_threshold";
    public static final String STEP_THRESHOLD = "step_threshold";
    public static final String MAX_FREQUENCY = "max_frequency";
    public static final String PI_PROPORTIONAL_CONST = "pi_proportional_const";
    public static final String PI_INTEGRAL_CONST = "pi_integral_const";
    public static final String PI_PROPORTIONAL_SCALE = "pi_proportional_scale";
    public static final String PI_PROPORTIONAL_EXPONENT = "pi_proportional_exponent";
    public static final String PI_PROPORTIONAL_NORM_MAX = "pi_proportional_norm_max";
    public static final String PI_INTEGRAL_SCALE = "pi_integral_scale";
    public static final String PI_INTEGRAL_EXPONENT = "pi_integral_exponent";
    public static final String PI_INTEGRAL_NORM_MAX = "pi_integral_norm_max";
    public static final String SERVO_OFFSET_THRESHOLD = "servo_offset_threshold";
    public static final String SERVO_NUM_OFFSET_VALUES = "servo_num_offset_values";
    public static final String LEAPFILE = "leapfile";
    public static final String UTC_OFFSET = "utc_offset";
    public static final String LOGGING_LEVEL = "logging_level";
    public static final String MESSAGE_TAG = "message_tag";
    public static final String NTPSHM_SEGMENT = "ntpshm_segment";
    public static final String UDS_ADDRESS = "uds_address";
    public static final String DOMAIN_NUMBER = "domainNumber";
    public static final String TRANSPORT_SPECIFIC = "transportSpecific";
    public static final String PULSEWIDTH = "ts2phc.pulsewidth";
    public static final String CHANNEL = "ts2phc.channel";
    public static final String PIN_INDEX = "ts2phc.pin_index";
    public static final String PIN_NAME = "ts2phc.pin_name";
    public static final String EXTTS_POLARITY = "ts2phc.extts_polarity";
    public static final String EXTTS_CORRECTION = "ts2phc.extts_correction";
    public static final String TOD_SOURCE = "ts2phc.tod_source";
    public static final String NMEA_SERIALPORT = "ts2phc.nmea_serialport";
    public static final String NMEA_BAUDRATE = "ts2phc.nmea_baudrate";
    public static final String NMEA_REMOTE_HOST = "ts2phc.nmea_remote_host";
    public static final String NMEA_REMOTE_PORT = "ts2phc.nmea_remote_port";
    public static final String NMEA_DELAY = "ts2phc.nmea_delay";
    public static final String QERR_CORRECTION = "qerr_correction";
    public static final String GPSD_ADDRESS = "gpsd_address";
    public static final String TOD_CROSS_CHECK = "tod_cross_check";
    public static final String UBX_SETUP = "ubx_setup";
    /** The serial speeds a port can be set to (the kernel's standard ones up to 921600). */
    public static final List<Long> STANDARD_BAUDS = List.of(300L, 600L, 1200L, 1800L, 2400L, 4800L, 9600L, 19200L,
            38400L, 57600L, 115200L, 230400L, 460800L, 500000L, 576000L, 921600L);

    public static final String CHRONY_ADDRESS = "chrony_address";
    public static final String CHRONY_TIMEOUT = "chrony_timeout";
    public static final String OWN_REFID = "own_refid";
    public static final String TOD_ALLOW_LOCAL = "tod_allow_local";
    public static final String TOD_MAX_ERROR = "tod_max_error";
    public static final String TOD_INTERVAL = "tod_interval";
    public static final String TOD_MAX_AGE = "tod_max_age";
    public static final String TOD_MISMATCH_LIMIT = "tod_mismatch_limit";
    public static final String TOD_OVERRULE = "tod_overrule";
    public static final String LOCK_THRESHOLD = "lock_threshold";
    public static final String LOCK_COUNT = "lock_count";
    public static final String PULSE_TIMEOUT = "pulse_timeout";
    public static final String HOLDOVER_BUDGET = "holdover_budget";
    public static final String HOLDOVER_SAMPLES = "holdover_samples";
    public static final String FREQUENCY_AVERAGE = "frequency_average";
    public static final String HOLDOVER_MODE = "holdover_mode";
    public static final String OUTLIER_FLOOR = "outlier_floor";
    public static final String OUTLIER_MAD_FACTOR = "outlier_mad_factor";
    public static final String OUTLIER_RUN_LIMIT = "outlier_run_limit";
    public static final String NTPSHM_PERM = "ntpshm_perm";
    public static final String NTPSHM_TAI = "ntpshm_tai";
    public static final String SOCK_PATH = "sock_path";
    public static final String PTP4L_UPDATE = "ptp4l_update";
    public static final String PTP4L_CLIENT_ADDRESS = "ptp4l_client_address";
    public static final String PTP4L_CHECK_PERIOD = "ptp4l_check_period";
    public static final String CLOCK_CLASS_LOCKED = "clock_class_locked";
    public static final String CLOCK_CLASS_HOLDOVER = "clock_class_holdover";
    public static final String CLOCK_CLASS_FREE_RUNNING = "clock_class_free_running";
    public static final String CLOCK_ACCURACY = "clock_accuracy";
    public static final String OFFSET_SCALED_LOG_VARIANCE = "offset_scaled_log_variance";
    public static final String TIME_SOURCE = "time_source";
    public static final String PULSE_LOG_LEVEL = "pulse_log_level";
    public static final String PULSE_LOG_INTERVAL = "pulse_log_interval";
    public static final String SUMMARY_INTERVAL = "summary_interval";
    public static final String STATUS_DIR = "status_dir";
    public static final String METRICS_ADDRESS = "metrics_address";

    private final Map<String, Key> byName;

    private Keys(List<Key> keys) {
        Map<String, Key> map = new LinkedHashMap<>();
        for (Key k : keys) {
            if (map.put(k.name(), k) != null) {
                throw new IllegalStateException("duplicate key " + k.name());
            }
        }
        this.byName = map;
    }

    /** The registry, with the servo names the engine knows. */
    public static Keys registry(List<String> servoNames) {
        List<String> servos = new ArrayList<>();
        servos.add("pi");
        for (String s : servoNames) {
            if (!servos.contains(s)) {
                servos.add(s);
            }
        }
        // The engine's own tunables take their defaults from the engine, so the two cannot drift apart.
        DisciplineConfig d = DisciplineConfig.defaults();
        List<Key> k = new ArrayList<>();
        // --- the discipline: ts2phc/linuxptp servo keys
        k.add(key(CLOCK_SERVO, choice(servos.toArray(String[]::new)), d.servoName(), GLOBAL, "", false,
                "The servo that steers the PHC. 'kalman' tracks phase, frequency and its drift, with about half "
                        + "the PI's RMS error in the simulator (docs/benchmarks.md); 'pi' and 'pi-linuxptp' are linuxptp's PI "
                        + "servo with its semantics and pi_* keys, for ts2phc's exact behaviour."));
        k.add(key(FIRST_STEP_THRESHOLD, decimal(0, 1e6), "0.00002", GLOBAL, "s", false,
                "On the first servo update of an era, step the PHC when |offset| exceeds this (0: never step at "
                        + "start)."));
        k.add(key(STEP_THRESHOLD, decimal(0, 1e6), "0.0", GLOBAL, "s", false,
                "Step the PHC whenever |offset| exceeds this (0: never step after the first update)."));
        k.add(key(MAX_FREQUENCY, integer(0, Integer.MAX_VALUE), "900000000", GLOBAL, "ppb", false,
                "Cap on the frequency adjustment, on top of the device's own limit (0: the device's limit only)."));
        k.add(key(PI_PROPORTIONAL_CONST, decimal(0, Double.MAX_VALUE), "0.0", GLOBAL, "", false,
                "PI servo proportional constant (0: derived from pi_proportional_scale/exponent/norm_max)."));
        k.add(key(PI_INTEGRAL_CONST, decimal(0, Double.MAX_VALUE), "0.0", GLOBAL, "", false,
                "PI servo integral constant (0: derived from pi_integral_scale/exponent/norm_max)."));
        k.add(key(PI_PROPORTIONAL_SCALE, decimal(0, Double.MAX_VALUE), "0.0", GLOBAL, "", false,
                "PI proportional scale (0: 0.7, linuxptp's value for hardware time stamps)."));
        k.add(key(PI_PROPORTIONAL_EXPONENT, decimal(-Double.MAX_VALUE, Double.MAX_VALUE), "-0.3", GLOBAL, "", false,
                "PI proportional exponent."));
        k.add(key(PI_PROPORTIONAL_NORM_MAX, decimal(Double.MIN_VALUE, 1.0), "0.7", GLOBAL, "", false,
                "PI proportional norm max."));
        k.add(key(PI_INTEGRAL_SCALE, decimal(0, Double.MAX_VALUE), "0.0", GLOBAL, "", false,
                "PI integral scale (0: 0.3, linuxptp's value for hardware time stamps)."));
        k.add(key(PI_INTEGRAL_EXPONENT, decimal(-Double.MAX_VALUE, Double.MAX_VALUE), "0.4", GLOBAL, "", false,
                "PI integral exponent."));
        k.add(key(PI_INTEGRAL_NORM_MAX, decimal(Double.MIN_VALUE, 2.0), "0.3", GLOBAL, "", false,
                "PI integral norm max."));
        k.add(key(SERVO_OFFSET_THRESHOLD, integer(0, Integer.MAX_VALUE), "0", GLOBAL, "ns", false,
                "The servo counts as stable when the last servo_num_offset_values offsets are all under this "
                        + "(0: off)."));
        k.add(key(SERVO_NUM_OFFSET_VALUES, integer(0, 1000), "10", GLOBAL, "", false,
                "How many offsets servo_offset_threshold looks at."));
        // --- the pulse input (ts2phc per-device keys)
        k.add(key(PULSEWIDTH, integer(-1, 999_999_999), "-1", GLOBAL, "ns", false,
                "The PPS pulse width, which tells the leading edge from the trailing one on NICs that stamp both "
                        + "(-1: learn it from the pulse train; ts2phc assumed half a period)."));
        k.add(key(CHANNEL, integer(0, 255), "0", DEVICE, "", false, "The external time stamp channel to arm."));
        k.add(key(PIN_INDEX, integer(0, 255), "0", DEVICE, "", false,
                "The SDP pin to program for external time stamps (ignored when ts2phc.pin_name is set)."));
        k.add(key(PIN_NAME, text(64), "", DEVICE, "", false,
                "The pin to program, by the name the driver gives it (overrides ts2phc.pin_index)."));
        k.add(key(EXTTS_POLARITY, choice("rising", "falling", "both"), "rising", DEVICE, "", false,
                "Which edge is the pulse's on-time edge; 'both' for NICs that stamp both edges (Intel i210/i225/i226)."));
        k.add(key(EXTTS_CORRECTION, integer(Integer.MIN_VALUE, Integer.MAX_VALUE), "0", DEVICE, "ns", false,
                "Added to every external time stamp: cable and input delay."));
        // --- time of day
        k.add(key(TOD_SOURCE, choice("generic", "nmea", "gpsd"), "generic", GLOBAL, "", false,
                "Where seconds are named from: 'generic', the system clock checked with chrony; 'nmea', the GNSS "
                        + "receiver's own NMEA and UBX messages on ts2phc.nmea_serialport (or TCP), paired with each "
                        + "pulse, which needs no chrony and no network; 'gpsd', gpsd's TOFF reports on this machine "
                        + "(gpsd_address), paired the same way (docs/receiver.md)."));
        k.add(key(GPSD_ADDRESS, checked(text(200), v -> ChronyAddressParser.hostPort("gpsd address", v, 2947)),
                "127.0.0.1:2947", GLOBAL, "", false, "gpsd's address, for ts2phc.tod_source gpsd: host:port (TCP)."));
        k.add(key(UBX_SETUP, bool(), "0", GLOBAL, "", false,
                "1: each time the serial port is opened, switch on u-blox's NAV-TIMEUTC, NAV-TIMELS and TIM-TP in "
                        + "the receiver's RAM only (CFG-VALSET to the RAM layer, CFG-MSG for older receivers); "
                        + "nothing is written to flash, and a power cycle undoes it. 0: pps2phc never writes to the "
                        + "receiver."));
        k.add(key(TOD_CROSS_CHECK, bool(), "0", GLOBAL, "", false,
                "1: with ts2phc.tod_source nmea or gpsd, chronyd is asked too (chrony_address, tod_* keys), as a "
                        + "cross-check: when both are trusted and disagree beyond their error bounds, neither names a "
                        + "second, and the verdict says so."));
        k.add(key(NMEA_SERIALPORT, text(4096), "/dev/ttyS0", GLOBAL, "", false,
                "The receiver's serial port, for ts2phc.tod_source nmea (read only, raw 8N1, locked against a "
                        + "second reader)."));
        k.add(key(NMEA_BAUDRATE, checked(integer(300, 921_600), v -> {
            if (!STANDARD_BAUDS.contains(Long.parseLong(v.trim()))) {
                throw new IllegalArgumentException("not a standard speed: one of " + STANDARD_BAUDS);
            }
        }), "9600", GLOBAL, "", false, "The serial port's speed (the receiver's output baud rate)."));
        k.add(key(NMEA_REMOTE_HOST, text(255), "", GLOBAL, "", false,
                "Read the receiver over TCP from this host instead of the serial port (with ts2phc.nmea_remote_port)."));
        k.add(key(NMEA_REMOTE_PORT, checked(text(5), v -> {
            if (!v.isEmpty() && (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > 65535)) {
                throw new IllegalArgumentException("not a TCP port (1-65535)");
            }
        }), "", GLOBAL, "", false, "The TCP port for ts2phc.nmea_remote_host."));
        k.add(key(NMEA_DELAY, integer(0, 5_000_000_000L), "0", GLOBAL, "ns", false,
                "The least delay of the receiver's messages after their pulse: the pulse a burst describes is the "
                        + "one in the second before the burst's start less this (set it for receivers whose messages "
                        + "come more than a second late)."));
        k.add(key(QERR_CORRECTION, bool(), "1", GLOBAL, "", false,
                "With ts2phc.tod_source nmea: correct each pulse by the quantisation error (qErr) that u-blox's UBX "
                        + "TIM-TP announces for it (enable TIM-TP in the receiver); 0 for a GPSDO or a disciplined "
                        + "pulse, whose qErr does not describe the pulse."));
        k.add(key("ts2phc.pulserate", integer(1, 1), "1", GLOBAL, "Hz", false,
                "Pulses per second: pps2phc takes one pulse per second."));
        k.add(key(CHRONY_ADDRESS, checked(text(200), ChronyAddressParser::parse), "127.0.0.1:323", GLOBAL, "", false,
                "chronyd's command address for the time-of-day check: host:port (UDP; IPv6 as [::1]:323)."));
        k.add(key(CHRONY_TIMEOUT, decimal(0.01, 10), "1", GLOBAL, "s", false,
                "How long the first query to chronyd waits for its reply; two retries wait twice and four times as "
                        + "long (chronyc's 1, 2, 4 s by default). Past that the time of day counts as unknown."));
        k.add(key(OWN_REFID, checked(text(4), r -> {
            if (!r.equals("none")) {
                RefId.of(r);
            }
        }), "PHC0", GLOBAL, "", false,
                "The refid of pps2phc's own refclock in chrony.conf: while chrony follows it, its time of day "
                        + "names no second unless another source agrees (no loop); 'none' turns the check off."));
        k.add(key(TOD_ALLOW_LOCAL, bool(), "0", GLOBAL, "", false,
                "1: accept chrony's free-running 'local' reference as a time of day (labs without any real source)."));
        k.add(key(TOD_MAX_ERROR, decimal(1e-6, 0.5), num(d.todMaxErrorNs() / 1e9), GLOBAL, "s", false,
                "The largest error bound (chrony's root distance) with which the system clock may name a second."));
        k.add(key(TOD_INTERVAL, decimal(1, 3600), "1", GLOBAL, "s", true,
                "How often chronyd is asked about the system clock."));
        k.add(key(TOD_MAX_AGE, decimal(2, 86400), "10", GLOBAL, "s", true,
                "A time-of-day verdict older than this (and than three tod_interval) is untrusted: a poller that "
                        + "stopped answering never leaves a stale 'trusted' in force."));
        k.add(key(TOD_MISMATCH_LIMIT, integer(1, 86400), num(d.todMismatchLimit()), GLOBAL, "", false,
                "Consecutive disagreements between a trusted time of day and the PHC's seconds before re-acquiring."));
        k.add(key(TOD_OVERRULE, decimal(10, 30 * 86400), num(d.todOverruleNs() / 1e9), GLOBAL, "s", false,
                "A trusted time of day that disagrees with a PHC locked on its seconds by the same whole seconds "
                        + "for this long wins and relabels it; meanwhile the seconds are disputed and not locked. The "
                        + "same for a TAI-UTC other than the one in use."));
        k.add(key(LEAPFILE, text(4096), "", GLOBAL, "", false,
                "A leap-seconds.list file for TAI-UTC and announced leap seconds (empty: utc_offset, then chrony)."));
        k.add(key(UTC_OFFSET, integer(0, 1000), "37", GLOBAL, "s", false,
                "TAI-UTC to start with, until a leap file or chrony says otherwise."));
        // --- states
        k.add(key(LOCK_THRESHOLD, decimal(1, 1e9), num(d.lockThresholdNs()), GLOBAL, "ns", false,
                "|offset| under which a pulse counts towards lock."));
        k.add(key(LOCK_COUNT, integer(1, 3600), num(d.lockCount()), GLOBAL, "", false,
                "Consecutive pulses under lock_threshold that make the state LOCKED."));
        k.add(key(PULSE_TIMEOUT, decimal(1.1, 60), num(d.pulseTimeoutNs() / 1e9), GLOBAL, "s", false,
                "No accepted pulse for this long while locked: HOLDOVER."));
        k.add(key(HOLDOVER_BUDGET, decimal(0, 30 * 86400), num(d.holdoverBudgetNs() / 1e9), GLOBAL, "s", false,
                "HOLDOVER lasts at most this long, then FREE_RUNNING."));
        k.add(key(HOLDOVER_SAMPLES, decimal(0, 30 * 86400), num(d.holdoverSamplesNs() / 1e9), GLOBAL, "s", false,
                "Keep feeding chrony/ntpd samples this long into holdover (0: only while locked)."));
        k.add(key(FREQUENCY_AVERAGE, decimal(1, 86400), num(d.frequencyAverageS()), GLOBAL, "s", false,
                "Time constant of the frequency average that holdover keeps."));
        k.add(key(HOLDOVER_MODE, choice(Arrays.stream(HoldoverMode.values()).map(HoldoverMode::key)
                        .toArray(String[]::new)), d.holdoverMode().key(), GLOBAL, "", false,
                "What the PHC runs at in HOLDOVER: predict, the frequency predicted from what the lock saw (its "
                        + "trend, a temperature swing fitted to the last hour); freeze, the last frequency the servo "
                        + "dialled, as linuxptp's ts2phc keeps it (a baseline to compare with)."));
        k.add(key(OUTLIER_FLOOR, decimal(0, 1e9), num(d.outlierFloorNs()), GLOBAL, "ns", false,
                "A locked pulse this close to the expected offset is never an outlier."));
        k.add(key(OUTLIER_MAD_FACTOR, decimal(1, 1000), num(d.outlierMadFactor()), GLOBAL, "", false,
                "A locked pulse further than this many median absolute deviations from the median is an outlier."));
        k.add(key(OUTLIER_RUN_LIMIT, integer(1, 3600), num(d.outlierRunLimit()), GLOBAL, "", false,
                "This many outliers in a row means the reference moved: re-acquire."));
        k.add(ignored("ts2phc.holdover", integer(0, Integer.MAX_VALUE), "0", GLOBAL, "s",
                "pps2phc keeps naming seconds from the PHC when the time of day is lost, and holds over on lost "
                        + "pulses for holdover_budget", "ts2phc's time-of-day holdover."));
        // --- outputs
        k.add(key(NTPSHM_SEGMENT, integer(-1, 255), "0", GLOBAL, "", false,
                "The NTP SHM unit to feed (chrony 'refclock SHM N', ntpd 127.127.28.N); -1: no SHM output."));
        k.add(key(NTPSHM_PERM, octal(0, 0777), "0600", GLOBAL, "", false,
                "Permissions of the SHM segment when pps2phc creates it (0600: root's chronyd or ntpd attach "
                        + "whatever the mode; a reader running as another user writes to it too, so it needs 0660 and "
                        + "a shared group, or 0666)."));
        k.add(key(NTPSHM_TAI, bool(), "0", GLOBAL, "", false,
                "1: the SHM segment carries TAI (chrony's 'tai' option); 0: UTC."));
        k.add(key(SOCK_PATH, text(107), "", GLOBAL, "", false,
                "chrony's SOCK refclock socket to send samples to (chrony 'refclock SOCK PATH'); empty: none."));
        k.add(key(UDS_ADDRESS, text(107), "/var/run/ptp4l", GLOBAL, "", false,
                "ptp4l's management socket, for ptp4l_update."));
        k.add(key(PTP4L_CLIENT_ADDRESS, text(107), "", GLOBAL, "", false,
                "pps2phc's own socket, which ptp4l replies to; empty: the abstract name @pps2phc.PID.ptp4l. A path "
                        + "(e.g. /var/run/pps2phc.ptp4l) when ptp4l runs in another network namespace."));
        k.add(key(DOMAIN_NUMBER, integer(0, 255), "0", GLOBAL, "", false, "ptp4l's PTP domain."));
        k.add(key(TRANSPORT_SPECIFIC, integer(0, 15), "0", GLOBAL, "", false,
                "transportSpecific (majorSdoId) of management messages to ptp4l."));
        k.add(key(PTP4L_UPDATE, bool(), "0", GLOBAL, "", false,
                "1: keep ptp4l's GRANDMASTER_SETTINGS_NP true to the discipline state (replaces the pmc scripts)."));
        k.add(key(PTP4L_CHECK_PERIOD, decimal(1, 3600), "5", GLOBAL, "s", false,
                "How often ptp4l's settings are read back, and set again if ptp4l lost them (after a restart)."));
        k.add(key(CLOCK_CLASS_LOCKED, integer(0, 255), "6", GLOBAL, "", false, "clockClass while LOCKED."));
        k.add(key(CLOCK_CLASS_HOLDOVER, integer(0, 255), "7", GLOBAL, "", false, "clockClass in HOLDOVER."));
        k.add(key(CLOCK_CLASS_FREE_RUNNING, integer(0, 255), "248", GLOBAL, "", false,
                "clockClass while ACQUIRING or FREE_RUNNING."));
        k.add(key(CLOCK_ACCURACY, decimal(-1, 1e12), "100", GLOBAL, "ns", false,
                "The PHC's accuracy against GNSS time while LOCKED, announced as the PTP clockAccuracy it falls in "
                        + "(100 ns: 0x21); -1: announce unknown (0xfe)."));
        k.add(key(OFFSET_SCALED_LOG_VARIANCE, hexInteger(0, 0xffff), "0xffff", GLOBAL, "", false,
                "offsetScaledLogVariance announced to ptp4l."));
        k.add(key(TIME_SOURCE, hexInteger(0, 0xff), "0x20", GLOBAL, "", false,
                "timeSource announced to ptp4l while LOCKED or in HOLDOVER (0x20: GNSS; otherwise 0xa0, internal "
                        + "oscillator)."));
        // --- logging and status
        k.add(key(LOGGING_LEVEL, integer(0, 7), "6", GLOBAL, "", true,
                "Syslog priority of the least important line logged: 3 errors, 4 warnings, 5 notices (state "
                        + "changes), 6 info, 7 debug."));
        k.add(key(MESSAGE_TAG, text(64), "", GLOBAL, "", true, "Text put at the start of every log line."));
        k.add(key(PULSE_LOG_LEVEL, choice("debug", "info", "notice", "off"), "info", GLOBAL, "", true,
                "The level of the line logged per pulse (ts2phc style: offset, servo state, frequency)."));
        k.add(key(PULSE_LOG_INTERVAL, integer(1, 3600), "1", GLOBAL, "", true,
                "Log every Nth pulse."));
        k.add(key(SUMMARY_INTERVAL, integer(0, 86400), "60", GLOBAL, "s", true,
                "Log a summary (offset RMS and max, frequency, missing pulses, outliers, glitches) this often "
                        + "(0: never)."));
        k.add(key(STATUS_DIR, text(4000), "/run/pps2phc", GLOBAL, "", false,
                "Where the daemon keeps its status file for 'pps2phc status'."));
        k.add(key(METRICS_ADDRESS, checked(text(200), a -> {
            if (!a.isEmpty()) {
                ChronyAddressParser.hostPort("metrics_address", a, -1);
            }
        }), "", GLOBAL, "", false,
                "Where to serve Prometheus metrics at /metrics: host:port (IPv6 as [::1]:9720), e.g. 127.0.0.1:9720; "
                        + "empty: no metrics endpoint. docs/monitoring.md lists the metrics."));
        k.add(ignored("use_syslog", bool(), "1", GLOBAL, "",
                "pps2phc logs to standard error; under systemd the journal keeps each line with its priority",
                "linuxptp: log to syslog."));
        k.add(ignored("verbose", bool(), "0", GLOBAL, "",
                "pps2phc logs to standard error; under systemd the journal keeps each line with its priority",
                "linuxptp: also log to standard output."));
        // --- ts2phc keys with no meaning here
        k.add(ignored("ts2phc.external_pps", bool(), "0", GLOBAL, "",
                "ts2phc's automatic mode (-a) is not supported", "ts2phc: the PPS comes from outside (-a mode)."));
        k.add(ignored("ts2phc.master", bool(), "0", DEVICE, "",
                "a PHC as the pulse source is not supported", "ts2phc: this PHC is the pulse source."));
        k.add(ignored("ts2phc.perout_phase", integer(-1, 999_999_999), "-1", DEVICE, "ns",
                "a PHC as the pulse source is not supported", "ts2phc: periodic output phase."));
        k.add(key("free_running", integer(0, 0), "0", GLOBAL, "", false,
                "linuxptp: do not adjust the clock. pps2phc always disciplines the PHC, so only 0 is allowed."));
        for (String auth : List.of("sa_file", "spp", "active_key_id")) {
            k.add(ignored(auth, text(4096), auth.equals("spp") ? "-1" : auth.equals("sa_file") ? "" : "0", GLOBAL,
                    "", "PTP authentication is ptp4l's business, not pps2phc's", "linuxptp: PTP authentication."));
        }
        k.add(ignored("tx_timestamp_timeout", integer(1, Integer.MAX_VALUE), "10", GLOBAL, "ms",
                "it is a ptp4l key: set it in ptp4l.conf", "ptp4l: transmit time stamp timeout."));
        return new Keys(k);
    }

    /** A default as the file would write it: "20", "0.1", "3.5". */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static Key key(String name, ValueType type, String def, Scope scope, String unit, boolean live,
                           String meaning) {
        return new Key(name, type, def, scope, unit, live, null, meaning);
    }

    private static Key ignored(String name, ValueType type, String def, Scope scope, String unit, String why,
                               String meaning) {
        return new Key(name, type, def, scope, unit, false, why, meaning);
    }

    public Optional<Key> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Key get(String name) {
        Key k = byName.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no key " + name);
        }
        return k;
    }

    public List<Key> all() {
        return List.copyOf(byName.values());
    }

    /** The known key nearest to a mistyped one, when it is close enough to be a typo. */
    public Optional<String> nearest(String name) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : byName.keySet()) {
            int d = editDistance(name.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int allowed = Math.max(2, name.length() / 4);
        return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
    }

    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
