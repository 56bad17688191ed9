package org.pps2phc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status file as its buffers, kept from one write to the next, leave it: each write whole, in UTF-8. */
class StatusFileTest {
    @TempDir
    Path dir;

    private static DaemonStatus status(String config, String tod) {
        return new DaemonStatus(new DaemonIdentity(7, 5, "gm1", config), "/dev/ptp0", "locked", -12, 23712.4, 30,
                true, tod, List.of("ntpshm 0"), 0.4, 3600, 2, 1, 0, "kalman", 3700, 1_780_000_000_000L);
    }

    @Test
    void eachWriteLeavesExactlyItsJsonReadableByAll() throws Exception {
        StatusFile file = new StatusFile(dir);
        DaemonStatus longOne = status("/etc/pps2phc/zürich-µs.conf", "untrusted (" + "ö".repeat(3000) + ")");
        DaemonStatus shortOne = status("/etc/pps2phc/gm1.conf", "trusted (PPS0, bound 0.001 ms)");
        for (DaemonStatus s : List.of(shortOne, longOne, shortOne)) {
            file.write(s);
            byte[] written = Files.readAllBytes(file.path());
            assertEquals(s.toJson(), new String(written, StandardCharsets.UTF_8));
            assertEquals(s, DaemonStatus.fromJson(file.read().orElseThrow()));
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file.path()), left.toList(), "no temporary file left");
        }
    }
}
