package org.pps2phc.os;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Where the device bindings find their C library. The system property {@value #LIBC_PROPERTY} names it (default
 * "c", the system libc); the tests point it at a fake-kernel shim that implements the same functions, so the code
 * that runs on a real device is the code the tests drive.
 */
public final class NativeLibraries {
    public static final String LIBC_PROPERTY = "pps2phc.libc";

    private NativeLibraries() {
    }

    /** The library name or path in use now. */
    public static String libc() {
        String name = System.getProperty(LIBC_PROPERTY, "c");
        return name.isBlank() ? "c" : name;
    }

    public static <T extends Library> T load(Class<T> binding) {
        return Native.load(libc(), binding);
    }
}
