package org.pps2phc.chrony;

import org.pps2phc.config.ChronyAddressParser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ChronyAddressTest {
    @Test
    void parsesHostAndPort() {
        assertEquals("127.0.0.1:323", ChronyAddress.format(ChronyAddressParser.parse("127.0.0.1")));
        assertEquals("127.0.0.1:11300", ChronyAddress.format(ChronyAddressParser.parse("127.0.0.1:11300")));
        assertEquals("[::1]:323", ChronyAddress.format(ChronyAddressParser.parse("[::1]:323")));
        assertEquals("[::1]:323", ChronyAddress.format(ChronyAddressParser.parse("::1")));
        assertEquals("[::1]:5000", ChronyAddress.format(ChronyAddressParser.parse("[::1]:5000")));
        assertEquals("[fe80::1:0:0:2]:323", ChronyAddress.format(ChronyAddressParser.parse("fe80:0:0:0:1:0:0:2")));
        assertEquals("127.0.0.1:323", ChronyAddress.format(ChronyAddress.DEFAULT));
    }

    @Test
    void rejectsNonsenseWithOneLine() {
        assertEquals("chrony address '127.0.0.1:0': port must be 1 to 65535",
                assertThrows(IllegalArgumentException.class, () -> ChronyAddressParser.parse("127.0.0.1:0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChronyAddressParser.parse("[::1"));
        assertThrows(IllegalArgumentException.class, () -> ChronyAddressParser.parse(":323"));
        assertThrows(IllegalArgumentException.class, () -> ChronyAddressParser.parse("127.0.0.1:abc"));
    }
}
