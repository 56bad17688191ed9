package org.pps2phc.ntpshm;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** JNA binding of System V shared memory (libc): the NTP SHM refclock's transport. x86_64/aarch64 glibc values. */
interface SysvShmCalls extends Library {
    int IPC_CREAT = 01000;
    int IPC_EXCL = 02000;
    int IPC_RMID = 0;
    int IPC_STAT = 2;

    /** sizeof(struct shmid_ds) on LP64 glibc, and the offsets read from it (checked against gcc by the tests). */
    int SHMID_DS_SIZE = 112;
    int SHMID_DS_UID = 4;
    int SHMID_DS_MODE = 20;
    int SHMID_DS_SEGSZ = 48;
    int SHMID_DS_NATTCH = 88;

    SysvShmCalls LIBC = Native.load("c", SysvShmCalls.class);

    int shmget(int key, long size, int shmflg);

    /** Returns (void *) -1 on error. */
    Pointer shmat(int shmid, Pointer shmaddr, int shmflg);

    int shmdt(Pointer shmaddr);

    int shmctl(int shmid, int cmd, byte[] buf);

    int geteuid();

    String strerror(int errnum);
}
