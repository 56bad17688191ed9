package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pps2phc.config.Key;
import org.pps2phc.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The man pages come from the command model and the key registry, so they name everything those hold. */
class ManPagesTest {
    @Test
    void commandPageHasEverySubcommandOptionAndParameter() {
        CommandLine main = Main.commandLine();
        String page = ManPages.command(main, "test");
        assertTrue(page.startsWith(".TH \"PPS2PHC\" 8 "), page.lines().findFirst().orElse(""));
        int subcommands = 0;
        for (CommandLine sub : main.getSubcommands().values()) {
            assertTrue(page.contains(".SS \"pps2phc " + sub.getCommandName() + "\"\n"), sub.getCommandName());
            subcommands++;
            for (OptionSpec o : sub.getCommandSpec().options()) {
                for (String name : o.names()) {
                    assertTrue(page.contains(Troff.bold(name)), sub.getCommandName() + " " + name);
                }
            }
            for (PositionalParamSpec p : sub.getCommandSpec().positionalParameters()) {
                assertTrue(page.contains(Troff.italic(p.paramLabel())), sub.getCommandName() + " " + p.paramLabel());
            }
        }
        assertTrue(subcommands >= 6, "subcommands: " + subcommands);
    }

    @Test
    void configPageHasEveryKeyWithItsDefault() {
        String page = ManPages.config(Settings.keys(), "test");
        assertTrue(page.startsWith(".TH \"PPS2PHC.CONF\" 5 "));
        for (Key k : Settings.keys().all()) {
            assertTrue(page.contains(".TP\n" + Troff.bold(k.name()) + " "), k.name());
            if (!k.defaultValue().isEmpty()) {
                assertTrue(page.contains("Default: " + Troff.bold(k.defaultValue())), k.name());
            }
        }
    }

    @Test
    void theBuildWroteBothPagesFromTheCurrentModel() throws Exception {
        Path page = Path.of("target/man/pps2phc.8");
        assertTrue(Files.exists(page), "run the build through process-classes (mvn test does): " + page);
        String text = Files.readString(page);
        String version = text.lines().findFirst().orElseThrow()
                .replaceFirst("^\\.TH \"PPS2PHC\" 8 \"\" \"pps2phc (.*)\" .*$", "$1").replace("\\-", "-");
        assertEquals(ManPages.command(Main.commandLine(), version), text, "target/man/pps2phc.8 is stale");
        assertEquals(ManPages.config(Settings.keys(), version), Files.readString(Path.of("target/man/pps2phc.conf.5")),
                "target/man/pps2phc.conf.5 is stale");
    }

    @Test
    void troffEscapesWhatGroffWouldReadAsMarkup() {
        String page = new Troff("T", 1, "s", "m").text(".starts like a request\n'this too\na \\ backslash, a -minus, `code`")
                .toString();
        assertTrue(page.contains("\n\\&.starts like a request\n"), page);
        assertTrue(page.contains("\n\\&'this too\n"), page);
        assertTrue(page.contains("\na \\e backslash, a \\-minus, \\fBcode\\fR\n"), page);
    }
}
