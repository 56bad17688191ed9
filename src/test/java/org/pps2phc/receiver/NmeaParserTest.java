package org.pps2phc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class NmeaParserTest {
    private static ReceiverMessage parse(String line) throws MalformedMessageException {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        int len = b.length;
        while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r')) {
            len--;
        }
        return NmeaParser.parse(b, 0, len);
    }

    private static long utc(int y, int mo, int d, int h, int mi, int s) {
        return LocalDate.of(y, mo, d).toEpochDay() * 86_400L + h * 3600L + mi * 60L + s;
    }

    @Test
    void aZedF9pRmcFromGpsdsTestLogs() throws Exception {
        // the checksum is the XOR of the bytes between $ and *, as the receiver sent it
        ReceiverMessage.UtcTime t = assertInstanceOf(ReceiverMessage.UtcTime.class,
                parse("$GNRMC,123519.00,A,4807.03800,N,01131.00000,E,0.022,,230394,,,A,V*14"));
        assertEquals("GNRMC", t.name());
        assertEquals(utc(2094, 3, 23, 12, 35, 19), t.utcSecond(), "two-digit years are 2000-2099");
        assertTrue(t.valid());
    }

    @Test
    void checksumsAreCheckedAndMandatory() {
        byte[] good = Sentences.rmc(utc(2026, 12, 1, 7, 0, 0));
        assertTrue(NmeaParser.checksumMatches(good, 0, good.length - 2));
        good[10] ^= 1;
        assertFalse(NmeaParser.checksumMatches(good, 0, good.length - 2));
        assertThrows(MalformedMessageException.class, () -> parse("$GPZDA,120000.00,01,12,2026,00,00"));
    }

    @Test
    void anyTalkerAndTheFourTimeSentences() throws Exception {
        long t = utc(2026, 12, 1, 7, 35, 9);
        for (String talker : new String[] {"GP", "GN", "GL", "GA", "BD", "GB"}) {
            String body = new String(Sentences.rmc(t), StandardCharsets.US_ASCII).substring(3);
            String line = new String(Sentences.nmea(talker + body.substring(0, body.indexOf('*'))),
                    StandardCharsets.US_ASCII);
            assertEquals(t, ((ReceiverMessage.UtcTime) parse(line)).utcSecond(), talker);
        }
        assertEquals(t, ((ReceiverMessage.UtcTime) parse(new String(Sentences.zda(t), StandardCharsets.US_ASCII)))
                .utcSecond());
        ReceiverMessage.TimeOfDayOnly gga = (ReceiverMessage.TimeOfDayOnly) parse(
                new String(Sentences.gga(t, 1), StandardCharsets.US_ASCII));
        assertEquals(7 * 3600 + 35 * 60 + 9, gga.secondOfDay());
        assertNull(gga.whyInvalid());
        ReceiverMessage.TimeOfDayOnly gns = (ReceiverMessage.TimeOfDayOnly) parse(new String(Sentences.nmea(
                "GNGNS,073509.00,4717.1,N,00833.9,E,NNAN,10,0.9,499.6,48.0,,,V"), StandardCharsets.US_ASCII));
        assertNull(gns.whyInvalid(), "one constellation with a fix is a fix");
        assertEquals("mode 'NNNN' (no constellation with a fix)", ((ReceiverMessage.TimeOfDayOnly) parse(new String(
                Sentences.nmea("GNGNS,073509.00,,,,,NNNN,00,,,,,,V"), StandardCharsets.US_ASCII))).whyInvalid());
        assertInstanceOf(ReceiverMessage.Other.class, parse("$GPGSV,1,1,00*79"));
        assertInstanceOf(ReceiverMessage.Other.class, parse(new String(Sentences.nmea("PUBX,04,073509.00"),
                StandardCharsets.US_ASCII)));
    }

    @Test
    void validity() throws Exception {
        long t = utc(2026, 12, 1, 7, 35, 9);
        var v = (ReceiverMessage.UtcTime) parse(new String(Sentences.rmc(
                java.time.LocalDateTime.of(2026, 12, 1, 7, 35, 9), 'V'), StandardCharsets.US_ASCII));
        assertEquals("status V (void: no fix)", v.whyInvalid());
        var dr = (ReceiverMessage.UtcTime) parse(new String(Sentences.nmea(
                "GNRMC,073509.00,A,4717.1,N,00833.9,E,0.0,,011226,,,E"), StandardCharsets.US_ASCII));
        assertEquals("mode E (estimated: dead reckoning)", dr.whyInvalid());
        assertEquals("quality 0 (no fix)", ((ReceiverMessage.TimeOfDayOnly) parse(new String(Sentences.gga(t, 0),
                StandardCharsets.US_ASCII))).whyInvalid());
        var empty = (ReceiverMessage.UtcTime) parse(new String(Sentences.nmea("GPZDA,,,,,,"),
                StandardCharsets.US_ASCII));
        assertEquals(Long.MIN_VALUE, empty.utcSecond(), "u-blox ANTARIS sends blank ZDA fields before lock");
        assertFalse(empty.valid());
    }

    @Test
    void theLeapSecondIsItsOwnSecondAndImpossibleTimesAreMalformed() throws Exception {
        var leap = (ReceiverMessage.UtcTime) parse(new String(Sentences.nmea(
                "GPZDA,235960.00,31,12,2016,00,00"), StandardCharsets.US_ASCII));
        assertTrue(leap.leapSecond());
        assertEquals(utc(2017, 1, 1, 0, 0, 0), leap.utcSecond());
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> parse(new String(
                Sentences.nmea("GPZDA,125960.00,31,12,2016,00,00"), StandardCharsets.US_ASCII)));
        assertEquals("GPZDA time 125960.00 does not exist", e.getMessage());
        assertThrows(MalformedMessageException.class, () -> parse(new String(Sentences.nmea(
                "GNRMC,073509.00,A,4717.1,N,00833.9,E,0.0,,310226,,,A"), StandardCharsets.US_ASCII)));
        assertInstanceOf(ReceiverMessage.Other.class, parse(new String(Sentences.nmea(
                "GNRMC,073509.20,A,4717.1,N,00833.9,E,0.0,,011226,,,A"), StandardCharsets.US_ASCII)),
                "a 5 Hz epoch off the second describes no pulse");
    }
}
