package org.pps2phc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The build generates target/pps2phc_completion (exec-maven-plugin, process-classes) from the picocli model. */
class CompletionScriptTest {
    @Test
    void completionScriptKnowsTheCommandsAndTheirOptions() throws Exception {
        Path script = Path.of("target/pps2phc_completion");
        assertTrue(Files.exists(script), "run the build through process-classes (mvn test does)");
        String text = Files.readString(script);
        for (String word : new String[] {"run", "status", "version", "--check-config", "--simulate", "--json",
            "--status-dir", "complete -F _complete_pps2phc"}) {
            assertTrue(text.contains(word), "completion lacks " + word);
        }
    }
}
