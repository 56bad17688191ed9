package org.pps2phc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of docs/design.md, read from the sources: arrows point toward core; adapters import neither each other
 * nor config, daemon or cli; core does no I/O, starts no thread, logs nothing and reads no clock.
 */
class ArchitectureTest {
    private static final Path SOURCES = Path.of("src/main/java/org/pps2phc");
    private static final Set<String> ADAPTERS = Set.of("linux", "chrony", "receiver", "ntpshm", "ptp4l", "metrics",
            "sim");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?org\\.pps2phc\\.([a-z0-9]+)",
            Pattern.MULTILINE);
    private static final Pattern CORE_FORBIDDEN = Pattern.compile(
            "^import (static )?(java\\.io\\.|java\\.nio\\.(file|channels)|java\\.net\\.|java\\.util\\.concurrent|java\\.lang\\.Thread"
                    + "|java\\.time\\.Clock|org\\.slf4j|ch\\.qos|com\\.sun\\.jna)|System\\.(nanoTime|currentTimeMillis)"
                    + "|Instant\\.now|new Thread\\b|\\.now\\(\\)", Pattern.MULTILINE);

    /** Which project packages each top-level package may import, besides itself. */
    private static Set<String> allowed(String pkg) {
        if (pkg.equals("core")) {
            return Set.of();
        }
        if (pkg.equals("os")) {
            return Set.of("core");
        }
        if (ADAPTERS.contains(pkg)) {
            return Set.of("core", "os");
        }
        if (pkg.equals("config")) {
            return Set.of("core");
        }
        if (pkg.equals("daemon")) {
            return union(ADAPTERS, Set.of("core", "os", "config"));
        }
        if (pkg.equals("cli")) {
            return union(ADAPTERS, Set.of("core", "os", "config", "daemon"));
        }
        throw new AssertionError("a top-level package docs/design.md does not name: " + pkg);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void arrowsPointTowardCore() {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources()) {
            String pkg = SOURCES.relativize(file).getName(0).toString();
            if (file.getParent().equals(SOURCES)) {
                continue;
            }
            Matcher m = IMPORT.matcher(read(file));
            while (m.find()) {
                String target = m.group(2);
                if (!target.equals(pkg) && !allowed(pkg).contains(target)) {
                    wrong.add(SOURCES.relativize(file) + " imports org.pps2phc." + target);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void coreDoesNoIoStartsNoThreadLogsNothingAndReadsNoClock() {
        List<String> wrong = new ArrayList<>();
        for (Path file : sources()) {
            if (!SOURCES.relativize(file).getName(0).toString().equals("core")) {
                continue;
            }
            Matcher m = CORE_FORBIDDEN.matcher(read(file));
            while (m.find()) {
                wrong.add(SOURCES.relativize(file) + ": " + m.group());
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
