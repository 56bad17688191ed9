package org.pps2phc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LeapTableTest {
    /** The tail of tzdata 2025b's leap-seconds.list, hash line included (it covers the whole table, so omitted). */
    static final List<String> TZDATA_TAIL = List.of(
            "#\tUpdated through IERS Bulletin C 69",
            "#$\t 3960835200",
            "#@\t3991593600",
            "3644697600\t36\t# 1 Jul 2015",
            "3692217600\t37\t# 1 Jan 2017");

    static long utc(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    @Test
    void parsesEntriesAndExpiryFromTheNtpEpoch() {
        LeapTable t = LeapTable.parse(TZDATA_TAIL, "test");
        assertEquals(2, t.entries().size());
        assertEquals(new LeapTable.Entry(utc("2017-01-01T00:00:00Z"), 37), t.entries().get(1));
        assertEquals(utc("2026-06-28T00:00:00Z"), t.expiresUtcS().getAsLong());
        assertEquals(LeapTable.HashStatus.ABSENT, t.hashStatus());
        assertEquals(OptionalInt.of(36), t.taiMinusUtcAt(utc("2016-12-31T23:59:59Z")));
        assertEquals(OptionalInt.of(37), t.taiMinusUtcAt(utc("2017-01-01T00:00:00Z")));
        assertEquals(OptionalInt.empty(), t.taiMinusUtcAt(utc("2010-01-01T00:00:00Z")));
        assertEquals(37, t.lastOffset());
    }

    @Test
    void expiry() {
        LeapTable t = LeapTable.parse(TZDATA_TAIL, "test");
        assertFalse(t.expiredAt(utc("2026-06-27T23:59:59Z")));
        assertTrue(t.expiredAt(utc("2026-06-28T00:00:00Z")));
        LeapTable noExpiry = LeapTable.parse(List.of("3692217600 37"), "test");
        assertFalse(noExpiry.expiredAt(Long.MAX_VALUE));
    }

    @Test
    void hashOfTheSystemFileMatches() throws Exception {
        java.nio.file.Path p = java.nio.file.Path.of("/usr/share/zoneinfo/leap-seconds.list");
        assertTrue(java.nio.file.Files.exists(p), p + " missing: install the Debian package tzdata");
        LeapTable t = LeapTable.parse(java.nio.file.Files.readAllLines(p), p.toString());
        assertEquals(LeapTable.HashStatus.MATCHES, t.hashStatus());
    }

    @Test
    void hashMismatchIsReported() {
        List<String> lines = new java.util.ArrayList<>(TZDATA_TAIL);
        lines.add("#h\t49db2447 571e5e1b 2f002a53 9c8da8e4 39b8e49e");
        assertEquals(LeapTable.HashStatus.MISMATCH, LeapTable.parse(lines, "test").hashStatus());
    }

    @Test
    void hashOverDigitsOfTheDataOnly() throws Exception {
        // SHA-1 of "3960835200" + "3991593600" + "364469760036" + "369221760037", computed independently
        byte[] sha = java.security.MessageDigest.getInstance("SHA-1").digest(
                "39608352003991593600364469760036369221760037".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder h = new StringBuilder("#h");
        for (int i = 0; i < 5; i++) {
            h.append(' ').append(Integer.toHexString(java.nio.ByteBuffer.wrap(sha, 4 * i, 4).getInt()));
        }
        List<String> lines = new java.util.ArrayList<>(TZDATA_TAIL);
        lines.add(h.toString());
        assertEquals(LeapTable.HashStatus.MATCHES, LeapTable.parse(lines, "test").hashStatus());
    }

    @Test
    void badLinesNameFileAndLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeapTable.parse(List.of("#@ 3991593600", "3692217600 thirty-seven"), "/etc/leap.list"));
        assertEquals("/etc/leap.list:2: TAI-UTC 'thirty-seven' is not a whole number", e.getMessage());
        assertEquals("/x:2: entries are not in time order", assertThrows(IllegalArgumentException.class,
                () -> LeapTable.parse(List.of("3692217600 37", "3644697600 36"), "/x")).getMessage());
        assertEquals("/x: no leap second entries", assertThrows(IllegalArgumentException.class,
                () -> LeapTable.parse(List.of("# nothing"), "/x")).getMessage());
    }

    @Test
    void insertedLeapIsPendingDuringItsMonth() {
        LeapTable t = LeapTable.parse(TZDATA_TAIL, "test");
        long leap = utc("2017-01-01T00:00:00Z");
        assertEquals(Leap.NONE, t.stateAt(utc("2016-11-30T23:59:59Z"), "f").pending());
        LeapState dec1 = t.stateAt(utc("2016-12-01T00:00:00Z"), "f");
        assertEquals(new LeapState(36, Leap.INSERT, leap, "f"), dec1);
        LeapState lastDay = t.stateAt(utc("2016-12-31T12:00:00Z"), "f");
        assertEquals(new LeapState(36, Leap.INSERT, leap, "f"), lastDay);
        // the last second before the leap, and the second after it
        assertEquals(36, t.stateAt(leap - 1, "f").taiMinusUtcS());
        assertEquals(LeapState.fixed(37, "f"), t.stateAt(leap, "f"));
        // on the day, TAI-UTC on each side of the leap from the pending state
        long ns = 1_000_000_000L;
        assertEquals((leap - 1 + 36) * ns, lastDay.utcToTai((leap - 1) * ns));
        assertEquals((leap + 37) * ns, lastDay.utcToTai(leap * ns));
    }

    @Test
    void deletedLeapIsPendingDuringItsMonth() {
        // a hypothetical negative leap second at the end of June 2030
        LeapTable t = LeapTable.parse(List.of("3692217600 37", "#@ 4200000000", "4118083200 36"), "test");
        long leap = utc("2030-07-01T00:00:00Z");
        assertEquals(leap, t.entries().get(1).utcS());
        LeapState day = t.stateAt(utc("2030-06-30T10:00:00Z"), "f");
        assertEquals(new LeapState(37, Leap.DELETE, leap, "f"), day);
        long ns = 1_000_000_000L;
        assertEquals((leap - 2 + 37) * ns, day.utcToTai((leap - 2) * ns)); // 23:59:58
        assertEquals((leap - 1 + 37) * ns, day.utcToTai(leap * ns)); // 00:00:00 follows it directly
        assertEquals(LeapState.fixed(36, "f"), t.stateAt(leap + 1, "f"));
    }

    @Test
    void calendarHelpers() {
        assertEquals(utc("2016-12-31T00:00:00Z"), LeapTable.nextUtcMidnight(utc("2016-12-30T23:59:59Z")));
        assertEquals(utc("2017-01-01T00:00:00Z"), LeapTable.nextUtcMidnight(utc("2016-12-31T00:00:00Z")));
        assertEquals(utc("2017-01-01T00:00:00Z"), LeapTable.startOfNextUtcMonth(utc("2016-12-15T08:00:00Z")));
        assertEquals("2026-06-28", LeapTable.utcDate(utc("2026-06-28T10:00:00Z")));
    }

    private static String problem(String text) {
        return assertThrows(IllegalArgumentException.class, () -> LeapTable.parse(
                text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), "/x")).getMessage();
    }

    @Test
    void theFilesBytesAreReadAsTheSystemFileIs() throws Exception {
        java.nio.file.Path p = java.nio.file.Path.of("/usr/share/zoneinfo/leap-seconds.list");
        assertEquals(LeapTable.parse(java.nio.file.Files.readAllLines(p), p.toString()),
                LeapTable.parse(java.nio.file.Files.readAllBytes(p), p.toString()));
        assertEquals(LeapTable.parse(TZDATA_TAIL, "t"),
                LeapTable.parse(String.join("\r\n", TZDATA_TAIL).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        "t"));
    }

    @Test
    void whatIsNotALeapSecondsListIsSaidInOneLine() {
        assertEquals("/x:2: byte 0xE9 is not ASCII text, so this is not a leap-seconds.list",
                problem("# leap\n# mise \u00e9 jour\n3692217600 37\n"));
        assertEquals("/x:1: byte 0x00 is not ASCII text, so this is not a leap-seconds.list", problem("\0\0\0"));
        assertEquals("/x: larger than 256 KiB, so not a leap-seconds.list",
                problem("#".repeat(LeapTable.MAX_BYTES + 1)));
        assertEquals("/x:2: TAI-UTC goes from 36 to 38: a leap second changes it by one",
                problem("3644697600 36\n3692217600 38\n"));
        assertEquals("/x:1: TAI-UTC 100000 s is not believable", problem("3692217600 100000\n"));
        assertEquals("/x:1: '99999999999999999' is not an NTP time in seconds", problem("99999999999999999 37\n"));
        assertEquals("/x:1: '" + "9".repeat(40) + "... (100 characters)' is not an NTP time in seconds",
                problem("#@ " + "9".repeat(100) + "\n3692217600 37\n"));
        assertEquals("/x:1: TAI-UTC '" + "3".repeat(40) + "... (100000 characters)' is not a whole number",
                problem("3692217600 " + "3".repeat(100_000) + "\n"));
    }
}
