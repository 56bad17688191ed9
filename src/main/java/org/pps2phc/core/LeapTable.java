package org.pps2phc.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The leap-seconds.list table (IERS/tzdata format): when each TAI-UTC offset took effect, when the table expires,
 * and whether its SHA-1 line matches. Pure: parses text it is given, answers for instants it is given.
 *
 * <p>Format: data lines "NTP-seconds TAI-UTC [# comment]", "#@ NTP-seconds" expiry, "#$ NTP-seconds" last update,
 * "#h w1 w2 w3 w4 w5" SHA-1 of the digits of the "#$", "#@" and data lines. Other lines starting with '#' are comments.
 *
 * @param entries      offsets in time order
 * @param expiresUtcS  POSIX seconds after which the table may miss an announced leap second
 * @param hashStatus   whether the "#h" line was present and matched
 */
public record LeapTable(List<Entry> entries, OptionalLong expiresUtcS, HashStatus hashStatus) {
    /** Seconds from the NTP epoch (1900) to the POSIX epoch (1970). */
    public static final long NTP_TO_POSIX_S = 2_208_988_800L;
    /** tzdata's file is about 10 kB; a reader stops after this many bytes, for whatever the path names. */
    public static final int MAX_BYTES = 256 * 1024;
    /** NTP seconds of 10000-01-01: later times are not in any leap-seconds.list (and not in java.time). */
    private static final long MAX_NTP_S = 253_402_300_800L + NTP_TO_POSIX_S;
    /** TAI-UTC was 10 s in 1972 and has moved one second at a time since. */
    private static final int MAX_OFFSET_S = 1000;

    /** From {@code utcS} (POSIX seconds) on, TAI-UTC is {@code taiMinusUtcS}. */
    public record Entry(long utcS, int taiMinusUtcS) {
    }

    public enum HashStatus { ABSENT, MATCHES, MISMATCH }

    public LeapTable {
        entries = List.copyOf(entries);
    }

    /**
     * Parses a file's bytes as read (at most {@link #MAX_BYTES} + 1 of them): ASCII text only.
     *
     * @throws IllegalArgumentException "origin:line: what is wrong", also for a larger file and for bytes that are
     *                                  not ASCII text
     */
    public static LeapTable parse(byte[] content, String origin) {
        if (content.length > MAX_BYTES) {
            throw new IllegalArgumentException(origin + ": larger than " + MAX_BYTES / 1024 + " KiB, so not a "
                    + "leap-seconds.list");
        }
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                lines.add(new String(content, start, i - start, StandardCharsets.US_ASCII));
                start = i + 1;
            } else if ((content[i] < 0x20 && content[i] != '\t' && content[i] != '\r') || content[i] >= 0x7F) {
                throw new IllegalArgumentException(String.format("%s:%d: byte 0x%02X is not ASCII text, so this is "
                        + "not a leap-seconds.list", origin, lines.size() + 1, content[i] & 0xFF));
            }
        }
        return parse(lines, origin);
    }

    /**
     * @param origin names the text in error messages, e.g. the file's path
     * @throws IllegalArgumentException "origin:line: what is wrong" for malformed or out-of-order lines
     */
    public static LeapTable parse(List<String> lines, String origin) {
        List<Entry> entries = new ArrayList<>();
        OptionalLong expires = OptionalLong.empty();
        long[] hash = null;
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = origin + ":" + (i + 1) + ": ";
            if (line.startsWith("#@")) {
                expires = OptionalLong.of(ntpSeconds(line.substring(2).strip(), where) - NTP_TO_POSIX_S);
                digits.append(digitsOf(line));
            } else if (line.startsWith("#$")) {
                digits.append(digitsOf(line));
            } else if (line.startsWith("#h")) {
                hash = hashWords(line.substring(2).strip(), where);
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                String data = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
                String[] f = data.strip().split("\\s+");
                if (f.length != 2) {
                    throw new IllegalArgumentException(where + "expected '<NTP seconds> <TAI-UTC>', got '"
                            + shown(line) + "'");
                }
                long utcS = ntpSeconds(f[0], where) - NTP_TO_POSIX_S;
                int offset;
                try {
                    offset = Integer.parseInt(f[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + "TAI-UTC '" + shown(f[1])
                            + "' is not a whole number");
                }
                if (Math.abs(offset) > MAX_OFFSET_S) {
                    throw new IllegalArgumentException(where + "TAI-UTC " + offset + " s is not believable");
                }
                if (!entries.isEmpty()) {
                    Entry previous = entries.get(entries.size() - 1);
                    if (previous.utcS() >= utcS) {
                        throw new IllegalArgumentException(where + "entries are not in time order");
                    }
                    if (Math.abs(offset - previous.taiMinusUtcS()) != 1) {
                        throw new IllegalArgumentException(where + "TAI-UTC goes from " + previous.taiMinusUtcS()
                                + " to " + offset + ": a leap second changes it by one");
                    }
                }
                entries.add(new Entry(utcS, offset));
                digits.append(digitsOf(data));
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(origin + ": no leap second entries");
        }
        HashStatus status = hash == null ? HashStatus.ABSENT
                : matches(hash, digits.toString()) ? HashStatus.MATCHES : HashStatus.MISMATCH;
        return new LeapTable(entries, expires, status);
    }

    /** TAI-UTC at {@code utcS}; empty before the first entry (1972). */
    public OptionalInt taiMinusUtcAt(long utcS) {
        OptionalInt found = OptionalInt.empty();
        for (Entry e : entries) {
            if (e.utcS() <= utcS) {
                found = OptionalInt.of(e.taiMinusUtcS());
            }
        }
        return found;
    }

    /** The first change after {@code utcS}, if the table has one. */
    public Optional<Entry> nextChangeAfter(long utcS) {
        return entries.stream().filter(e -> e.utcS() > utcS).findFirst();
    }

    /** The last offset in the table: what holds once the table has run out. */
    public int lastOffset() {
        return entries.get(entries.size() - 1).taiMinusUtcS();
    }

    public boolean expiredAt(long utcS) {
        return expiresUtcS.isPresent() && utcS >= expiresUtcS.getAsLong();
    }

    /**
     * TAI-UTC at {@code utcS} and the leap second due by the end of that UTC month (leap seconds happen only at the
     * end of a month; tables announce them months ahead).
     */
    public LeapState stateAt(long utcS, String source) {
        int now = taiMinusUtcAt(utcS).orElse(entries.get(0).taiMinusUtcS());
        Optional<Entry> next = nextChangeAfter(utcS);
        if (next.isPresent() && next.get().utcS() <= startOfNextUtcMonth(utcS)) {
            int step = next.get().taiMinusUtcS() - now;
            if (step == 1 || step == -1) {
                return new LeapState(now, step == 1 ? Leap.INSERT : Leap.DELETE, next.get().utcS(), source);
            }
        }
        return new LeapState(now, Leap.NONE, 0, source);
    }

    /** POSIX seconds of the next UTC midnight after {@code utcS}: when a leap second announced today happens. */
    public static long nextUtcMidnight(long utcS) {
        return Math.floorDiv(utcS, 86_400L) * 86_400L + 86_400L;
    }

    public static long startOfNextUtcMonth(long utcS) {
        return utcDay(utcS).withDayOfMonth(1).plusMonths(1).toEpochDay() * 86_400L;
    }

    /** "2026-06-28" */
    public static String utcDate(long utcS) {
        return utcDay(utcS).toString();
    }

    /** The UTC day of POSIX seconds (a day is 86 400 of them; no zone rules needed, nor built at every call). */
    private static LocalDate utcDay(long utcS) {
        return LocalDate.ofEpochDay(Math.floorDiv(utcS, 86_400L));
    }

    private static long ntpSeconds(String s, String where) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0 && v < MAX_NTP_S) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + "'" + shown(s) + "' is not an NTP time in seconds");
    }

    /**
     * A value as it is echoed in an error: tabs and other control characters (a carriage return would hide what
     * precedes it) as spaces, anything not ASCII as '?', a long value cut, so that the message stays one line.
     */
    private static String shown(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 ? ' ' : c < 0x7F ? c : '?');
        }
        return s.length() <= 40 ? b.toString() : b + "... (" + s.length() + " characters)";
    }

    private static String digitsOf(String s) {
        return s.replaceAll("[^0-9]", "");
    }

    private static long[] hashWords(String s, String where) {
        String[] w = s.split("\\s+");
        if (w.length != 5) {
            throw new IllegalArgumentException(where + "'#h' needs five hexadecimal words");
        }
        long[] words = new long[5];
        for (int i = 0; i < 5; i++) {
            try {
                words[i] = Long.parseLong(w[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "'#h' word '" + shown(w[i]) + "' is not hexadecimal");
            }
        }
        return words;
    }

    private static boolean matches(long[] words, String digits) {
        byte[] sha;
        try {
            sha = MessageDigest.getInstance("SHA-1").digest(digits.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
        for (int i = 0; i < 5; i++) {
            long word = 0;
            for (int b = 0; b < 4; b++) {
                word = (word << 8) | (sha[4 * i + b] & 0xFF);
            }
            if (word != words[i]) {
                return false;
            }
        }
        return true;
    }
}
