package org.pps2phc.linux;

import org.pps2phc.os.NativeLibraries;
/**
 * The kernel interfaces a PHC needs, bound to one C library (see {@link NativeLibraries}). A value, not a global:
 * each device holds the bindings it was opened with.
 */
public record LinuxKernel(FileCalls files, PtpIoctls ptp, ClockCalls clocks, EthtoolCalls ethtool,
                          EventFdCalls events) {
    /** Binds to the library {@link NativeLibraries#libc()} names now. */
    public static LinuxKernel load() {
        return new LinuxKernel(NativeLibraries.load(FileCalls.class), NativeLibraries.load(PtpIoctls.class),
                NativeLibraries.load(ClockCalls.class), NativeLibraries.load(EthtoolCalls.class),
                NativeLibraries.load(EventFdCalls.class));
    }
}
