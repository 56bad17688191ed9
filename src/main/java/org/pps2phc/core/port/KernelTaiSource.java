package org.pps2phc.core.port;

import java.util.OptionalInt;

/**
 * The kernel's TAI-UTC offset, from a read-only adjtimex(2) (modes = 0, field {@code tai}). The Linux adapter
 * implements it; chronyd sets the offset when configured with {@code leapsectz right/UTC} or {@code leapseclist}.
 */
@FunctionalInterface
public interface KernelTaiSource {
    /** TAI-UTC in seconds, or empty when the kernel's offset is 0 (not set) or cannot be read. */
    OptionalInt taiOffset();

    /** For hosts and tests without the kernel binding: never knows. */
    static KernelTaiSource none() {
        return OptionalInt::empty;
    }
}
