package org.pps2phc.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
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

    /** The largest config file read: a real one is a few kB. */
    static final int MAX_BYTES = 1024 * 1024;
    /** After this many problems, the rest are counted, not listed. */
    static final int MAX_PROBLEMS = 20;
    /** Values and names longer than this are cut when echoed in a message. */
    private static final int MAX_SHOWN = 60;

    private ConfigFile() {
    }

    public static Parsed read(Path path, Keys keys) throws ConfigException {
        byte[] content;
        try {
            content = readAtMost(path, MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new ConfigException(path + ": cannot read the config file: no such file (write one from "
                    + "conf/pps2phc.conf, or give another with -f)");
        } catch (AccessDeniedException e) {
            throw new ConfigException(path + ": cannot read the config file: permission denied");
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read the config file: " + e.getMessage());
        }
        if (content.length > MAX_BYTES) {
            throw new ConfigException(path + ": larger than " + MAX_BYTES / 1024 + " KiB, so not a pps2phc config"
                    + " file (check the path given with -f)");
        }
        return parse(path.toString(), lines(path.toString(), content), keys);
    }

    /** The file's bytes, but no more than {@code limit} + 1 of them, whatever the path names (/dev/zero). */
    static byte[] readAtMost(Path path, int limit) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(limit + 1);
        }
    }

    /**
     * The file's lines: UTF-8 without a byte-order mark, no control characters but tabs. Anything else is named
     * with its line, as no key or value can contain it.
     */
    static List<String> lines(String source, byte[] content) throws ConfigException {
        int start = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF ? 3 : 0;
        List<String> lines = new ArrayList<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        for (int i = start; i <= content.length; i++) {
            if (i < content.length && content[i] != '\n') {
                continue;
            }
            int end = i > start && content[i - 1] == '\r' ? i - 1 : i;
            String where = source + ":" + (lines.size() + 1) + ": ";
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(content, start, end - start)).toString();
            } catch (CharacterCodingException e) {
                throw new ConfigException(where + "not UTF-8 text (a Latin-1 or binary file?): save it as UTF-8");
            }
            for (int c = 0; c < line.length(); c++) {
                if (Character.isISOControl(line.charAt(c)) && line.charAt(c) != '\t') {
                    throw new ConfigException(String.format("%scontrol character 0x%02X in column %d: a config "
                            + "file is text", where, (int) line.charAt(c), c + 1));
                }
            }
            lines.add(line);
            start = i + 1;
        }
        return lines;
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
                    problems.add(where + "bad section header '" + shown(line) + "': expected [global] or [DEVICE], "
                            + "e.g. [eth0] or [/dev/ptp0]");
                    continue;
                }
                String name = line.substring(1, line.length() - 1).strip();
                if (name.equalsIgnoreCase("global")) {
                    inDevice = false;
                } else if (deviceName == null) {
                    deviceName = name;
                    deviceLine = lineNo;
                    inDevice = true;
                } else {
                    problems.add(where + "second device section [" + shown(name) + "]: pps2phc disciplines one device,"
                            + " and [" + shown(deviceName) + "] was given at line " + deviceLine
                            + " (run one pps2phc per device)");
                    inDevice = true;
                }
                continue;
            }
            int split = indexOfWhitespace(line);
            String name = split < 0 ? line : line.substring(0, split);
            String raw = split < 0 ? "" : line.substring(split).strip();
            Optional<Key> found = keys.find(name);
            if (found.isEmpty()) {
                if (problems.size() >= MAX_PROBLEMS) {
                    problems.add(where + "unknown key"); // counted, not shown: no costly search for a near key
                    continue;
                }
                problems.add(where + "unknown key '" + shown(name) + "'" + nearest(keys, name)
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
                problems.add(where + "bad value '" + shown(raw) + "' for " + name + ": " + e.getMessage()
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
        if (problems.size() > MAX_PROBLEMS) {
            int more = problems.size() - MAX_PROBLEMS;
            problems.subList(MAX_PROBLEMS, problems.size()).clear();
            problems.add(source + ": " + more + " more problems not shown (is this a pps2phc config file?)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new Parsed(source, global, deviceName, device, warnings);
    }

    /**
     * The key a typo was meant to be. Only ASCII names of a plausible length are compared: key names are ASCII, and
     * the edit distance of a 1 MB word to every key would stall the check.
     */
    private static Optional<String> nearest(Keys keys, String name) {
        boolean plausible = name.length() <= 2 * MAX_SHOWN && name.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        return plausible ? keys.nearest(name) : Optional.empty();
    }

    /**
     * A name or value as it is echoed in a message: characters outside printable ASCII as \\uXXXX (an invisible
     * one makes a key unknown), a long one cut, so that the message stays one readable line.
     */
    static String shown(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F || c == '\t' || Character.isLetterOrDigit(c)) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        return text.length() <= MAX_SHOWN ? b.toString() : b + "... (" + text.length() + " characters)";
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
