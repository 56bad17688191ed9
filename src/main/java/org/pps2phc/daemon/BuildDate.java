package org.pps2phc.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.Properties;

/** The day this build was made (the jar's build.properties, written by Maven): a floor no GNSS date is below. */
final class BuildDate {
    private BuildDate() {
    }

    static LocalDate get() {
        try (InputStream in = BuildDate.class.getResourceAsStream("/org/pps2phc/build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the jar");
            }
            Properties p = new Properties();
            p.load(in);
            return LocalDate.parse(p.getProperty("build.date", "").trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
