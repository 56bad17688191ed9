package org.pps2phc.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a config file in linuxptp's format: {@code [global]} and one device section ({@code [eth0]} or
 * {@code [/dev/ptp0]}), {@code key value} lines, {@code #} comments. Every problem is collected as
 * "file:line: ..." and reported together, before anything is opened.
 */
public final class ConfigFile {
    /** A value as written, where it was written, and what it parsed to. */
    public record Entry(String key, String raw, Object value, int line) {
    }

    /**
     * @param source      the file name used in messages
     * @param global      entries of [global] (and of lines before any section)
     * @param deviceName  the device section's name, or null when there is none
     * @param device      entries of the device section
     * @param warnings    accepted keys that have no effect, as "file:line: ..." lines
     */
    public record Parsed(String source, Map<String, Entry> global, String deviceName, Map<String, Entry> device,
                         List<String> warnings) {
    }

    private ConfigFile() {
    }

    public static Parsed read(Path path, Keys keys) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": cannot read the config file: no such file (write one from "
                    + "conf/pps2phc.conf, or give another with -f)");
        } catch (AccessDeniedException e) {
            throw new ConfigException(path + ": cannot read the config file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the config file: " + e.getMessage());
        }
        return parse(path.toString(), lines, keys);
    }

    public static Parsed parse(String source, List<String> lines, Keys keys) throws ConfigException {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, Entry> global = new LinkedHashMap<>();
        Map<String, Entry> device = new LinkedHashMap<>();
        String deviceName = null;
        int deviceLine = 0;
        boolean inDevice = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String where = source + ":" + lineNo + ": ";
            String line = stripComment(lines.get(i)).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    problems.add(where + "bad section header '" + line + "': expected [global] or [DEVICE], "
                            + "e.g. [eth0] or [/dev/ptp0]");
                    continue;
                }
                String name = line.substring(1, line.length() - 1).strip();
                if (name.equals("global")) {
                    inDevice = false;
                } else if (deviceName == null) {
                    deviceName = name;
                    deviceLine = lineNo;
                    inDevice = true;
                } else {
                    problems.add(where + "second device section [" + name + "]: pps2phc disciplines one device, and ["
                            + deviceName + "] was given at line " + deviceLine + " (run one pps2phc per device)");
                    inDevice = true;
                }
                continue;
            }
            int split = indexOfWhitespace(line);
            String name = split < 0 ? line : line.substring(0, split);
            String raw = split < 0 ? "" : line.substring(split).strip();
            Optional<Key> found = keys.find(name);
            if (found.isEmpty()) {
                problems.add(where + "unknown key '" + name + "'" + keys.nearest(name)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse(" (docs/configuration.md lists every key)"));
                continue;
            }
            Key key = found.get();
            if (inDevice && key.scope() == Scope.GLOBAL) {
                problems.add(where + "'" + name + "' is a global key: move it to [global] (it cannot differ per "
                        + "device)");
                continue;
            }
            if (raw.isEmpty()) {
                problems.add(where + "'" + name + "' needs a value: " + key.type().allowed());
                continue;
            }
            Object value;
            try {
                value = key.type().parse(raw);
            } catch (IllegalArgumentException e) {
                problems.add(where + "bad value '" + raw + "' for " + name + ": " + e.getMessage()
                        + (key.unit().isEmpty() ? "" : " (unit: " + key.unit() + ")"));
                continue;
            }
            Map<String, Entry> section = inDevice ? device : global;
            Entry previous = section.put(name, new Entry(name, raw, value, lineNo));
            if (previous != null) {
                problems.add(where + "'" + name + "' is set twice in this section (first at line "
                        + previous.line() + ")");
            }
            if (key.ignored()) {
                warnings.add(where + "'" + name + "' has no effect: " + key.ignoredWhy()
                        + " (accepted so that a ts2phc.conf works)");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Parsed(source, global, deviceName, device, warnings);
    }

    /** A '#' starts a comment at the beginning of a line or after whitespace. */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
