package org.pps2phc.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders docs/configuration.md from the key registry, so the document cannot drift from the code
 * (ConfigDocTest fails when it has). {@code main} writes it: run with the path of the file to write.
 */
public final class ConfigDoc {
    /** A minimal file in the format, line by line. */
    public static final List<String> EXAMPLE = List.of("[global]", "# a comment", "step_threshold 0.1", "",
            "[eth0]", "ts2phc.extts_polarity both");

    /** How the file is read, one rule each (Markdown: `code`); the man page pps2phc.conf(5) says the same. */
    public static final List<String> FORMAT = List.of(
            "`[global]` holds keys for the whole daemon; keys before any section are global too.",
            "One device section names the NIC (`[eth0]`) or the PHC (`[/dev/ptp0]`) to discipline. "
                    + "Keys of scope *device* may go there, or in `[global]` as the default.",
            "`key value` per line; `#` starts a comment at the start of a line or after a space.",
            "An existing ts2phc.conf is a valid start: the ts2phc keys that apply keep their meaning "
                    + "and defaults (except `ts2phc.pulsewidth`, which pps2phc learns when it is not set).",
            "Unknown keys, keys in the wrong section and bad values stop pps2phc before it opens "
                    + "anything, with `file:line:` and what is allowed (exit code 78). "
                    + "`pps2phc run --check-config` checks a file and exits.",
            "On SIGHUP the file is read again: keys marked *live* take effect at once; the log names any other "
                    + "changed key as needing a restart. `systemctl reload pps2phc` checks the file first and fails "
                    + "on a broken one, which the daemon would refuse, keeping the config it has.");

    private ConfigDoc() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, render(Settings.keys()), StandardCharsets.UTF_8);
    }

    public static String render(Keys keys) {
        StringBuilder sb = new StringBuilder();
        sb.append("# pps2phc configuration\n\n")
                .append("<!-- Generated from org.pps2phc.config.Keys by ConfigDoc; do not edit by hand. After changing "
                        + "a key, run:\n     mvn -q test -Dtest=ConfigDocTest -Dpps2phc.writeDocs=true -->\n\n")
                .append("pps2phc reads one file, by default `/etc/pps2phc/pps2phc.conf` (`pps2phc run -f FILE` "
                        + "for another), in linuxptp's format:\n\n")
                .append("```\n").append(String.join("\n", EXAMPLE)).append("\n```\n\n")
                .append(String.join("", FORMAT.stream().map(rule -> "- " + rule + "\n").toList())).append("\n")
                .append("| key | scope | default | allowed | unit | reload | meaning |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Key k : keys.all()) {
            if (!k.ignored()) {
                row(sb, k, k.meaning());
            }
        }
        sb.append("\n## Accepted for ts2phc compatibility, without effect\n\n")
                .append("These keys are checked like the others, and each one set logs a warning saying why it "
                        + "does nothing.\n\n")
                .append("| key | scope | default | allowed | unit | reload | meaning |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Key k : keys.all()) {
            if (k.ignored()) {
                row(sb, k, k.meaning() + " **No effect:** " + k.ignoredWhy() + ".");
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, Key k, String meaning) {
        sb.append("| `").append(k.name()).append("` | ")
                .append(k.scope() == Scope.GLOBAL ? "global" : "device").append(" | ")
                .append(k.defaultValue().isEmpty() ? "(empty)" : "`" + k.defaultValue() + "`").append(" | ")
                .append(k.type().allowed().replace("|", "\\|")).append(" | ")
                .append(k.unit()).append(" | ")
                .append(k.live() ? "live" : "restart").append(" | ")
                .append(meaning.replace("|", "\\|")).append(" |\n");
    }
}
