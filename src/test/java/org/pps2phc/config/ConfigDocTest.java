package org.pps2phc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigDocTest {
    private static final Path DOC = Path.of("docs/configuration.md");

    @Test
    void configurationDocListsEveryKeyAsTheRegistryDefinesIt() throws Exception {
        String expected = ConfigDoc.render(Settings.keys());
        if (Boolean.getBoolean("pps2phc.writeDocs")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        assertTrue(Files.exists(DOC), "docs/configuration.md is missing: run "
                + "mvn -q test -Dtest=ConfigDocTest -Dpps2phc.writeDocs=true");
        assertEquals(expected, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/configuration.md is stale: run mvn -q test -Dtest=ConfigDocTest -Dpps2phc.writeDocs=true");
    }

    @Test
    void everyKeyIsInTheDocWithItsDefault() {
        String doc = ConfigDoc.render(Settings.keys());
        for (Key k : Settings.keys().all()) {
            assertTrue(doc.contains("| `" + k.name() + "` |"), k.name());
        }
    }
}
