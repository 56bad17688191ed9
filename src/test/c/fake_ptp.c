/*
 * A fake kernel for the PHC layer's tests: a shared library the Java bindings
 * load in place of libc (system property pps2phc.libc). It implements open,
 * close, read, poll, ioctl, clock_gettime, clock_settime, clock_adjtime and
 * adjtimex for fake /dev/ptpN devices with the kernel's own structs
 * (<linux/ptp_clock.h>, <sys/timex.h>), and forwards every other call, and
 * every call on a real file or clock, to the real libc.
 *
 * The tests drive it through the exported fake_ptp_* functions: create
 * devices with a driver model, inject events, force an errno on a call, and
 * read back what the code under test did (arming flags, pin functions, every
 * clock adjustment). fake_ptp_remove takes a device away as a NIC reset or a
 * driver unload does: its node is gone (open: ENOENT), and on files still open
 * read, ioctl and the clock calls fail with ENODEV and poll reports
 * POLLERR|POLLHUP, as for a defunct ptp_clock; a new device may then be
 * created at the same path (the node udev makes when the NIC is back). It can also simulate a ticking PHC whose oscillator is
 * off by a set drift, and a 1 Hz PPS, so a whole daemon can lock to it.
 *
 * A process that cannot call the control functions (a daemon run as a child
 * process) can get one device from the environment when the library loads:
 *   FAKE_PTP_DEVICE=/path      the device path (required to create it)
 *   FAKE_PTP_EXTTS=N           external-timestamp channels (default 1)
 *   FAKE_PTP_PINS=N            programmable pins (default 0)
 *   FAKE_PTP_MAX_ADJ=PPB       caps.max_adj (default 500000000)
 *   FAKE_PTP_EDGES=any|both|v1 driver model (default any)
 *   FAKE_PTP_DRIFT_PPB=X       oscillator error of the PHC (default 0)
 *   FAKE_PTP_PPS_WIDTH_NS=W    a 1 Hz PPS of width W on channel 0 (default: no PPS)
 *   FAKE_PTP_TAI_OFFSET_S=S    the PPS marks whole seconds of CLOCK_REALTIME + S (default 37)
 *   FAKE_PTP_PHC_OFFSET_NS=O   the PHC starts at CLOCK_REALTIME + O (default 0)
 *
 * The ioctl semantics follow the kernel's ptp_chardev.c as documented in
 * linux/ptp_clock.h: REQUEST2 is strict and checks reserved fields, v1 masks
 * the flags; write operations need a file opened read-write (EACCES).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/ptp_clock.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#ifndef PTP_MASK_CLEAR_ALL
#define PTP_MASK_CLEAR_ALL _IO(PTP_CLK_MAGIC, 19)
#endif
#ifndef PTP_MASK_EN_SINGLE
#define PTP_MASK_EN_SINGLE _IOW(PTP_CLK_MAGIC, 20, unsigned int)
#endif

#define EXPORT __attribute__((visibility("default")))
#define NS 1000000000LL
#define MAX_DEVS 8
#define MAX_FDS 4096
#define MAX_CHANS 8
#define MAX_PINS 8
#define QUEUE 512
#define LOG 1024
#define MAX_FAILS 16
#define MAX_IFACES 8

/* driver models for extts requests */
#define EDGES_ANY 0          /* stamps whichever edge is asked */
#define EDGES_BOTH_ONLY 1    /* igb/igc: strict rising-only is EOPNOTSUPP */
#define EDGES_REQUEST2_BROKEN 2 /* REQUEST2 fails with EINVAL, v1 works */

/* kernel models for extts requests (fake_ptp_set_kernel) */
#define KERNEL_STRICT 0   /* 5.5 and later: REQUEST2 knows PTP_STRICT_FLAGS and forces it */
#define KERNEL_5_4 504    /* REQUEST2 without strict flags: STRICT is an unknown flag (EINVAL) */
#define KERNEL_PRE_5_4 503 /* no REQUEST2 ioctls at all (ENOTTY) */

struct fake_dev {
	int used;
	int removed; /* taken away: its files fail with ENODEV */
	int kernel; /* KERNEL_* */
	char path[256];
	struct ptp_clock_caps caps;
	struct ptp_pin_desc pins[MAX_PINS];
	int edge_model;
	int precise, extended, basic;
	long long widths[PTP_MAX_SAMPLES];
	int n_widths;
	/* clock: phc(m) = phc_ref + (m - mono_ref) * (1 + ppb / 1e9) */
	long long phc_ref, mono_ref;
	long freq; /* scaled ppm */
	double drift_ppb; /* the oscillator's own error */
	int frozen;
	/* external timestamps */
	unsigned flags[MAX_CHANS];
	unsigned long arm_request[MAX_CHANS];
	struct ptp_extts_event queue[QUEUE];
	int qhead, qlen;
	/* simulated PPS */
	int pps_on;
	unsigned pps_chan;
	long long pps_width, pps_tai_offset, pps_last_rise, pps_last_fall;
	/* records */
	struct timex adj[LOG];
	int n_adj;
	unsigned long pin_request;
	unsigned mask;
	int mask_set;
};

struct fake_fd {
	int dev; /* -1: not fake */
	int rdwr;
	unsigned mask; /* events of channels in the mask; all when !mask_set */
	int mask_set;
};

struct forced {
	char call[32];
	unsigned long request;
	int err;
	int times; /* -1: forever */
};

struct iface {
	char name[IFNAMSIZ];
	int phc;
	int err;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct fake_dev devs[MAX_DEVS];
static struct fake_fd fds[MAX_FDS];
static struct forced fails[MAX_FAILS];
static struct iface ifaces[MAX_IFACES];
static int fake_adjtimex_on, fake_tai, fake_status, fake_state;

static int (*real_open)(const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_clock_settime)(clockid_t, const struct timespec *);
static int (*real_clock_adjtime)(clockid_t, struct timex *);
static int (*real_adjtimex)(struct timex *);

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);
	if (!f) {
		void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
		f = libc ? dlsym(libc, name) : NULL;
	}
	if (!f) {
		fprintf(stderr, "fake_ptp: no real %s\n", name);
		abort();
	}
	return f;
}

static void init(void)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&cond, &a);
	real_open = real("open");
	real_close = real("close");
	real_read = real("read");
	real_poll = real("poll");
	real_ioctl = real("ioctl");
	real_clock_gettime = real("clock_gettime");
	real_clock_settime = real("clock_settime");
	real_clock_adjtime = real("clock_adjtime");
	real_adjtimex = real("adjtimex");
	for (int i = 0; i < MAX_FDS; i++)
		fds[i].dev = -1;
}

static void setup(void)
{
	pthread_once(&once, init);
}

static long long now_of(clockid_t c)
{
	struct timespec ts;
	real_clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

/* CLOCK_MONOTONIC and CLOCK_REALTIME at one instant: the tightest of a few real/mono/real brackets, so a
 * preemption between two reads does not show up as a time error. */
static void now_pair(long long *mono, long long *real)
{
	long long best = -1;
	for (int i = 0; i < 5; i++) {
		long long r1 = now_of(CLOCK_REALTIME), m = now_of(CLOCK_MONOTONIC), r2 = now_of(CLOCK_REALTIME);
		if (best < 0 || r2 - r1 < best) {
			best = r2 - r1;
			*mono = m;
			*real = r1 + (r2 - r1) / 2;
		}
		if (best < 2000)
			break;
	}
}

static long long phc_at(struct fake_dev *d, long long mono)
{
	if (d->frozen)
		return d->phc_ref;
	long long dt = mono - d->mono_ref;
	double ppb = (double)d->freq / 65.536 + d->drift_ppb;
	return d->phc_ref + dt + (long long)((double)dt * ppb / 1e9);
}

static long long phc_now(struct fake_dev *d)
{
	return phc_at(d, now_of(CLOCK_MONOTONIC));
}

static void rebase(struct fake_dev *d, long long phc)
{
	d->phc_ref = phc;
	d->mono_ref = now_of(CLOCK_MONOTONIC);
}

static struct ptp_clock_time pct(long long ns)
{
	struct ptp_clock_time t = {0};
	t.sec = ns / NS - (ns % NS < 0);
	t.nsec = (unsigned)(ns - t.sec * NS);
	return t;
}

/* A forced errno for this call (and ioctl request, 0 = any), consumed once unless times < 0. */
static int forced(const char *call, unsigned long request)
{
	for (int i = 0; i < MAX_FAILS; i++) {
		struct forced *f = &fails[i];
		if (f->times != 0 && strcmp(f->call, call) == 0 && (f->request == 0 || f->request == request)) {
			if (f->times > 0)
				f->times--;
			return f->err;
		}
	}
	return 0;
}

static struct fake_dev *dev_of_fd(int fd)
{
	if (fd < 0 || fd >= MAX_FDS || fds[fd].dev < 0)
		return NULL;
	return &devs[fds[fd].dev];
}

/* CLOCKID_TO_FD(clk) = ~(clk >> 3), for dynamic clocks (CLOCKFD = 3). */
static int fd_of_clock(clockid_t clk)
{
	if (clk >= 0 || (clk & 7) != 3)
		return -1;
	int fd = ~(clk >> 3);
	return dev_of_fd(fd) ? fd : -1;
}

static void push(struct fake_dev *d, unsigned chan, long long ns)
{
	if (d->qlen == QUEUE)
		return; /* the kernel drops events when its queue is full */
	struct ptp_extts_event *e = &d->queue[(d->qhead + d->qlen) % QUEUE];
	memset(e, 0, sizeof(*e));
	e->t = pct(ns);
	e->index = chan;
	d->qlen++;
	pthread_cond_broadcast(&cond);
}

/* The simulated PPS: a rising edge at every whole TAI second (CLOCK_REALTIME + offset), stamped by the PHC. */
static void pps_generate(struct fake_dev *d)
{
	if (!d->pps_on || d->pps_chan >= MAX_CHANS || !(d->flags[d->pps_chan] & PTP_ENABLE_FEATURE))
		return;
	long long mono, tai;
	now_pair(&mono, &tai);
	tai += d->pps_tai_offset;
	long long s = tai / NS;
	if (d->pps_last_rise == 0) {
		d->pps_last_rise = s;
		d->pps_last_fall = s;
	}
	int both = (d->flags[d->pps_chan] & PTP_EXTTS_EDGES) == PTP_EXTTS_EDGES;
	for (long long k = d->pps_last_rise + 1; k <= s; k++) {
		if (both && d->pps_last_fall < k - 1 && (k - 1) * NS + d->pps_width <= tai) {
			push(d, d->pps_chan, phc_at(d, mono - (tai - ((k - 1) * NS + d->pps_width))));
			d->pps_last_fall = k - 1;
		}
		push(d, d->pps_chan, phc_at(d, mono - (tai - k * NS)));
		d->pps_last_rise = k;
	}
	if (both && d->pps_last_fall < s && s * NS + d->pps_width <= tai) {
		push(d, d->pps_chan, phc_at(d, mono - (tai - (s * NS + d->pps_width))));
		d->pps_last_fall = s;
	}
}

static int fail_with(int err)
{
	errno = err;
	return -1;
}

/* ------------------------------------------------------------------ control (called by the tests) */

EXPORT void fake_ptp_reset(void)
{
	setup();
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_FDS; i++) {
		if (fds[i].dev >= 0) {
			real_close(i);
			fds[i].dev = -1;
		}
	}
	memset(devs, 0, sizeof(devs));
	memset(fails, 0, sizeof(fails));
	memset(ifaces, 0, sizeof(ifaces));
	fake_adjtimex_on = 0;
	pthread_mutex_unlock(&lock);
}

/* A fake PHC at path; returns its handle. The clock starts at CLOCK_REALTIME and ticks. */
EXPORT int fake_ptp_create(const char *path, int n_ext_ts, int n_pins, int max_adj)
{
	setup();
	pthread_mutex_lock(&lock);
	int id = -1;
	for (int i = 0; i < MAX_DEVS; i++) {
		if (!devs[i].used) {
			id = i;
			break;
		}
	}
	if (id >= 0) {
		struct fake_dev *d = &devs[id];
		memset(d, 0, sizeof(*d));
		d->used = 1;
		snprintf(d->path, sizeof(d->path), "%s", path);
		d->caps.max_adj = max_adj;
		d->caps.n_ext_ts = n_ext_ts;
		d->caps.n_pins = n_pins;
		d->extended = d->basic = 1;
		for (int p = 0; p < n_pins && p < MAX_PINS; p++) {
			snprintf(d->pins[p].name, sizeof(d->pins[p].name), "SDP%d", p);
			d->pins[p].index = p;
		}
		now_pair(&d->mono_ref, &d->phc_ref);
		d->pps_tai_offset = 37 * NS;
	}
	pthread_mutex_unlock(&lock);
	return id;
}

/* The device goes away (NIC removed or reset): see the top of this file. */
EXPORT void fake_ptp_remove(int dev)
{
	setup();
	pthread_mutex_lock(&lock);
	if (dev >= 0 && dev < MAX_DEVS && devs[dev].used) {
		devs[dev].removed = 1;
		devs[dev].path[0] = 0;
		pthread_cond_broadcast(&cond);
	}
	pthread_mutex_unlock(&lock);
}

/* Which kernel's REQUEST2 the device's ioctls behave like (KERNEL_*). */
EXPORT void fake_ptp_set_kernel(int dev, int kernel)
{
	setup();
	pthread_mutex_lock(&lock);
	if (dev >= 0 && dev < MAX_DEVS)
		devs[dev].kernel = kernel;
	pthread_mutex_unlock(&lock);
}

EXPORT void fake_ptp_set_pin(int dev, int pin, const char *name, unsigned func, unsigned chan)
{
	pthread_mutex_lock(&lock);
	snprintf(devs[dev].pins[pin].name, sizeof(devs[dev].pins[pin].name), "%s", name);
	devs[dev].pins[pin].func = func;
	devs[dev].pins[pin].chan = chan;
	pthread_mutex_unlock(&lock);
}

EXPORT void fake_ptp_set_edge_model(int dev, int model)
{
	devs[dev].edge_model = model;
}

/* Which cross-timestamp ioctls the driver implements (the others fail with EOPNOTSUPP). */
EXPORT void fake_ptp_set_cross_timestamps(int dev, int precise, int extended, int basic)
{
	devs[dev].precise = precise;
	devs[dev].extended = extended;
	devs[dev].basic = basic;
	devs[dev].caps.cross_timestamping = precise;
}

/* System-time bracket widths of successive samples in SYS_OFFSET(_EXTENDED) answers. */
EXPORT void fake_ptp_set_bracket_widths(int dev, const long long *widths, int n)
{
	pthread_mutex_lock(&lock);
	devs[dev].n_widths = n < PTP_MAX_SAMPLES ? n : PTP_MAX_SAMPLES;
	memcpy(devs[dev].widths, widths, sizeof(long long) * devs[dev].n_widths);
	pthread_mutex_unlock(&lock);
}

/* The next `times` calls of `call` ("open", "close", "read", "poll", "ioctl", "clock_gettime", "clock_settime",
 * "clock_adjtime", "ethtool") on a fake target fail with err; for ioctl, only `request` (0: any). */
EXPORT void fake_ptp_fail(const char *call, unsigned long request, int err, int times)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_FAILS; i++) {
		if (fails[i].times == 0) {
			snprintf(fails[i].call, sizeof(fails[i].call), "%s", call);
			fails[i].request = request;
			fails[i].err = err;
			fails[i].times = times;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

EXPORT void fake_ptp_inject(int dev, unsigned chan, long long sec, unsigned nsec)
{
	pthread_mutex_lock(&lock);
	push(&devs[dev], chan, sec * NS + nsec);
	pthread_mutex_unlock(&lock);
}

EXPORT int fake_ptp_pending(int dev)
{
	return devs[dev].qlen;
}

EXPORT unsigned fake_ptp_extts_flags(int dev, unsigned chan)
{
	return devs[dev].flags[chan];
}

EXPORT unsigned long fake_ptp_arm_request(int dev, unsigned chan)
{
	return devs[dev].arm_request[chan];
}

EXPORT unsigned fake_ptp_pin_func(int dev, int pin)
{
	return devs[dev].pins[pin].func;
}

EXPORT unsigned fake_ptp_pin_chan(int dev, int pin)
{
	return devs[dev].pins[pin].chan;
}

EXPORT unsigned long fake_ptp_pin_request(int dev)
{
	return devs[dev].pin_request;
}

/* The channel mask the last file set with PTP_MASK_*, or -1 if none did. */
EXPORT long fake_ptp_channel_mask(int dev)
{
	return devs[dev].mask_set ? (long)devs[dev].mask : -1;
}

EXPORT int fake_ptp_open_files(int dev)
{
	int n = 0;
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_FDS; i++)
		n += fds[i].dev == dev;
	pthread_mutex_unlock(&lock);
	return n;
}

EXPORT int fake_ptp_adjustments(int dev)
{
	return devs[dev].n_adj;
}

/* Copies the i-th recorded clock_adjtime argument (modes != 0) into out. */
EXPORT int fake_ptp_adjustment(int dev, int i, struct timex *out)
{
	if (i < 0 || i >= devs[dev].n_adj)
		return -1;
	*out = devs[dev].adj[i];
	return 0;
}

EXPORT long long fake_ptp_time(int dev)
{
	pthread_mutex_lock(&lock);
	long long t = phc_now(&devs[dev]);
	pthread_mutex_unlock(&lock);
	return t;
}

/* The PHC's oscillator runs fast by drift_ppb (slow if negative), on top of any frequency adjustment. */
EXPORT void fake_ptp_set_drift(int dev, double drift_ppb)
{
	pthread_mutex_lock(&lock);
	rebase(&devs[dev], phc_now(&devs[dev]));
	devs[dev].drift_ppb = drift_ppb;
	pthread_mutex_unlock(&lock);
}

EXPORT long fake_ptp_freq(int dev)
{
	return devs[dev].freq;
}

/* Sets the PHC; a frozen clock reads the same value until it is set or stepped again. */
EXPORT void fake_ptp_set_time(int dev, long long ns, int frozen)
{
	pthread_mutex_lock(&lock);
	rebase(&devs[dev], ns);
	devs[dev].frozen = frozen;
	pthread_mutex_unlock(&lock);
}

/* A 1 Hz PPS on chan at every whole second of CLOCK_REALTIME + tai_offset_ns, pulse width width_ns. */
EXPORT void fake_ptp_pps(int dev, unsigned chan, long long width_ns, long long tai_offset_ns)
{
	pthread_mutex_lock(&lock);
	struct fake_dev *d = &devs[dev];
	d->pps_on = 1;
	d->pps_chan = chan;
	d->pps_width = width_ns;
	d->pps_tai_offset = tai_offset_ns;
	d->pps_last_rise = d->pps_last_fall = 0;
	pthread_mutex_unlock(&lock);
}

EXPORT void fake_ptp_add_interface(const char *name, int phc_index, int err)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_IFACES; i++) {
		if (!ifaces[i].name[0]) {
			snprintf(ifaces[i].name, IFNAMSIZ, "%s", name);
			ifaces[i].phc = phc_index;
			ifaces[i].err = err;
			break;
		}
	}
	pthread_mutex_unlock(&lock);
}

/* adjtimex(modes = 0) then reports this state instead of the real kernel's. */
EXPORT void fake_ptp_set_adjtimex(int tai, int status, int state)
{
	fake_adjtimex_on = 1;
	fake_tai = tai;
	fake_status = status;
	fake_state = state;
}

static long long env_ll(const char *name, long long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtoll(v, NULL, 10) : dflt;
}

/* One device from FAKE_PTP_* variables, for processes the tests cannot call into. */
__attribute__((constructor)) static void from_environment(void)
{
	const char *path = getenv("FAKE_PTP_DEVICE");
	if (!path || !*path)
		return;
	int dev = fake_ptp_create(path, (int)env_ll("FAKE_PTP_EXTTS", 1), (int)env_ll("FAKE_PTP_PINS", 0),
				  (int)env_ll("FAKE_PTP_MAX_ADJ", 500000000));
	if (dev < 0)
		return;
	const char *edges = getenv("FAKE_PTP_EDGES");
	if (edges && strcmp(edges, "both") == 0)
		fake_ptp_set_edge_model(dev, EDGES_BOTH_ONLY);
	else if (edges && strcmp(edges, "v1") == 0)
		fake_ptp_set_edge_model(dev, EDGES_REQUEST2_BROKEN);
	const char *drift = getenv("FAKE_PTP_DRIFT_PPB");
	if (drift && *drift)
		fake_ptp_set_drift(dev, strtod(drift, NULL));
	long long offset = env_ll("FAKE_PTP_PHC_OFFSET_NS", 0);
	if (offset)
		fake_ptp_set_time(dev, now_of(CLOCK_REALTIME) + offset, 0);
	long long width = env_ll("FAKE_PTP_PPS_WIDTH_NS", 0);
	if (width > 0)
		fake_ptp_pps(dev, 0, width, env_ll("FAKE_PTP_TAI_OFFSET_S", 37) * NS);
}

/* ------------------------------------------------------------------ the intercepted calls */

EXPORT int open(const char *path, int flags, ...)
{
	setup();
	mode_t mode = 0;
	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_DEVS; i++) {
		if (devs[i].used && strcmp(devs[i].path, path) == 0) {
			int err = forced("open", 0);
			if (err) {
				pthread_mutex_unlock(&lock);
				return fail_with(err);
			}
			int fd = real_open("/dev/null", O_RDWR | (flags & O_CLOEXEC));
			if (fd >= 0 && fd < MAX_FDS) {
				fds[fd].dev = i;
				fds[fd].rdwr = (flags & O_ACCMODE) == O_RDWR;
				fds[fd].mask_set = 0;
			}
			pthread_mutex_unlock(&lock);
			return fd;
		}
	}
	pthread_mutex_unlock(&lock);
	return real_open(path, flags, mode);
}

EXPORT int close(int fd)
{
	setup();
	pthread_mutex_lock(&lock);
	if (dev_of_fd(fd)) {
		fds[fd].dev = -1;
		int err = forced("close", 0);
		if (err) {
			pthread_mutex_unlock(&lock);
			real_close(fd);
			return fail_with(err);
		}
	}
	pthread_mutex_unlock(&lock);
	return real_close(fd);
}

static int event_for(int fd, struct ptp_extts_event *e)
{
	return !fds[fd].mask_set || (e->index < 32 && (fds[fd].mask & (1u << e->index)));
}

/* Drops queued events this file's mask excludes (each file has its own queue since 6.7; one is enough here). */
static void filter_queue(int fd, struct fake_dev *d)
{
	while (d->qlen > 0 && !event_for(fd, &d->queue[d->qhead])) {
		d->qhead = (d->qhead + 1) % QUEUE;
		d->qlen--;
	}
}

static void wait_until(long long deadline_mono)
{
	long long now = now_of(CLOCK_MONOTONIC);
	long long until = now + 5000000LL; /* wake every 5 ms to run the PPS simulation */
	if (deadline_mono >= 0 && deadline_mono < until)
		until = deadline_mono;
	struct timespec ts = {until / NS, until % NS};
	pthread_cond_timedwait(&cond, &lock, &ts);
}

EXPORT ssize_t read(int fd, void *buf, size_t count)
{
	setup();
	pthread_mutex_lock(&lock);
	struct fake_dev *d = dev_of_fd(fd);
	if (!d) {
		pthread_mutex_unlock(&lock);
		return real_read(fd, buf, count);
	}
	int err = forced("read", 0);
	if (!err && d->removed)
		err = ENODEV;
	if (err || count < sizeof(struct ptp_extts_event)) {
		pthread_mutex_unlock(&lock);
		return fail_with(err ? err : EINVAL);
	}
	for (;;) { /* like ptp_read: blocks until an event, O_NONBLOCK or not */
		pps_generate(d);
		filter_queue(fd, d);
		if (d->qlen > 0)
			break;
		wait_until(-1);
		if (!dev_of_fd(fd)) {
			pthread_mutex_unlock(&lock);
			return fail_with(EBADF);
		}
		if (d->removed) {
			pthread_mutex_unlock(&lock);
			return fail_with(ENODEV);
		}
	}
	size_t n = 0;
	while (d->qlen > 0 && n + sizeof(struct ptp_extts_event) <= count) {
		memcpy((char *)buf + n, &d->queue[d->qhead], sizeof(struct ptp_extts_event));
		d->qhead = (d->qhead + 1) % QUEUE;
		d->qlen--;
		n += sizeof(struct ptp_extts_event);
		filter_queue(fd, d);
	}
	pthread_mutex_unlock(&lock);
	return (ssize_t)n;
}

EXPORT int poll(struct pollfd *pfd, nfds_t n, int timeout_ms)
{
	setup();
	pthread_mutex_lock(&lock);
	int fake = 0;
	for (nfds_t i = 0; i < n; i++)
		fake |= dev_of_fd(pfd[i].fd) != NULL;
	if (!fake) {
		pthread_mutex_unlock(&lock);
		return real_poll(pfd, n, timeout_ms);
	}
	int err = forced("poll", 0);
	if (err) {
		pthread_mutex_unlock(&lock);
		return fail_with(err);
	}
	long long deadline = timeout_ms < 0 ? -1 : now_of(CLOCK_MONOTONIC) + timeout_ms * 1000000LL;
	for (;;) {
		int ready = 0;
		for (nfds_t i = 0; i < n; i++) {
			struct fake_dev *d = dev_of_fd(pfd[i].fd);
			pfd[i].revents = 0;
			if (!d) {
				pfd[i].revents = POLLNVAL;
				ready++;
				continue;
			}
			if (d->removed) {
				pfd[i].revents = POLLERR | POLLHUP;
				ready++;
				continue;
			}
			pps_generate(d);
			filter_queue(pfd[i].fd, d);
			if (d->qlen > 0) {
				pfd[i].revents = pfd[i].events & (POLLIN | POLLRDNORM);
				ready += pfd[i].revents != 0;
			}
		}
		if (ready || (deadline >= 0 && now_of(CLOCK_MONOTONIC) >= deadline)) {
			pthread_mutex_unlock(&lock);
			return ready;
		}
		wait_until(deadline);
	}
}

static int extts_request(int fd, struct fake_dev *d, unsigned long request, struct ptp_extts_request *r)
{
	int v2 = request == PTP_EXTTS_REQUEST2;
	if (!fds[fd].rdwr)
		return EACCES;
	if (r->index >= (unsigned)d->caps.n_ext_ts || r->index >= MAX_CHANS)
		return EINVAL;
	unsigned flags = r->flags;
	if (v2) {
		if (d->kernel == KERNEL_PRE_5_4)
			return ENOTTY;
		if (d->edge_model == EDGES_REQUEST2_BROKEN)
			return EINVAL;
		if (r->rsv[0] || r->rsv[1])
			return EINVAL;
		if (d->kernel == KERNEL_5_4) {
			if (flags & ~(PTP_ENABLE_FEATURE | PTP_RISING_EDGE | PTP_FALLING_EDGE))
				return EINVAL;
		} else {
			if ((flags & PTP_ENABLE_FEATURE) && !(flags & PTP_EXTTS_EDGES))
				return EINVAL;
			flags |= PTP_STRICT_FLAGS;
		}
	} else {
		flags &= PTP_ENABLE_FEATURE | PTP_RISING_EDGE | PTP_FALLING_EDGE;
	}
	if ((flags & PTP_ENABLE_FEATURE) && d->edge_model == EDGES_BOTH_ONLY) {
		if ((flags & PTP_STRICT_FLAGS) && (flags & PTP_EXTTS_EDGES) != PTP_EXTTS_EDGES)
			return EOPNOTSUPP;
		flags |= PTP_EXTTS_EDGES; /* without STRICT these NICs stamp both edges anyway */
	}
	d->flags[r->index] = (flags & PTP_ENABLE_FEATURE) ? flags : 0;
	d->arm_request[r->index] = (flags & PTP_ENABLE_FEATURE) ? request : 0;
	if (flags & PTP_ENABLE_FEATURE)
		d->pps_last_rise = d->pps_last_fall = 0;
	return 0;
}

static int pin_ioctl(int fd, struct fake_dev *d, unsigned long request, struct ptp_pin_desc *p)
{
	int v2 = request == PTP_PIN_GETFUNC2 || request == PTP_PIN_SETFUNC2;
	if (v2 && (p->rsv[0] || p->rsv[1] || p->rsv[2] || p->rsv[3] || p->rsv[4]))
		return EINVAL;
	if (p->index >= (unsigned)d->caps.n_pins || p->index >= MAX_PINS)
		return EINVAL;
	if (request == PTP_PIN_GETFUNC || request == PTP_PIN_GETFUNC2) {
		*p = d->pins[p->index];
		return 0;
	}
	if (!fds[fd].rdwr)
		return EACCES;
	if (p->func == PTP_PF_EXTTS && p->chan >= (unsigned)d->caps.n_ext_ts)
		return EINVAL;
	if (p->func > PTP_PF_PHYSYNC)
		return EINVAL;
	for (int i = 0; i < d->caps.n_pins && i < MAX_PINS; i++) {
		if (i != (int)p->index && d->pins[i].func == p->func && d->pins[i].chan == p->chan &&
		    p->func != PTP_PF_NONE) {
			d->pins[i].func = PTP_PF_NONE;
			d->pins[i].chan = 0;
		}
	}
	d->pins[p->index].func = p->func;
	d->pins[p->index].chan = p->chan;
	d->pin_request = request;
	return 0;
}

static long long width(struct fake_dev *d, int i)
{
	return d->n_widths ? d->widths[i % d->n_widths] : 1000;
}

static int ptp_ioctl(int fd, struct fake_dev *d, unsigned long request, void *arg)
{
	switch (request) {
	case PTP_CLOCK_GETCAPS:
	case PTP_CLOCK_GETCAPS2:
		memcpy(arg, &d->caps, sizeof(d->caps));
		return 0;
	case PTP_EXTTS_REQUEST:
	case PTP_EXTTS_REQUEST2:
		return extts_request(fd, d, request, arg);
	case PTP_PIN_GETFUNC:
	case PTP_PIN_GETFUNC2:
	case PTP_PIN_SETFUNC:
	case PTP_PIN_SETFUNC2:
		return pin_ioctl(fd, d, request, arg);
	case PTP_SYS_OFFSET_PRECISE:
	case PTP_SYS_OFFSET_PRECISE2: {
		if (!d->precise)
			return EOPNOTSUPP;
		struct ptp_sys_offset_precise *p = arg;
		memset(p, 0, sizeof(*p));
		long long mono = now_of(CLOCK_MONOTONIC);
		p->sys_realtime = pct(now_of(CLOCK_REALTIME));
		p->sys_monoraw = pct(now_of(CLOCK_MONOTONIC_RAW));
		p->device = pct(phc_at(d, mono));
		return 0;
	}
	case PTP_SYS_OFFSET_EXTENDED:
	case PTP_SYS_OFFSET_EXTENDED2: {
		struct ptp_sys_offset_extended *x = arg;
		if (x->n_samples > PTP_MAX_SAMPLES || x->rsv[0] || x->rsv[1] || x->rsv[2])
			return EINVAL;
		if (!d->extended)
			return EOPNOTSUPP;
		for (unsigned i = 0; i < x->n_samples; i++) {
			long long sys = now_of(CLOCK_REALTIME), mono = now_of(CLOCK_MONOTONIC), w = width(d, i);
			x->ts[i][0] = pct(sys);
			x->ts[i][1] = pct(phc_at(d, mono + w / 2));
			x->ts[i][2] = pct(sys + w);
		}
		return 0;
	}
	case PTP_SYS_OFFSET:
	case PTP_SYS_OFFSET2: {
		struct ptp_sys_offset *x = arg;
		if (x->n_samples > PTP_MAX_SAMPLES)
			return EINVAL;
		if (!d->basic)
			return EOPNOTSUPP;
		long long sys = now_of(CLOCK_REALTIME), mono = now_of(CLOCK_MONOTONIC);
		for (unsigned i = 0; i < x->n_samples; i++) {
			long long w = width(d, i);
			x->ts[2 * i] = pct(sys);
			x->ts[2 * i + 1] = pct(phc_at(d, mono + w / 2));
			sys += w;
			mono += w;
		}
		x->ts[2 * x->n_samples] = pct(sys);
		return 0;
	}
	case PTP_MASK_CLEAR_ALL:
		fds[fd].mask = 0;
		fds[fd].mask_set = 1;
		d->mask = 0;
		d->mask_set = 1;
		return 0;
	case PTP_MASK_EN_SINGLE: {
		unsigned chan = *(unsigned *)arg;
		if (chan >= (unsigned)d->caps.n_ext_ts)
			return EINVAL;
		fds[fd].mask |= 1u << chan;
		fds[fd].mask_set = 1;
		d->mask = fds[fd].mask;
		d->mask_set = 1;
		return 0;
	}
	default:
		return ENOTTY;
	}
}

static int ethtool_ioctl(struct ifreq *ifr, int *handled)
{
	for (int i = 0; i < MAX_IFACES; i++) {
		if (ifaces[i].name[0] && strncmp(ifaces[i].name, ifr->ifr_name, IFNAMSIZ) == 0) {
			*handled = 1;
			int err = forced("ethtool", 0);
			if (err || ifaces[i].err)
				return err ? err : ifaces[i].err;
			struct ethtool_ts_info *info = (struct ethtool_ts_info *)ifr->ifr_data;
			if (info->cmd != ETHTOOL_GET_TS_INFO)
				return EOPNOTSUPP;
			memset(info, 0, sizeof(*info));
			info->cmd = ETHTOOL_GET_TS_INFO;
			info->phc_index = ifaces[i].phc;
			return 0;
		}
	}
	*handled = 0;
	return 0;
}

EXPORT int ioctl(int fd, unsigned long request, ...)
{
	setup();
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	pthread_mutex_lock(&lock);
	struct fake_dev *d = dev_of_fd(fd);
	int err;
	if (d) {
		err = forced("ioctl", request);
		if (!err && d->removed)
			err = ENODEV;
		if (!err)
			err = ptp_ioctl(fd, d, request, arg);
	} else if (request == SIOCETHTOOL) {
		int handled;
		err = ethtool_ioctl(arg, &handled);
		if (!handled) {
			pthread_mutex_unlock(&lock);
			return real_ioctl(fd, request, arg);
		}
	} else {
		pthread_mutex_unlock(&lock);
		return real_ioctl(fd, request, arg);
	}
	pthread_mutex_unlock(&lock);
	return err ? fail_with(err) : 0;
}

EXPORT int clock_gettime(clockid_t clk, struct timespec *ts)
{
	setup();
	pthread_mutex_lock(&lock);
	int fd = fd_of_clock(clk);
	if (fd < 0) {
		pthread_mutex_unlock(&lock);
		return real_clock_gettime(clk, ts);
	}
	int err = forced("clock_gettime", 0);
	if (!err && dev_of_fd(fd)->removed)
		err = ENODEV;
	if (!err) {
		long long t = phc_now(dev_of_fd(fd));
		ts->tv_sec = t / NS;
		ts->tv_nsec = t % NS;
	}
	pthread_mutex_unlock(&lock);
	return err ? fail_with(err) : 0;
}

EXPORT int clock_settime(clockid_t clk, const struct timespec *ts)
{
	setup();
	pthread_mutex_lock(&lock);
	int fd = fd_of_clock(clk);
	if (fd < 0) {
		pthread_mutex_unlock(&lock);
		return real_clock_settime(clk, ts);
	}
	int err = forced("clock_settime", 0);
	if (!err && dev_of_fd(fd)->removed)
		err = ENODEV;
	if (!err && !fds[fd].rdwr)
		err = EACCES;
	if (!err && (ts->tv_nsec < 0 || ts->tv_nsec >= NS))
		err = EINVAL;
	if (!err)
		rebase(dev_of_fd(fd), ts->tv_sec * NS + ts->tv_nsec);
	pthread_mutex_unlock(&lock);
	return err ? fail_with(err) : 0;
}

static int phc_adjtime(int fd, struct fake_dev *d, struct timex *tx)
{
	if (tx->modes && !fds[fd].rdwr)
		return EACCES;
	if (tx->modes && d->n_adj < LOG)
		d->adj[d->n_adj++] = *tx;
	/* one operation per call, in the kernel's order */
	if (tx->modes & ADJ_SETOFFSET) {
		long long sub = tx->time.tv_usec;
		if (tx->modes & ADJ_NANO) {
			if (sub < 0 || sub >= NS)
				return EINVAL;
		} else {
			if (sub < 0 || sub >= 1000000)
				return EINVAL;
			sub *= 1000;
		}
		rebase(d, phc_now(d) + tx->time.tv_sec * NS + sub);
	} else if (tx->modes & ADJ_FREQUENCY) {
		double ppb = (double)tx->freq / 65.536;
		if (ppb > d->caps.max_adj || ppb < -d->caps.max_adj)
			return ERANGE;
		rebase(d, phc_now(d));
		d->freq = tx->freq;
	} else if (tx->modes & ADJ_OFFSET) {
		return EOPNOTSUPP;
	} else if (tx->modes == 0) {
		tx->freq = d->freq;
	} else {
		return EOPNOTSUPP;
	}
	return 0;
}

EXPORT int clock_adjtime(clockid_t clk, struct timex *tx)
{
	setup();
	pthread_mutex_lock(&lock);
	int fd = fd_of_clock(clk);
	if (fd < 0) {
		pthread_mutex_unlock(&lock);
		return real_clock_adjtime(clk, tx);
	}
	int err = forced("clock_adjtime", 0);
	if (!err && dev_of_fd(fd)->removed)
		err = ENODEV;
	if (!err)
		err = phc_adjtime(fd, dev_of_fd(fd), tx);
	pthread_mutex_unlock(&lock);
	return err ? fail_with(err) : TIME_OK;
}

EXPORT int adjtimex(struct timex *tx)
{
	setup();
	if (!fake_adjtimex_on || tx->modes != 0)
		return real_adjtimex(tx);
	long long now = now_of(CLOCK_REALTIME);
	tx->tai = fake_tai;
	tx->status = fake_status;
	tx->time.tv_sec = now / NS;
	tx->time.tv_usec = (fake_status & STA_NANO) ? now % NS : (now % NS) / 1000;
	return fake_state;
}
