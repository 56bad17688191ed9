package org.pps2phc.os;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Structure;

/**
 * JNA binding of the libc terminal calls a serial port needs (glibc exports all of them, openpty included, from
 * libc.so.6 since 2.34). {@code struct termios} is passed as 60 bytes of memory: c_cflag at 8, c_cc at 17.
 */
interface TermiosCalls extends Library {
    TermiosCalls LIBC = Native.load("c", TermiosCalls.class);

    int O_RDONLY = 0;
    int O_RDWR = 2;
    int O_NOCTTY = 0400;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    int TCSANOW = 0;
    int TCIFLUSH = 0;
    int LOCK_EX = 2;
    int LOCK_NB = 4;
    int EWOULDBLOCK = 11;
    short POLLIN = 0x1;
    short POLLOUT = 0x4;
    short POLLERR = 0x8;
    short POLLHUP = 0x10;
    short POLLNVAL = 0x20;
    int TERMIOS_SIZE = 60;
    int C_CFLAG = 8;
    int C_CC = 17;
    int VTIME = 5;
    int VMIN = 6;
    int CSTOPB = 0100;
    int CREAD = 0200;
    int PARENB = 0400;
    int CLOCAL = 04000;
    int CRTSCTS = 020000000000;

    int open(String path, int flags);

    int close(int fd);

    long read(int fd, byte[] buf, long count);

    long write(int fd, byte[] buf, long count);

    int poll(PollFd[] fds, int nfds, int timeoutMs);

    int flock(int fd, int operation);

    int tcgetattr(int fd, Memory termios);

    int tcsetattr(int fd, int when, Memory termios);

    void cfmakeraw(Memory termios);

    int cfsetspeed(Memory termios, int speed);

    int tcflush(int fd, int queue);

    int isatty(int fd);

    int openpty(int[] master, int[] slave, byte[] name, Memory termios, Memory winsize);

    /** struct pollfd. */
    @Structure.FieldOrder({"fd", "events", "revents"})
    class PollFd extends Structure {
        public int fd;
        public short events;
        public short revents;
    }
}
