package org.pps2phc.sim;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;

/**
 * The presets and defaults of the model (docs/simulator.md), and the parsing of {@code KEY=VALUE} overrides. Every
 * key has a default here; a preset overrides some of them; {@code --set} overrides any.
 */
public final class Scenarios {
    /** The model's defaults in docs/simulator.md's order: the noise model, sim.leap, then the faults (none). */
    private static final Map<String, String> DEFAULTS = ordered(
            "sim.start", "1780272037",
            "sim.duration", "86400",
            "osc.freq_ppb", "0",
            "osc.rw_ppb_per_sqrt_s", "0.01",
            "osc.temp_amp_ppb", "0",
            "osc.temp_period_s", "3600",
            "osc.wfm_adev", "1e-10",
            "phc.initial_offset_s", "-37.2",
            "phc.max_adj_ppb", "62499999",
            "phc.tick_ns", "1",
            "phc.step_error_ns", "0",
            "pps.jitter_ns", "5",
            "pps.sawtooth_ns", "0",
            "pps.miss_prob", "0",
            "pps.outages", "none",
            "pps.glitch_prob", "0",
            "pps.width_ms", "100",
            "nic.both_edges", "false",
            "nic.delivery_ms", "0.05:0.5",
            "sys.offset_ms", "0.5",
            "sys.jitter_ms", "0.2",
            "sys.bound_ms", "10",
            "sys.untrusted", "none",
            "xts.width_ns", "1500",
            "sim.leap", "none",
            "tai.glitch", "none",
            "sys.steps", "none",
            "phc.external_steps", "none",
            "phc.external_freq", "none",
            "nic.reports_edges", "auto",
            "nic.removed", "none",
            "tod.source", "sys",
            "gnss.protocol", "nmea",
            "gnss.baud", "9600",
            "gnss.delay_ms", "100:150",
            "gnss.burst_bytes", "500",
            "gnss.miss_prob", "0",
            "gnss.void", "none",
            "gnss.bad_utc", "none",
            "gnss.qerr", "false");

    private static final Map<String, Map<String, String>> PRESETS = new LinkedHashMap<>();

    static {
        PRESETS.put("i210-f9t", ordered(
                "osc.freq_ppb", "23700", "osc.rw_ppb_per_sqrt_s", "0.02", "osc.temp_amp_ppb", "20",
                "osc.temp_period_s", "1800", "osc.wfm_adev", "2e-10", "pps.jitter_ns", "4", "nic.both_edges", "true",
                "pps.width_ms", "100", "phc.step_error_ns", "4500",
                "gnss.protocol", "both", "gnss.baud", "115200", "gnss.delay_ms", "40:60", "gnss.burst_bytes", "1000",
                "gnss.qerr", "true"));
        PRESETS.put("e810-gpsdo", ordered(
                "osc.freq_ppb", "-3100", "osc.rw_ppb_per_sqrt_s", "0.005", "osc.temp_amp_ppb", "5",
                "pps.jitter_ns", "1", "xts.width_ns", "50",
                "gnss.delay_ms", "200:250", "gnss.burst_bytes", "400"));
        PRESETS.put("cm4-m8t", ordered(
                "osc.freq_ppb", "12000", "osc.rw_ppb_per_sqrt_s", "0.05", "osc.temp_amp_ppb", "50",
                "osc.temp_period_s", "600", "pps.jitter_ns", "8", "pps.sawtooth_ns", "21", "nic.delivery_ms", "1:250",
                "phc.tick_ns", "8",
                "gnss.protocol", "both", "gnss.delay_ms", "75:80", "gnss.burst_bytes", "768", "gnss.qerr", "true"));
        PRESETS.put("harsh", ordered(
                "osc.freq_ppb", "-87000", "osc.rw_ppb_per_sqrt_s", "0.05", "osc.temp_amp_ppb", "100",
                "osc.temp_period_s", "900", "pps.jitter_ns", "20", "pps.miss_prob", "0.01", "pps.glitch_prob", "0.001",
                "pps.outages", "3600:120,40000:900", "nic.both_edges", "true", "pps.width_ms", "200",
                "sys.offset_ms", "30", "sys.jitter_ms", "5", "sys.bound_ms", "60", "sys.untrusted", "20000:600",
                "gnss.delay_ms", "350:450", "gnss.burst_bytes", "600", "gnss.miss_prob", "0.02"));
    }

    /** TAI-UTC of the simulated world before any {@code sim.leap}. */
    public static final int TAI_MINUS_UTC_S = 37;

    /** The latest second a timed fault may name: the longest run (sim.duration's maximum). */
    private static final long MAX_AT_S = 100L * 86_400;

    /** The name that selects the defaults with no preset applied. */
    public static final String DEFAULT = "default";

    private Scenarios() {
    }

    /** The four presets, in docs/simulator.md's order. */
    public static List<String> presets() {
        return List.copyOf(PRESETS.keySet());
    }

    /** Every key {@code --set} accepts. */
    public static List<String> keys() {
        return List.copyOf(DEFAULTS.keySet());
    }

    /** The value every key takes in {@code scenario} before any override. */
    public static Map<String, String> values(String scenario) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        if (!DEFAULT.equals(scenario)) {
            Map<String, String> preset = PRESETS.get(scenario);
            if (preset == null) {
                throw new ScenarioException("unknown scenario '" + scenario + "' (known: "
                        + String.join(", ", presets()) + ", " + DEFAULT + ")");
            }
            values.putAll(preset);
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * The parameters of {@code scenario} with {@code overrides} (key to value, as given to {@code --set}) applied.
     *
     * @throws ScenarioException for an unknown scenario or key, or a value the key cannot take
     */
    public static SimParameters resolve(String scenario, Map<String, String> overrides) {
        Map<String, String> v = new LinkedHashMap<>(values(scenario));
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!DEFAULTS.containsKey(e.getKey())) {
                throw new ScenarioException("unknown simulation key '" + e.getKey() + "' (known: "
                        + String.join(", ", keys()) + ")");
            }
            v.put(e.getKey(), e.getValue().trim());
        }
        Parser p = new Parser(v);
        double deliveryMin = p.range("nic.delivery_ms")[0];
        double deliveryMax = p.range("nic.delivery_ms")[1];
        long maxAdj = p.integer("phc.max_adj_ppb", 1, Integer.MAX_VALUE);
        Faults faults = new Faults(
                p.taiGlitches("tai.glitch"),
                p.events("sys.steps", "AT_S:DELTA_MS", -1e6, 1e6, false),
                p.events("phc.external_steps", "AT_S:DELTA_NS", -1e15, 1e15, true),
                p.events("phc.external_freq", "AT_S:PPB", -maxAdj, maxAdj, false),
                p.reportedEdges("nic.reports_edges"),
                p.removals("nic.removed"));
        return new SimParameters(
                p.integer("sim.start", 0, Long.MAX_VALUE / 1_000_000_000L / 2),
                p.integer("sim.duration", 1, MAX_AT_S),
                p.number("osc.freq_ppb", -1e9, 1e9),
                p.number("osc.rw_ppb_per_sqrt_s", 0, 1e6),
                p.number("osc.temp_amp_ppb", -1e9, 1e9),
                p.positive("osc.temp_period_s"),
                p.number("osc.wfm_adev", 0, 1e-3),
                p.number("phc.initial_offset_s", -1e9, 1e9),
                maxAdj,
                p.integer("phc.tick_ns", 1, 1_000_000),
                p.number("phc.step_error_ns", 0, 1e8),
                p.number("pps.jitter_ns", 0, 1e8),
                p.number("pps.sawtooth_ns", 0, 1e8),
                p.number("pps.miss_prob", 0, 1),
                p.windows("pps.outages"),
                p.number("pps.glitch_prob", 0, 1),
                p.exclusive("pps.width_ms", 0, 1000),
                p.bool("nic.both_edges"),
                deliveryMin, deliveryMax,
                p.number("sys.offset_ms", -1e9, 1e9),
                p.number("sys.jitter_ms", 0, 1e6),
                p.number("sys.bound_ms", 0, 1e9),
                p.windows("sys.untrusted"),
                p.number("xts.width_ns", 0, 1e9),
                p.leap("sim.leap"),
                faults,
                gnss(p));
    }

    private static GnssSettings gnss(Parser p) {
        double[] delay = p.range("gnss.delay_ms");
        return new GnssSettings(
                p.choice("tod.source", "sys (the simulated chrony) or gnss (the receiver's byte stream)",
                        "sys", "gnss").equals("gnss"),
                GnssSettings.Protocol.valueOf(p.choice("gnss.protocol", "nmea, ubx or both", "nmea", "ubx", "both")
                        .toUpperCase(java.util.Locale.ROOT)),
                (int) p.integer("gnss.baud", 300, 4_000_000),
                delay[0], delay[1],
                (int) p.integer("gnss.burst_bytes", 0, 100_000),
                p.number("gnss.miss_prob", 0, 1),
                p.windows("gnss.void"),
                p.badUtc("gnss.bad_utc"),
                p.bool("gnss.qerr"));
    }

    /**
     * Splits {@code KEY=VALUE} strings into an ordered map (later ones win).
     *
     * @throws ScenarioException for a string without '=' or with an empty key
     */
    public static Map<String, String> parseAssignments(List<String> assignments) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : assignments) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new ScenarioException("--set needs KEY=VALUE, got '" + a + "'");
            }
            out.put(a.substring(0, eq).trim(), a.substring(eq + 1).trim());
        }
        return out;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Typed reads of the merged values, each failing with one line that names the key and what it takes. */
    private static final class Parser {
        private final Map<String, String> values;

        Parser(Map<String, String> values) {
            this.values = values;
        }

        private ScenarioException bad(String key, String expected) {
            return new ScenarioException("bad value '" + values.get(key) + "' for " + key + ": expected " + expected);
        }

        double number(String key, double min, double max) {
            double d;
            try {
                d = Double.parseDouble(values.get(key));
            } catch (NumberFormatException e) {
                throw bad(key, "a number from " + fmt(min) + " to " + fmt(max));
            }
            if (!Double.isFinite(d) || d < min || d > max) {
                throw bad(key, "a number from " + fmt(min) + " to " + fmt(max));
            }
            return d;
        }

        double positive(String key) {
            double d = number(key, 0, 1e12);
            if (d <= 0) {
                throw bad(key, "a number greater than 0");
            }
            return d;
        }

        double exclusive(String key, double min, double max) {
            double d = number(key, min, max);
            if (d <= min || d >= max) {
                throw bad(key, "a number strictly between " + fmt(min) + " and " + fmt(max));
            }
            return d;
        }

        long integer(String key, long min, long max) {
            long n;
            try {
                n = Long.parseLong(values.get(key));
            } catch (NumberFormatException e) {
                throw bad(key, "a whole number from " + min + " to " + max);
            }
            if (n < min || n > max) {
                throw bad(key, "a whole number from " + min + " to " + max);
            }
            return n;
        }

        boolean bool(String key) {
            return switch (values.get(key)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw bad(key, "true or false");
            };
        }

        /** {@code min:max} in ms, 0 <= min <= max < 1000. */
        double[] range(String key) {
            String[] parts = values.get(key).split(":", -1);
            if (parts.length != 2) {
                throw bad(key, "MIN:MAX in ms, e.g. 0.05:0.5");
            }
            try {
                double min = Double.parseDouble(parts[0].trim());
                double max = Double.parseDouble(parts[1].trim());
                if (!(min >= 0 && max >= min && max < 1000)) {
                    throw bad(key, "MIN:MAX in ms with 0 <= MIN <= MAX < 1000");
                }
                return new double[] {min, max};
            } catch (NumberFormatException e) {
                throw bad(key, "MIN:MAX in ms, e.g. 0.05:0.5");
            }
        }

        /** One item of a list, split at ':'; a NumberFormatException (or ArithmeticException) means it is bad. */
        @FunctionalInterface
        private interface ItemParser<T> {
            T parse(String[] parts);
        }

        /**
         * {@code none} or items separated by ',', each of {@code fields} parts separated by ':'.
         *
         * @param expected what the key takes, for the one-line error
         */
        <T> List<T> list(String key, int fields, String expected, ItemParser<T> parser) {
            String text = values.get(key);
            if (text.equals("none") || text.isEmpty()) {
                return List.of();
            }
            List<T> out = new ArrayList<>();
            for (String item : text.split(",", -1)) {
                String[] parts = item.trim().split(":", -1);
                try {
                    if (parts.length != fields) {
                        throw new NumberFormatException();
                    }
                    for (int i = 0; i < parts.length; i++) {
                        parts[i] = parts[i].trim();
                    }
                    out.add(parser.parse(parts));
                } catch (NumberFormatException | ArithmeticException e) {
                    throw bad(key, expected);
                }
            }
            return out;
        }

        /** {@code none} or {@code START:LENGTH[,START:LENGTH]...} in whole seconds from the start of the run. */
        List<Window> windows(String key) {
            return list(key, 2, "none or START_S:LENGTH_S[,START_S:LENGTH_S]... (whole seconds, LENGTH > 0)",
                    parts -> {
                        long start = Long.parseLong(parts[0]);
                        long length = Long.parseLong(parts[1]);
                        if (start < 0 || length <= 0) {
                            throw new NumberFormatException();
                        }
                        return new Window(start, length);
                    });
        }

        /**
         * {@code none} or {@code AT_S:VALUE[,AT_S:VALUE]...}: AT_S seconds from the start of the run (a fraction
         * allowed, to the ns), VALUE within [min, max] and not 0 (a whole number when {@code whole}).
         */
        List<Faults.At> events(String key, String form, double min, double max, boolean whole) {
            String expected = "none or " + form + "[," + form + "]... (AT_S seconds from the start, >= 0; "
                    + form.substring(form.indexOf(':') + 1) + " a nonzero " + (whole ? "whole number" : "number")
                    + " from " + fmt(min) + " to " + fmt(max) + ")";
            return list(key, 2, expected, parts -> {
                BigDecimal at = new BigDecimal(parts[0]);
                double v = whole ? Long.parseLong(parts[1]) : Double.parseDouble(parts[1]);
                if (at.signum() < 0 || at.compareTo(BigDecimal.valueOf(MAX_AT_S)) > 0 || !Double.isFinite(v)
                        || v == 0 || v < min || v > max) {
                    throw new NumberFormatException();
                }
                return new Faults.At(at.movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact(), v);
            });
        }

        /** {@code none} or {@code START_S:LENGTH_S:DELTA_S[,...]}: whole seconds, LENGTH > 0, DELTA a nonzero shift. */
        List<Faults.TaiGlitch> taiGlitches(String key) {
            return shifts(key, 100, Faults.TaiGlitch::new);
        }

        /** As {@link #taiGlitches}, the firmware's UTC off by up to 1000 s. */
        List<GnssSettings.BadUtc> badUtc(String key) {
            return shifts(key, 1000, GnssSettings.BadUtc::new);
        }

        /** Windows each with a nonzero whole-second shift of at most {@code limit}. */
        <T> List<T> shifts(String key, int limit, java.util.function.BiFunction<Window, Integer, T> make) {
            return list(key, 3, "none or START_S:LENGTH_S:DELTA_S[,START_S:LENGTH_S:DELTA_S]... (whole seconds, "
                    + "LENGTH > 0, DELTA a nonzero whole number from -" + limit + " to " + limit + ")", parts -> {
                        long start = Long.parseLong(parts[0]);
                        long length = Long.parseLong(parts[1]);
                        int delta = Integer.parseInt(parts[2]);
                        if (start < 0 || length <= 0 || delta == 0 || Math.abs(delta) > limit) {
                            throw new NumberFormatException();
                        }
                        return make.apply(new Window(start, length), delta);
                    });
        }

        /** One of {@code choices}, exactly. */
        String choice(String key, String expected, String... choices) {
            String v = values.get(key);
            for (String c : choices) {
                if (c.equals(v)) {
                    return c;
                }
            }
            throw bad(key, expected);
        }

        /** As {@link #windows}, but a device must be there when the run starts: no window may start at 0. */
        List<Window> removals(String key) {
            List<Window> out = windows(key);
            if (out.stream().anyMatch(w -> w.startS() == 0)) {
                throw bad(key, "none or START_S:LENGTH_S[,START_S:LENGTH_S]... with START_S > 0 (the device "
                        + "is there when the run starts)");
            }
            return out;
        }

        Faults.ReportedEdges reportedEdges(String key) {
            return switch (values.get(key)) {
                case "auto" -> Faults.ReportedEdges.AUTO;
                case "single" -> Faults.ReportedEdges.SINGLE;
                case "both" -> Faults.ReportedEdges.BOTH;
                default -> throw bad(key, "auto (what the NIC does, nic.both_edges), single or both");
            };
        }

        /** {@code none}, or {@code insert@UTC_S} / {@code delete@UTC_S} with UTC_S a UTC midnight (POSIX seconds). */
        LeapState leap(String key) {
            String text = values.get(key);
            if (text.equals("none") || text.isEmpty()) {
                return LeapState.fixed(TAI_MINUS_UTC_S, SimWorld.DEVICE);
            }
            String expected = "none, insert@UTC_S or delete@UTC_S (UTC_S: POSIX seconds of a UTC midnight, "
                    + "e.g. insert@1798761600 for 2027-01-01)";
            String[] parts = text.split("@", -1);
            if (parts.length != 2) {
                throw bad(key, expected);
            }
            Leap kind = switch (parts[0].trim()) {
                case "insert" -> Leap.INSERT;
                case "delete" -> Leap.DELETE;
                default -> throw bad(key, expected);
            };
            long at;
            try {
                at = Long.parseLong(parts[1].trim());
            } catch (NumberFormatException e) {
                throw bad(key, expected);
            }
            if (at <= 0 || at % 86_400 != 0) {
                throw bad(key, expected);
            }
            return new LeapState(TAI_MINUS_UTC_S, kind, at, SimWorld.DEVICE);
        }

        private static String fmt(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
