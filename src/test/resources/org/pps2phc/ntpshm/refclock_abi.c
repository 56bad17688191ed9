/*
 * The C side of the ntpshm layout tests: the NTP SHM segment (struct shmTime, as chrony and ntpd declare it),
 * chrony's SOCK sample (struct sock_sample) and the kernel's struct shmid_ds, compiled by gcc on this machine.
 *   refclock_abi layout          offsets and sizes, one "name value" per line
 *   refclock_abi peek KEY        the fields of the segment with that key (hex), read-only
 *   refclock_abi sock < 40 bytes the fields of one SOCK datagram
 *   refclock_abi create KEY MODE creates a 96-byte segment (key hex, mode octal) as whoever runs it
 *   refclock_abi race KEY MS OFFSET_NS
 *                                reads the segment as chrony does (copy, then compare the copy's count with the
 *                                live count, and check the copy's valid) for MS milliseconds or 20000 samples
 *                                while another process writes; every accepted copy must have
 *                                clock - receive = OFFSET_NS and usec = nsec / 1000
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct shmTime {
    int mode;
    volatile int count;
    time_t clockTimeStampSec;
    int clockTimeStampUSec;
    time_t receiveTimeStampSec;
    int receiveTimeStampUSec;
    int leap;
    int precision;
    int nsamples;
    volatile int valid;
    unsigned clockTimeStampNSec;
    unsigned receiveTimeStampNSec;
    int dummy[8];
};

struct sock_sample {
    struct timeval tv;
    double offset;
    int pulse;
    int leap;
    int _pad;
    int magic;
};

#define OFF(type, field) printf(#type "." #field " %zu\n", offsetof(struct type, field))

static int layout(void) {
    printf("shmTime.size %zu\n", sizeof(struct shmTime));
    OFF(shmTime, mode); OFF(shmTime, count); OFF(shmTime, clockTimeStampSec); OFF(shmTime, clockTimeStampUSec);
    OFF(shmTime, receiveTimeStampSec); OFF(shmTime, receiveTimeStampUSec); OFF(shmTime, leap);
    OFF(shmTime, precision); OFF(shmTime, nsamples); OFF(shmTime, valid); OFF(shmTime, clockTimeStampNSec);
    OFF(shmTime, receiveTimeStampNSec);
    printf("sock_sample.size %zu\n", sizeof(struct sock_sample));
    printf("sock_sample.tv_sec %zu\n", offsetof(struct sock_sample, tv) + offsetof(struct timeval, tv_sec));
    printf("sock_sample.tv_usec %zu\n", offsetof(struct sock_sample, tv) + offsetof(struct timeval, tv_usec));
    OFF(sock_sample, offset); OFF(sock_sample, pulse); OFF(sock_sample, leap); OFF(sock_sample, _pad);
    OFF(sock_sample, magic);
    printf("shmid_ds.size %zu\n", sizeof(struct shmid_ds));
    printf("shmid_ds.uid %zu\n", offsetof(struct shmid_ds, shm_perm) + offsetof(struct ipc_perm, uid));
    printf("shmid_ds.mode %zu\n", offsetof(struct shmid_ds, shm_perm) + offsetof(struct ipc_perm, mode));
    printf("shmid_ds.mode_size %zu\n", sizeof(((struct ipc_perm *) 0)->mode));
    OFF(shmid_ds, shm_segsz); OFF(shmid_ds, shm_nattch);
    printf("shmid_ds.nattch_size %zu\n", sizeof(((struct shmid_ds *) 0)->shm_nattch));
    printf("IPC_CREAT %d\nIPC_EXCL %d\nIPC_STAT %d\nIPC_RMID %d\n", IPC_CREAT, IPC_EXCL, IPC_STAT, IPC_RMID);
    return 0;
}

static int peek(const char *key_text) {
    key_t key = (key_t) strtoul(key_text, NULL, 16);
    int id = shmget(key, 0, 0);
    if (id < 0) { perror("shmget"); return 2; }
    struct shmTime *shm = shmat(id, NULL, SHM_RDONLY);
    if (shm == (void *) -1) { perror("shmat"); return 2; }
    struct shmTime t = *shm;
    printf("mode %d\ncount %d\nclockSec %lld\nclockUSec %d\nclockNSec %u\nreceiveSec %lld\nreceiveUSec %d\n"
           "receiveNSec %u\nleap %d\nprecision %d\nvalid %d\n", t.mode, t.count, (long long) t.clockTimeStampSec,
           t.clockTimeStampUSec, t.clockTimeStampNSec, (long long) t.receiveTimeStampSec, t.receiveTimeStampUSec,
           t.receiveTimeStampNSec, t.leap, t.precision, t.valid);
    shmdt(shm);
    return 0;
}

static int sock(void) {
    struct sock_sample s;
    if (fread(&s, 1, sizeof s, stdin) != sizeof s || fgetc(stdin) != EOF) {
        fprintf(stderr, "not exactly %zu bytes\n", sizeof s);
        return 2;
    }
    printf("tv_sec %lld\ntv_usec %lld\noffset %.12f\npulse %d\nleap %d\npad %d\nmagic %x\n", (long long) s.tv.tv_sec,
           (long long) s.tv.tv_usec, s.offset, s.pulse, s.leap, s._pad, s.magic);
    return 0;
}

static int create(const char *key_text, const char *mode_text) {
    key_t key = (key_t) strtoul(key_text, NULL, 16);
    int mode = (int) strtoul(mode_text, NULL, 8);
    if (shmget(key, sizeof(struct shmTime), IPC_CREAT | IPC_EXCL | mode) < 0) { perror("shmget"); return 2; }
    return 0;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int race(const char *key_text, const char *ms_text, const char *offset_text) {
    key_t key = (key_t) strtoul(key_text, NULL, 16);
    long long offset = atoll(offset_text);
    int id = shmget(key, 0, 0);
    if (id < 0) { perror("shmget"); return 2; }
    volatile struct shmTime *shm = shmat(id, NULL, SHM_RDONLY);
    if (shm == (void *) -1) { perror("shmat"); return 2; }
    long long end = now_ms() + atoll(ms_text);
    long accepted = 0, clashes = 0, invalid = 0, bad = 0, changes = 0;
    int last_count = -1;
    while (now_ms() < end && changes < 20000) {
        /*
         * as chrony's shm_poll: copy, then compare the copy's count with the live one and check the copy's valid.
         * The copy goes word by word in address order: a struct assignment may compile to 'rep movs', whose loads
         * x86 does not keep in order, and then even a correct writer can be seen torn.
         */
        struct shmTime t;
        volatile const int *from = (volatile const int *) shm;
        int *to = (int *) &t;
        for (size_t i = 0; i < sizeof t / sizeof(int); i++) {
            to[i] = from[i];
        }
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (t.count != shm->count) { clashes++; continue; }
        if (!t.valid) { invalid++; continue; }
        int count = t.count;
        accepted++;
        if (count != last_count) { changes++; last_count = count; }
        long long clock = t.clockTimeStampSec * 1000000000LL + t.clockTimeStampNSec;
        long long receive = t.receiveTimeStampSec * 1000000000LL + t.receiveTimeStampNSec;
        if (t.mode != 1 || clock - receive != offset || t.clockTimeStampUSec != (int) (t.clockTimeStampNSec / 1000)
                || t.receiveTimeStampUSec != (int) (t.receiveTimeStampNSec / 1000)) {
            if (bad++ < 5) {
                fprintf(stderr, "torn: clock %lld receive %lld usec %d/%d nsec %u/%u\n", clock, receive,
                        t.clockTimeStampUSec, t.receiveTimeStampUSec, t.clockTimeStampNSec, t.receiveTimeStampNSec);
            }
        }
    }
    printf("accepted %ld\nsamples %ld\nclashes %ld\ninvalid %ld\nbad %ld\n", accepted, changes, clashes, invalid, bad);
    shmdt((void *) shm);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 5 && argv[1][0] == 'r') return race(argv[2], argv[3], argv[4]);
    if (argc == 4 && argv[1][0] == 'c') return create(argv[2], argv[3]);
    if (argc == 2 && argv[1][0] == 'l') return layout();
    if (argc == 3 && argv[1][0] == 'p') return peek(argv[2]);
    if (argc == 2 && argv[1][0] == 's') return sock();
    fprintf(stderr, "usage: %s layout | peek KEYHEX | sock < datagram | create KEYHEX MODE\n", argv[0]);
    return 64;
}
