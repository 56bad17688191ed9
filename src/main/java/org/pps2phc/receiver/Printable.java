package org.pps2phc.receiver;

/** Text from a receiver made safe for one log line: control and non-ASCII characters shown as \xNN, cut to 40. */
final class Printable {
    private static final int MAX = 40;

    private Printable() {
    }

    static String of(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < MAX; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                b.append(String.format("\\x%02x", (int) c & 0xFF));
            } else {
                b.append(c);
            }
        }
        return s.length() > MAX ? b + "..." : b.toString();
    }
}
