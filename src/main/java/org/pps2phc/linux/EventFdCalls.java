package org.pps2phc.linux;

import com.sun.jna.Library;

/**
 * JNA binding of eventfd(2) ({@code <sys/eventfd.h>}, libc): a 64-bit counter in the kernel, read and written as 8
 * bytes with {@link FileCalls#read} and {@link FileCalls#write}, that poll() reports readable while it is not zero.
 */
public interface EventFdCalls extends Library {
    int EFD_NONBLOCK = 0x800;
    int EFD_CLOEXEC = 0x80000;

    /** A new eventfd whose counter starts at {@code initval}; -1 and errno on failure. */
    int eventfd(int initval, int flags);
}
