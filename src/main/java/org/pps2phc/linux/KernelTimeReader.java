package org.pps2phc.linux;

import org.pps2phc.core.port.ClockException;

/** Reads the kernel's system-clock state (adjtimex in production; a stub in tests of its users). */
@FunctionalInterface
public interface KernelTimeReader {
    /** One atomic read; a failure is one line for the operator. */
    KernelTimeStatus read() throws ClockException;
}
