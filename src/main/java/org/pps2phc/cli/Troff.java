package org.pps2phc.cli;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a man page in man(7) markup. Text goes in as written (with Markdown's `code` and *emphasis* as the only
 * inline markup) and is escaped so that groff prints it unchanged: backslashes, minus signs, and a '.' or '\''
 * at the start of a line, which groff would take for a request.
 */
final class Troff {
    private static final Pattern INLINE = Pattern.compile("`([^`]+)`|\\*(\\w[^*]*\\w|\\w)\\*");

    private final StringBuilder out = new StringBuilder();

    Troff(String title, int section, String source, String manual) {
        out.append(".TH ").append(quoted(title)).append(' ').append(section).append(" \"\" ")
                .append(quoted(source)).append(' ').append(quoted(manual)).append('\n');
        out.append(".ad l\n.nh\n");
    }

    Troff section(String heading) {
        return request("SH", heading);
    }

    Troff subsection(String heading) {
        return request("SS", heading);
    }

    /** A paragraph of running text. */
    Troff paragraph(String text) {
        out.append(".PP\n");
        return text(text);
    }

    /** A tagged paragraph: the tag in bold (an option, a key, a command), then its text indented below. */
    Troff tagged(String tag, String text) {
        out.append(".TP\n").append("\\fB").append(escape(tag)).append("\\fR\n");
        return text(text);
    }

    /** A tagged paragraph whose tag is already marked up (bold and italic parts put together by the caller). */
    Troff taggedMarkup(String tagMarkup, String text) {
        out.append(".TP\n").append(tagMarkup).append('\n');
        return text(text);
    }

    /** Lines shown as they are, in a fixed-width font, indented: examples, a file's contents. */
    Troff example(List<String> lines) {
        out.append(".PP\n.RS 4\n.nf\n");
        for (String line : lines) {
            out.append(line.isEmpty() ? "" : "\\&" + escape(line)).append('\n');
        }
        out.append(".fi\n.RE\n");
        return this;
    }

    /** A list item with a bullet. */
    Troff bullet(String text) {
        out.append(".IP \\(bu 2\n");
        return text(text);
    }

    /** Running text with `code` in bold and *emphasis* in italics; each input line becomes one output line. */
    Troff text(String text) {
        for (String line : text.strip().split("\n")) {
            String s = line.strip();
            if (s.isEmpty()) {
                out.append(".sp\n");
            } else {
                out.append(startsRequest(s) ? "\\&" : "").append(inline(s)).append('\n');
            }
        }
        return this;
    }

    static String bold(String s) {
        return "\\fB" + escape(s) + "\\fR";
    }

    static String italic(String s) {
        return "\\fI" + escape(s) + "\\fR";
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private Troff request(String name, String argument) {
        out.append('.').append(name).append(' ').append(quoted(argument)).append('\n');
        return this;
    }

    private static String inline(String s) {
        Matcher m = INLINE.matcher(s);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            sb.append(escape(s.substring(last, m.start())));
            sb.append(m.group(1) != null ? bold(m.group(1)) : italic(m.group(2)));
            last = m.end();
        }
        return sb.append(escape(s.substring(last))).toString();
    }

    private static boolean startsRequest(String line) {
        return line.startsWith(".") || line.startsWith("'");
    }

    static String escape(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }

    private static String quoted(String s) {
        return "\"" + escape(s).replace("\"", "\\(dq") + "\"";
    }
}
