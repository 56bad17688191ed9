package org.pps2phc.ntpshm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** uid to user name through libc's getpwuid (so NSS users count too), for messages about who owns a segment. */
final class UserNames {
    private UserNames() {
    }

    interface PasswdCalls extends Library {
        PasswdCalls LIBC = Native.load("c", PasswdCalls.class);

        /** struct passwd *, whose first field is char *pw_name; null when there is no such user. */
        Pointer getpwuid(int uid);
    }

    /** The user's name, or "uid N" when the system knows none. */
    static String name(int uid) {
        try {
            Pointer pw = PasswdCalls.LIBC.getpwuid(uid);
            Pointer name = pw == null ? null : pw.getPointer(0);
            return name == null ? "uid " + uid : name.getString(0);
        } catch (RuntimeException | LinkageError e) {
            return "uid " + uid;
        }
    }

    /** "user root uid 0", or "uid 1234" for a uid without a name. */
    static String describe(int uid) {
        String name = name(uid);
        return name.startsWith("uid ") ? name : "user " + name + " uid " + uid;
    }
}
