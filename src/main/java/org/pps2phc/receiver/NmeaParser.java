package org.pps2phc.receiver;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * NMEA 0183 sentences, byte-exact: {@code $} + address + fields + {@code *hh}, the checksum (the XOR of every byte
 * between {@code $} and {@code *}) mandatory, at most {@link #MAX_LENGTH} bytes. RMC, ZDA, GGA and GNS of any
 * talker carry time; every other well-formed sentence is {@link ReceiverMessage.Other}. Two-digit RMC years are
 * 2000-2099 (as linuxptp reads them); a receiver whose week rolled over is caught by the date plausibility check.
 */
public final class NmeaParser {
    /** IEC 61162-1 allows 82 bytes with CR LF; receivers with high-precision output overrun it, so allow some more. */
    public static final int MAX_LENGTH = 120;
    private static final int SECONDS_PER_DAY = 86_400;

    private NmeaParser() {
    }

    /** Whether {@code sentence} (from {@code $} up to, not including, CR LF) carries a checksum that matches. */
    public static boolean checksumMatches(byte[] sentence, int off, int len) {
        int star = indexOf(sentence, off, len, (byte) '*');
        if (len < 1 || sentence[off] != '$' || star < 0 || star + 3 != off + len) {
            return false;
        }
        int sum = 0;
        for (int i = off + 1; i < star; i++) {
            sum ^= sentence[i] & 0xFF;
        }
        int hi = hex(sentence[star + 1]);
        int lo = hex(sentence[star + 2]);
        return hi >= 0 && lo >= 0 && (hi << 4 | lo) == sum;
    }

    /**
     * Parses one sentence, {@code $} to the checksum (CR LF not included).
     *
     * @throws MalformedMessageException when it is not a well-formed sentence, or a time sentence's fields are wrong
     */
    public static ReceiverMessage parse(byte[] sentence, int off, int len) throws MalformedMessageException {
        if (len > MAX_LENGTH) {
            throw new MalformedMessageException("NMEA sentence of " + len + " bytes (at most " + MAX_LENGTH + ")");
        }
        if (len < 1 || sentence[off] != '$') {
            throw new MalformedMessageException("NMEA sentence does not start with $");
        }
        if (!checksumMatches(sentence, off, len)) {
            throw new MalformedMessageException("NMEA checksum missing or wrong");
        }
        for (int i = off; i < off + len - 3; i++) {
            int b = sentence[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                throw new MalformedMessageException("NMEA sentence with a non-printable byte 0x"
                        + Integer.toHexString(b));
            }
        }
        String body = new String(sentence, off + 1, len - 4, StandardCharsets.US_ASCII);
        List<String> f = split(body);
        String address = f.get(0);
        if (address.isEmpty() || !address.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
            throw new MalformedMessageException("NMEA address '" + Printable.of(address) + "' is not letters");
        }
        if (address.length() != 5 || address.charAt(0) == 'P') {
            return new ReceiverMessage.Other(address);
        }
        return switch (address.substring(2)) {
            case "RMC" -> rmc(address, f);
            case "ZDA" -> zda(address, f);
            case "GGA" -> gga(address, f);
            case "GNS" -> gns(address, f);
            default -> new ReceiverMessage.Other(address);
        };
    }

    private static ReceiverMessage rmc(String name, List<String> f) throws MalformedMessageException {
        need(name, f, 10);
        String status = f.get(2);
        String why = null;
        if (!status.equals("A")) {
            why = status.equals("V") ? "status V (void: no fix)" : "status '" + Printable.of(status) + "'";
        }
        if (why == null && f.size() > 12 && !f.get(12).isEmpty() && !validMode(f.get(12).charAt(0))) {
            why = "mode " + Printable.of(f.get(12)) + " (" + modeName(f.get(12).charAt(0)) + ")";
        }
        // field 13, the navigational status of NMEA 4.1, is V ("not provided") on u-blox receivers with a fix
        if (f.get(1).isEmpty() || f.get(9).isEmpty()) {
            return noTime(name, why);
        }
        int secondOfDay = timeOfDay(name, f.get(1));
        if (secondOfDay < 0) {
            return new ReceiverMessage.Other(name + " off the second");
        }
        String d = f.get(9);
        if (d.length() != 6 || !digits(d)) {
            throw new MalformedMessageException(name + " date '" + Printable.of(d) + "' is not ddmmyy");
        }
        LocalDate date = date(name, 2000 + Integer.parseInt(d.substring(4, 6)), Integer.parseInt(d.substring(2, 4)),
                Integer.parseInt(d.substring(0, 2)));
        return utc(name, date, secondOfDay, why);
    }

    private static ReceiverMessage zda(String name, List<String> f) throws MalformedMessageException {
        need(name, f, 5);
        if (f.get(1).isEmpty() || f.get(2).isEmpty() || f.get(3).isEmpty() || f.get(4).isEmpty()) {
            return noTime(name, null);
        }
        int secondOfDay = timeOfDay(name, f.get(1));
        if (secondOfDay < 0) {
            return new ReceiverMessage.Other(name + " off the second");
        }
        for (int i = 2; i <= 4; i++) {
            if (!digits(f.get(i)) || f.get(i).length() > (i == 4 ? 4 : 2)) {
                throw new MalformedMessageException(name + " date field '" + Printable.of(f.get(i)) + "' is not a number");
            }
        }
        int year = Integer.parseInt(f.get(4));
        if (year < 1980 || year > 2099) {
            throw new MalformedMessageException(name + " year " + year + " is outside 1980-2099");
        }
        LocalDate date = date(name, year, Integer.parseInt(f.get(3)), Integer.parseInt(f.get(2)));
        return utc(name, date, secondOfDay, null);
    }

    private static ReceiverMessage gga(String name, List<String> f) throws MalformedMessageException {
        need(name, f, 7);
        String q = f.get(6);
        String why = switch (q) {
            case "1", "2", "3", "4", "5" -> null;
            case "", "0" -> "quality 0 (no fix)";
            case "6" -> "quality 6 (estimated: dead reckoning)";
            case "7" -> "quality 7 (manual input)";
            case "8" -> "quality 8 (simulator)";
            default -> "quality '" + Printable.of(q) + "'";
        };
        return timeOnly(name, f.get(1), why);
    }

    private static ReceiverMessage gns(String name, List<String> f) throws MalformedMessageException {
        need(name, f, 7);
        String modes = f.get(6);
        boolean anyValid = modes.chars().anyMatch(c -> validMode((char) c));
        String why = anyValid ? null : "mode '" + Printable.of(modes) + "' (no constellation with a fix)";
        return timeOnly(name, f.get(1), why);
    }

    private static ReceiverMessage timeOnly(String name, String time, String why) throws MalformedMessageException {
        if (time.isEmpty()) {
            return new ReceiverMessage.TimeOfDayOnly(name, -1, why == null ? "no time" : why);
        }
        int secondOfDay = timeOfDay(name, time);
        if (secondOfDay < 0) {
            return new ReceiverMessage.Other(name + " off the second");
        }
        return new ReceiverMessage.TimeOfDayOnly(name, secondOfDay, why);
    }

    private static ReceiverMessage noTime(String name, String why) {
        return new ReceiverMessage.UtcTime(name, Long.MIN_VALUE, false, why == null ? "no time (no fix yet)" : why);
    }

    private static ReceiverMessage utc(String name, LocalDate date, int secondOfDay, String why)
            throws MalformedMessageException {
        boolean leap = secondOfDay == SECONDS_PER_DAY;
        return new ReceiverMessage.UtcTime(name, date.toEpochDay() * SECONDS_PER_DAY + secondOfDay, leap, why);
    }

    /** Mode letters that mean a GNSS fix: autonomous, differential, precise, RTK fixed and float. */
    static boolean validMode(char c) {
        return c == 'A' || c == 'D' || c == 'P' || c == 'R' || c == 'F';
    }

    private static String modeName(char c) {
        return switch (c) {
            case 'N' -> "not valid";
            case 'E' -> "estimated: dead reckoning";
            case 'M' -> "manual input";
            case 'S' -> "simulator";
            default -> "not a fix";
        };
    }

    /**
     * Seconds of the day of {@code hhmmss[.fff]}; -1 when the fraction is not zero (a sub-second epoch of a
     * fast navigation rate, which describes no pulse). 23:59:60 is 86400.
     */
    private static int timeOfDay(String name, String t) throws MalformedMessageException {
        int dot = t.indexOf('.');
        String whole = dot < 0 ? t : t.substring(0, dot);
        String frac = dot < 0 ? "" : t.substring(dot + 1);
        if (whole.length() != 6 || !digits(whole) || !digits(frac) || frac.length() > 9) {
            throw new MalformedMessageException(name + " time '" + Printable.of(t) + "' is not hhmmss[.ss]");
        }
        int h = Integer.parseInt(whole.substring(0, 2));
        int m = Integer.parseInt(whole.substring(2, 4));
        int s = Integer.parseInt(whole.substring(4, 6));
        if (h > 23 || m > 59 || s > 60 || s == 60 && (h != 23 || m != 59)) {
            throw new MalformedMessageException(name + " time " + t + " does not exist");
        }
        if (!frac.chars().allMatch(c -> c == '0')) {
            return -1;
        }
        return h * 3600 + m * 60 + s;
    }

    private static LocalDate date(String name, int year, int month, int day) throws MalformedMessageException {
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new MalformedMessageException(String.format("%s date %04d-%02d-%02d does not exist", name, year,
                    month, day));
        }
    }

    private static void need(String name, List<String> f, int fields) throws MalformedMessageException {
        if (f.size() < fields) {
            throw new MalformedMessageException(name + " with " + (f.size() - 1) + " fields (at least "
                    + (fields - 1) + ")");
        }
    }

    private static boolean digits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static List<String> split(String body) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length(); i++) {
            if (i == body.length() || body.charAt(i) == ',') {
                out.add(body.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    private static int indexOf(byte[] b, int off, int len, byte x) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        return -1;
    }
}
