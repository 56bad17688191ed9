package org.pps2phc.receiver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level scalar fields of one JSON object, as gpsd sends them one per line: strings (unescaped), numbers,
 * true, false and null as their text. Nested objects and arrays are skipped. Anything that is not one well-formed
 * object is {@link MalformedMessageException}.
 */
final class FlatJson {
    /** gpsd's own limit on a response line. */
    static final int MAX_LENGTH = 10_240;
    private static final int MAX_DEPTH = 32;
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    static Map<String, String> parse(String line) throws MalformedMessageException {
        if (line.length() > MAX_LENGTH) {
            throw new MalformedMessageException("JSON line of " + line.length() + " characters (at most " + MAX_LENGTH
                    + ")");
        }
        FlatJson p = new FlatJson(line);
        Map<String, String> out = new LinkedHashMap<>();
        p.space();
        p.expect('{');
        p.space();
        if (p.peek() == '}') {
            p.i++;
        } else {
            while (true) {
                p.space();
                String key = p.string();
                p.space();
                p.expect(':');
                p.space();
                String value = p.value(0);
                if (value != null) {
                    out.put(key, value);
                }
                p.space();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new MalformedMessageException("JSON: expected ',' or '}' at " + (p.i - 1));
                }
            }
        }
        p.space();
        if (p.i != line.length()) {
            throw new MalformedMessageException("JSON: text after the object at " + p.i);
        }
        return out;
    }

    /** A scalar's text, or null for a nested object or array (skipped). */
    private String value(int depth) throws MalformedMessageException {
        if (depth > MAX_DEPTH) {
            throw new MalformedMessageException("JSON nested deeper than " + MAX_DEPTH);
        }
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            i++;
            space();
            if (peek() == close) {
                i++;
                return null;
            }
            while (true) {
                space();
                if (c == '{') {
                    string();
                    space();
                    expect(':');
                    space();
                }
                value(depth + 1);
                space();
                char n = next();
                if (n == close) {
                    return null;
                }
                if (n != ',') {
                    throw new MalformedMessageException("JSON: expected ',' or '" + close + "' at " + (i - 1));
                }
            }
        }
        int start = i;
        while (i < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String t = s.substring(start, i);
        if (t.isEmpty() || !(t.equals("true") || t.equals("false") || t.equals("null")
                || t.matches("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?"))) {
            throw new MalformedMessageException("JSON: bad value at " + start);
        }
        return t;
    }

    private String string() throws MalformedMessageException {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new MalformedMessageException("JSON: a control character in a string at " + (i - 1));
            }
            if (c == '\\') {
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n', 'r', 't', 'b', 'f' -> b.append(' ');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new MalformedMessageException("JSON: a cut \\u escape");
                        }
                        try {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        } catch (NumberFormatException x) {
                            throw new MalformedMessageException("JSON: a bad \\u escape at " + i);
                        }
                        i += 4;
                    }
                    default -> throw new MalformedMessageException("JSON: a bad escape at " + (i - 1));
                }
            } else {
                b.append(c);
            }
        }
    }

    private void space() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r'
                || s.charAt(i) == '\n')) {
            i++;
        }
    }

    private char peek() throws MalformedMessageException {
        if (i >= s.length()) {
            throw new MalformedMessageException("JSON: the line ends early");
        }
        return s.charAt(i);
    }

    private char next() throws MalformedMessageException {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) throws MalformedMessageException {
        if (next() != c) {
            throw new MalformedMessageException("JSON: expected '" + c + "' at " + (i - 1));
        }
    }
}
