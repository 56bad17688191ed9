package org.pps2phc.linux;

/** Reads the kernel's system-clock state (adjtimex in production; a stub in tests of its users). */
@FunctionalInterface
public interface KernelTimeReader {
    KernelTimeStatus read() throws PhcException;
}
