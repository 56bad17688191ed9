package org.pps2phc.chrony;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Replies captured from a real chronyd 4.3 (see src/test/resources/org/pps2phc/chrony/README.txt). */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] reply(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int sequence(byte[] reply) {
        return ByteBuffer.wrap(reply).getInt(16);
    }
}
