package org.pps2phc.ntpshm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** uid to user name from /etc/passwd, for messages about who owns a segment. */
final class UserNames {
    private UserNames() {
    }

    /** The user's name, or "uid N" when /etc/passwd has none. */
    static String name(int uid) {
        try (var lines = Files.lines(Path.of("/etc/passwd"))) {
            return lines.map(l -> l.split(":", -1))
                    .filter(f -> f.length > 2 && f[2].equals(Integer.toString(uid)))
                    .map(f -> f[0]).findFirst().orElse("uid " + uid);
        } catch (IOException | RuntimeException e) {
            return "uid " + uid;
        }
    }

    /** "user root uid 0". */
    static String describe(int uid) {
        return "user " + name(uid) + " uid " + uid;
    }
}
