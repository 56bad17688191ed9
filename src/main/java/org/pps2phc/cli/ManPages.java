package org.pps2phc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pps2phc.config.ConfigDoc;
import org.pps2phc.config.Key;
import org.pps2phc.config.Keys;
import org.pps2phc.config.Scope;
import org.pps2phc.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Renders the man pages pps2phc(8), from the picocli command model, and pps2phc.conf(5), from the key registry, so
 * that neither can drift from the code. The build runs {@code main} (exec-maven-plugin, process-classes) with the
 * directory to write to and the version; the package build gzips them.
 */
public final class ManPages {
    static final String CONFIG_FILE = "/etc/pps2phc/pps2phc.conf";

    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/man");
        String version = args.length > 1 ? args[1] : "development build";
        Files.createDirectories(dir);
        write(dir.resolve("pps2phc.8"), command(Main.commandLine(), version));
        write(dir.resolve("pps2phc.conf.5"), config(Settings.keys(), version));
    }

    /** pps2phc(8): every subcommand with its synopsis, description, options, parameters and examples. */
    static String command(CommandLine main, String version) {
        CommandSpec top = main.getCommandSpec();
        Troff man = new Troff("PPS2PHC", 8, "pps2phc " + version, "System Administration");
        man.section("NAME").text("pps2phc - " + lowerFirst(String.join(" ", top.usageMessage().description())));
        man.section("SYNOPSIS");
        for (CommandLine sub : main.getSubcommands().values()) {
            man.paragraph(synopsis(sub));
        }
        man.section("DESCRIPTION").paragraph(String.join("\n", top.usageMessage().description()))
                .paragraph("The daemon, `pps2phc run`, reads " + CONFIG_FILE + " (see *pps2phc.conf*(5)) and runs "
                        + "under systemd as the unit pps2phc.service. The other commands ask the running daemon, "
                        + "the machine's PTP hardware clocks and chronyd what they are doing, or simulate.");
        man.section("OPTIONS");
        options(man, top);
        man.section("COMMANDS");
        for (CommandLine sub : main.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            man.subsection("pps2phc " + spec.name());
            man.paragraph(synopsis(sub));
            for (String line : spec.usageMessage().description()) {
                man.paragraph(format(line));
            }
            options(man, spec);
            examples(man, spec);
        }
        man.section("EXAMPLES");
        examples(man, top);
        man.section("FILES")
                .tagged(CONFIG_FILE, "The configuration file; see *pps2phc.conf*(5).")
                .tagged("/run/pps2phc/", "The running daemon's status, which `pps2phc status` reads.")
                .tagged("/lib/systemd/system/pps2phc.service", "The systemd unit.");
        man.section("SEE ALSO").text("*pps2phc.conf*(5), *ts2phc*(8), *phc2sys*(8), *ptp4l*(8), *chronyd*(8), "
                + "*systemd.service*(5), and /usr/share/doc/pps2phc/.");
        return man.toString();
    }

    /** pps2phc.conf(5): the file's format and every key of the registry with its scope, default and meaning. */
    static String config(Keys keys, String version) {
        Troff man = new Troff("PPS2PHC.CONF", 5, "pps2phc " + version, "File Formats");
        man.section("NAME").text("pps2phc.conf - configuration file of pps2phc");
        man.section("SYNOPSIS").text(CONFIG_FILE);
        man.section("DESCRIPTION")
                .paragraph("*pps2phc*(8) reads one file, by default " + CONFIG_FILE + " (`pps2phc run -f FILE` for "
                        + "another), in linuxptp's format:")
                .example(ConfigDoc.EXAMPLE);
        for (String rule : ConfigDoc.FORMAT) {
            man.bullet(rule);
        }
        man.section("KEYS");
        for (Key k : keys.all()) {
            if (!k.ignored()) {
                key(man, k, k.meaning());
            }
        }
        man.section("TS2PHC KEYS WITHOUT EFFECT")
                .paragraph("These keys are checked like the others, and each one set logs a warning saying why it "
                        + "does nothing.");
        for (Key k : keys.all()) {
            if (k.ignored()) {
                key(man, k, k.meaning() + " No effect: " + k.ignoredWhy() + ".");
            }
        }
        man.section("FILES").tagged(CONFIG_FILE, "The file the packaged systemd unit names.")
                .tagged("/usr/share/doc/pps2phc/examples/", "Example configurations for pps2phc, chrony and ntpd.");
        man.section("SEE ALSO").text("*pps2phc*(8), *ts2phc*(8), *chrony.conf*(5)");
        return man.toString();
    }

    private static void key(Troff man, Key k, String meaning) {
        String unit = k.unit().isEmpty() ? "" : " Unit: " + k.unit() + ".";
        man.taggedMarkup(Troff.bold(k.name()) + " " + Troff.italic(k.type().allowed()), meaning
                + "\nScope: " + (k.scope() == Scope.GLOBAL ? "global" : "device, or global as the default") + "."
                + " Default: " + (k.defaultValue().isEmpty() ? "empty" : "`" + k.defaultValue() + "`") + "."
                + unit + (k.live() ? " A reload applies it." : " A change takes effect on restart."));
    }

    private static void options(Troff man, CommandSpec spec) {
        List<ArgSpec> args = new ArrayList<>();
        args.addAll(spec.positionalParameters());
        args.addAll(spec.options());
        for (ArgSpec arg : args) {
            if (!arg.hidden()) {
                man.taggedMarkup(label(arg), describe(arg));
            }
        }
    }

    private static String label(ArgSpec arg) {
        if (arg instanceof PositionalParamSpec p) {
            return Troff.italic(p.paramLabel());
        }
        OptionSpec o = (OptionSpec) arg;
        List<String> names = new ArrayList<>();
        for (String name : o.names()) {
            names.add(Troff.bold(name));
        }
        String label = String.join(", ", names);
        return o.typeInfo().isBoolean() ? label : label + " " + Troff.italic(o.paramLabel());
    }

    private static String describe(ArgSpec arg) {
        String text = String.join(" ", arg.description());
        String fallback = arg.defaultValueString();
        return format(text.replace("${DEFAULT-VALUE}", fallback == null ? "none" : fallback));
    }

    private static void examples(Troff man, CommandSpec spec) {
        String[] footer = spec.usageMessage().footer();
        if (footer.length == 0) {
            return;
        }
        man.paragraph(format(spec.usageMessage().footerHeading()).strip());
        List<String> lines = new ArrayList<>();
        for (String line : footer) {
            lines.add(format(line));
        }
        man.example(lines);
    }

    private static String synopsis(CommandLine cl) {
        Help help = new Help(cl.getCommandSpec(), Help.defaultColorScheme(Help.Ansi.OFF));
        String usage = help.synopsis(0).replaceFirst("^\\s*" + cl.getCommandSpec().qualifiedName(), "");
        return "`" + cl.getCommandSpec().qualifiedName() + "` " + usage.replaceAll("\\s+", " ").strip();
    }

    /** picocli's format specifiers in descriptions and footers: %n is a line break, %% a percent sign. */
    private static String format(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static void write(Path page, String text) throws IOException {
        Files.writeString(page, text, StandardCharsets.UTF_8);
    }
}
