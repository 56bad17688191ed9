package org.pps2phc.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Compiles the test C sources (src/test/c) with gcc into target/test-native, when the output is out of date. */
final class NativeBuild {
    static final Path SOURCES = Path.of("src/test/c");
    static final Path OUT = Path.of("target/test-native");

    private NativeBuild() {
    }

    /** An executable built from {@code source}. */
    static Path program(String source) throws IOException, InterruptedException {
        return build(source, source.replaceAll("\\.c$", ""), List.of());
    }

    /** A shared library built from {@code source}. */
    static Path sharedLibrary(String source) throws IOException, InterruptedException {
        return build(source, "lib" + source.replaceAll("\\.c$", "") + ".so", List.of("-shared", "-fPIC", "-ldl", "-lm",
                "-lpthread"));
    }

    private static synchronized Path build(String source, String output, List<String> flags)
            throws IOException, InterruptedException {
        Path src = SOURCES.resolve(source).toAbsolutePath();
        Path out = OUT.resolve(output).toAbsolutePath();
        if (Files.exists(out) && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(src)) > 0) {
            return out;
        }
        Files.createDirectories(OUT);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-o",
                out.toString(), src.toString()));
        cmd.addAll(flags);
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("gcc is missing, so " + source + " cannot be built: install the Debian packages "
                    + "gcc libc6-dev linux-libc-dev (scripts/install-test-deps.sh does)", e);
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("gcc did not finish building " + source);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("gcc failed on " + source + " (are libc6-dev and linux-libc-dev installed?):\n"
                    + String.join(" ", cmd) + "\n" + log);
        }
        return out;
    }
}
