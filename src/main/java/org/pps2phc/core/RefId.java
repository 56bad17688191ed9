package org.pps2phc.core;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** chrony reference IDs: 32-bit words that spell up to four ASCII characters for refclocks ("PHC0"). */
public final class RefId {
    /** chrony's own free-running reference (`local stratum N`): 127.127.1.1. */
    public static final int LOCAL = 0x7F7F0101;
    /** The reference of manual input (`chronyc settime`). */
    public static final int MANUAL = 0x4D414E55;

    private RefId() {
    }

    /** "PHC0" to 0x50484330; shorter names are padded with zero bytes, as chrony does. */
    public static int of(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        if (name.isEmpty() || b.length > 4 || !name.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException("refid '" + name + "' must be 1 to 4 printable ASCII characters");
        }
        int id = 0;
        for (int i = 0; i < 4; i++) {
            id = (id << 8) | (i < b.length ? b[i] & 0xFF : 0);
        }
        return id;
    }

    /** As chronyc prints it: hex, with the ASCII name in parentheses when the word spells one. */
    public static String describe(int refId) {
        String hex = String.format("%08X", refId);
        return ascii(refId).map(a -> hex + " (" + a + ")").orElse(hex);
    }

    /** The refid's ASCII spelling, when all its non-zero bytes are printable and it starts with a letter. */
    public static Optional<String> ascii(int refId) {
        StringBuilder s = new StringBuilder();
        for (int shift = 24; shift >= 0; shift -= 8) {
            int c = (refId >>> shift) & 0xFF;
            if (c == 0) {
                break;
            }
            if (c <= 32 || c >= 127) {
                return Optional.empty();
            }
            s.append((char) c);
        }
        if (s.length() == 0 || !Character.isLetter(s.charAt(0))) {
            return Optional.empty();
        }
        return Optional.of(s.toString());
    }
}
