/*
 * A fake kernel for the PHC layer's tests: a shared library the Java bindings
 * load in place of libc (system property pps2phc.libc). It implements open,
 * close, read, poll, ioctl, clock_gettime, clock_settime, clock_adjtime and
 * adjtimex for fake /dev/ptpN devices with the kernel's own structs
 * (<linux/ptp_clock.h>, <sys/timex.h>), and forwards every other call, and
 * every call on a real file or clock, to the real libc. A poll of fake and
 * real files together (a reader's wake-up eventfd beside its device) waits
 * in the real poll for the real ones and wakes for the fake ones' events.
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
 *   FAKE_PTP_PHC_OFFSET_NS=O   the PHC starts at CLOCK_REALTIME + O (default 0; in a world: TAI + O)
 *   FAKE_PTP_PROTECT=1         refuse every write to a real clock (EPERM)
 *   FAKE_PTP_WORLD="k=v ..."   live in a simulated world (below); implies FAKE_PTP_PROTECT=1
 *   FAKE_PTP_TRUTH=FILE        in a world, the ground truth: "K THETA_NS" at every true second K (PHC minus
 *                              true TAI), "# missing K" when second K has no pulse (missed or in an outage) and
 *                              "# armed K" when the PPS channel is armed (K: its first pulse)
 *
 * Time. True time T is CLOCK_MONOTONIC minus an origin; the PHC is a function of T (its offset, frequency,
 * drift and, in a world, the oscillator's phase) with the sub-ns fraction carried, and every call reads the
 * clock once, so adjustments lose nothing and stamps carry no pairing error: the fake's own error is below 1 ns.
 * Without a world the reference is CLOCK_REALTIME paired with CLOCK_MONOTONIC once, at load.
 *
 * A world (fake_ptp_world or FAKE_PTP_WORLD) is docs/simulator.md's model, re-implemented here: seed=N,
 * origin_mono_ns=M and origin_tai_s=S (CLOCK_MONOTONIC M is the TAI second S; default: the next whole second of
 * CLOCK_REALTIME + 37 s), and the simulator's keys osc.freq_ppb, osc.rw_ppb_per_sqrt_s, osc.temp_amp_ppb,
 * osc.temp_period_s, osc.wfm_adev, phc.initial_offset_s, phc.tick_ns, phc.step_error_ns, pps.jitter_ns,
 * pps.sawtooth_ns, pps.miss_prob, pps.outages, pps.glitch_prob, pps.width_ms, nic.delivery_ms (the simulator's
 * defaults). The oscillator, the pulse train and the glitches are drawn from the seed (splitmix64 streams,
 * Box-Muller normals: the same statistics as the Java simulator, not its numbers), so processes given the same words
 * and origin, each with its own fake PHC, share one world with identical noise. Its pulse k marks TAI second S + k
 * on channel 0 (both edges when armed so), stamped at its edge, readable after its delivery latency; a glitch is
 * one more edge at a uniform instant of its second, stamped on channel 0 whichever edges are armed (the wiring's,
 * not the receiver's: outages or not); adjtimex answers the world's UTC (TAI - 37 s) with tai 37, in ns for
 * ADJ_NANO. The world has no system-clock noise: the system clock is the machine's.
 *
 * The ioctl semantics follow the kernel's ptp_chardev.c as documented in
 * linux/ptp_clock.h: REQUEST2 is strict and checks reserved fields, v1 masks
 * the flags; write operations need a file opened read-write (EACCES).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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
#include <sys/eventfd.h>
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
#define MAX_WAITERS 64

/* driver models for extts requests */
#define EDGES_ANY 0          /* stamps whichever edge is asked */
#define EDGES_BOTH_ONLY 1    /* igb/igc: strict rising-only is EOPNOTSUPP */
#define EDGES_REQUEST2_BROKEN 2 /* REQUEST2 fails with EINVAL, v1 works */

/* kernel models for extts requests (fake_ptp_set_kernel) */
#define KERNEL_STRICT 0   /* 5.5 and later: REQUEST2 knows PTP_STRICT_FLAGS and forces it */
#define KERNEL_5_4 504    /* REQUEST2 without strict flags: STRICT is an unknown flag (EINVAL) */
#define KERNEL_PRE_5_4 503 /* no REQUEST2 ioctls at all (ENOTTY) */

struct queued {
	struct ptp_extts_event e;
	long long deliver_at; /* true time at which the event is readable */
};

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
	/* clock, in true time T (ns of CLOCK_MONOTONIC since the world's origin): phc(T) = ref0 + T + theta(T),
	 * theta(T) = theta_int + theta_frac + (freq + drift) * (T - t_ref) + osc(T) - osc(t_ref). One clock read per
	 * call and the sub-ns fraction carried, so rebasing loses nothing. */
	long long t_ref, theta_int;
	long double theta_frac;
	long freq; /* scaled ppm */
	double drift_ppb; /* the oscillator's own error */
	int frozen;
	long long frozen_phc;
	unsigned long long step_rng, delivery_rng;
	FILE *truth; /* ground truth: "k theta" at every true second k (world mode) */
	long long truth_next;
	/* external timestamps */
	unsigned flags[MAX_CHANS];
	unsigned long arm_request[MAX_CHANS];
	struct queued queue[QUEUE];
	int qhead, qlen;
	/* simulated PPS: pulse k's leading edge at T = k s - pps_base (+ the world's e_k) */
	int pps_on;
	unsigned pps_chan;
	long long pps_width, pps_tai_offset;
	long long next_k; /* the next pulse to latch */
	int next_fall; /* its trailing edge is next */
	long long last_delivery;
	long long next_glitch_k; /* the next second whose glitch may be latched */
	long long armed_at; /* true time of the arming: no glitch before it is stamped */
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
/* The eventfds (fd + 1; 0: free) of the threads in a mixed poll (see poll), which wake_waiters writes. */
static int waiter_fd[MAX_WAITERS];
static int fake_adjtimex_on, fake_tai, fake_status, fake_state;
static long fake_maxerror;

static int (*real_open)(const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_read)(int, void *, size_t);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_ioctl)(int, unsigned long, ...);
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_clock_settime)(clockid_t, const struct timespec *);
static int (*real_clock_adjtime)(clockid_t, struct timex *);
static int (*real_adjtimex)(struct timex *);
static int (*real_settimeofday)(const struct timeval *, const struct timezone *);
static int (*real_adjtime)(const struct timeval *, struct timeval *);

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

static long long now_of(clockid_t c)
{
	struct timespec ts;
	real_clock_gettime(c, &ts);
	return ts.tv_sec * NS + ts.tv_nsec;
}

/* CLOCK_MONOTONIC and CLOCK_REALTIME at one instant: the tightest of a few real/mono/real brackets. Taken once,
 * as the origin of true time, so no stamp or reading depends on a second clock read. */
static void now_pair(long long *mono, long long *real)
{
	long long best = -1;
	for (int i = 0; i < 9; i++) {
		long long r1 = now_of(CLOCK_REALTIME), m = now_of(CLOCK_MONOTONIC), r2 = now_of(CLOCK_REALTIME);
		if (best < 0 || r2 - r1 < best) {
			best = r2 - r1;
			*mono = m;
			*real = r1 + (r2 - r1) / 2;
		}
	}
}

/* ------------------------------------------------------------------ the world (docs/simulator.md's model) */

#define MAX_OUTAGES 16

/* True time T is CLOCK_MONOTONIC - mono0, in ns. The reference timescale reads ref0 + T: CLOCK_REALTIME (UTC) at
 * the library's load without a world; TAI with one (origin_tai_s at mono0, shared by every process of the world,
 * whose pulses then mark its whole seconds). */
static struct world {
	int on;
	long long mono0, ref0;
	unsigned long long seed;
	double freq_ppb, rw, temp_amp, temp_period, wfm_adev, initial_offset_s, step_error_ns;
	long long tick_ns;
	double jitter_ns, sawtooth_ns, miss_prob, glitch_prob, width_ms, delivery_min_ms, delivery_max_ms;
	long long outage_start[MAX_OUTAGES], outage_len[MAX_OUTAGES];
	int n_outages;
	/* oscillator, per true second k: phase osc(k s) and the rate (constant + random walk + white FM) within it */
	double *osc_phase, *osc_rate, rw_now;
	long n_osc, cap_osc;
	unsigned long long osc_rng;
	/* pulses: e_k and whether pulse k is emitted */
	double *edge_ns;
	unsigned char *emitted;
	long n_pulse, cap_pulse;
	unsigned long long pulse_rng;
	/* glitches: the instant (ns into second k) of second k's glitch, or -1 */
	double *glitch_ns;
	long n_glitch, cap_glitch;
	unsigned long long glitch_rng;
} W;
static int protect_real_clocks;
static long long base_mono0, base_ref0; /* CLOCK_MONOTONIC and CLOCK_REALTIME at the library's load */

static unsigned long long splitmix(unsigned long long *state)
{
	unsigned long long z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(unsigned long long *state) /* [0, 1) */
{
	return (double)(splitmix(state) >> 11) * 0x1.0p-53;
}

static double gaussian(unsigned long long *state)
{
	double u1 = 1.0 - uniform(state), u2 = uniform(state);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

static unsigned long long stream(unsigned long long id)
{
	unsigned long long s = W.seed * 0x2545f4914f6cdd1dULL + id;
	splitmix(&s);
	return s;
}

/* The temperature term's phase over [0, t] seconds. */
static long double temp_phase(long double t)
{
	if (W.temp_amp == 0)
		return 0;
	long double w = 2 * M_PI / W.temp_period;
	return W.temp_amp / w * (1 - cosl(w * t));
}

/* The oscillator's phase (ns) at true time T, without the devices' own adjustments. */
static long double osc(long long T)
{
	if (!W.on)
		return 0;
	if (T < 0)
		return (long double)W.freq_ppb * T / 1e9L;
	long k = (long)(T / NS);
	while (W.n_osc <= k + 1) {
		if (W.n_osc == W.cap_osc) {
			W.cap_osc = W.cap_osc ? 2 * W.cap_osc : 4096;
			W.osc_phase = realloc(W.osc_phase, sizeof(double) * W.cap_osc);
			W.osc_rate = realloc(W.osc_rate, sizeof(double) * W.cap_osc);
		}
		long j = W.n_osc;
		if (j >= 1)
			W.rw_now += W.rw * gaussian(&W.osc_rng);
		double wfm = W.wfm_adev * 1e9 * gaussian(&W.osc_rng);
		W.osc_rate[j] = W.freq_ppb + W.rw_now + wfm;
		W.osc_phase[j] = j == 0 ? 0 : W.osc_phase[j - 1] + W.osc_rate[j - 1];
		W.n_osc++;
	}
	long double in = (long double)(T - k * NS) / 1e9L;
	return W.osc_phase[k] + W.osc_rate[k] * in + temp_phase((long double)T / 1e9L);
}

static int in_outage(long long k)
{
	for (int i = 0; i < W.n_outages; i++)
		if (k >= W.outage_start[i] && k < W.outage_start[i] + W.outage_len[i])
			return 1;
	return 0;
}

/* Draws pulses up to k: white jitter, then the miss draw, for every pulse, so the train is the same for all. */
static void pulses_to(long long k)
{
	while (W.n_pulse <= k) {
		if (W.n_pulse == W.cap_pulse) {
			W.cap_pulse = W.cap_pulse ? 2 * W.cap_pulse : 4096;
			W.edge_ns = realloc(W.edge_ns, sizeof(double) * W.cap_pulse);
			W.emitted = realloc(W.emitted, W.cap_pulse);
		}
		long j = W.n_pulse;
		double white = W.jitter_ns * gaussian(&W.pulse_rng);
		int missed = uniform(&W.pulse_rng) < W.miss_prob;
		double x = 0.0137 * j + 0.001 * sin(2 * M_PI * j / 5000.0) + 0.3;
		double saw = W.sawtooth_ns * (x - floor(x) - 0.5);
		W.edge_ns[j] = white + saw;
		W.emitted[j] = !missed && !in_outage(j) && !(j == 0 && white + saw < 0);
		W.n_pulse++;
	}
}

/* Draws the glitches up to second k: the glitch draw, then its instant, for every second. */
static void glitches_to(long long k)
{
	while (W.n_glitch <= k) {
		if (W.n_glitch == W.cap_glitch) {
			W.cap_glitch = W.cap_glitch ? 2 * W.cap_glitch : 4096;
			W.glitch_ns = realloc(W.glitch_ns, sizeof(double) * W.cap_glitch);
		}
		double at = -1;
		if (uniform(&W.glitch_rng) < W.glitch_prob)
			at = uniform(&W.glitch_rng) * 1e9;
		W.glitch_ns[W.n_glitch++] = at;
	}
}

/* theta at true time T: PHC minus the reference timescale, in ns, as an integer and a fraction. */
static long long theta_at(struct fake_dev *d, long long T, long double *frac)
{
	long double dt = (long double)(T - d->t_ref);
	long double x = d->theta_frac + dt * ((long double)d->freq / 65.536L + d->drift_ppb) / 1e9L;
	if (W.on)
		x += osc(T) - osc(d->t_ref);
	long double whole = floorl(x);
	*frac = x - whole;
	return d->theta_int + (long long)whole;
}

static long long phc_at(struct fake_dev *d, long long T)
{
	if (d->frozen)
		return d->frozen_phc;
	long double frac;
	long long v = W.ref0 + T + theta_at(d, T, &frac);
	long long tick = W.on && W.tick_ns > 1 ? W.tick_ns : 1;
	return v - ((v % tick) + tick) % tick;
}

static long long true_now(void)
{
	return now_of(CLOCK_MONOTONIC) - W.mono0;
}

static long long phc_now(struct fake_dev *d)
{
	return phc_at(d, true_now());
}

/* The clock's state is moved to T (before a change of frequency, drift or time). */
static void rebase(struct fake_dev *d, long long T)
{
	long double frac;
	d->theta_int = theta_at(d, T, &frac);
	d->theta_frac = frac;
	d->t_ref = T;
}

/* The PHC reads phc at true time T. */
static void set_phc(struct fake_dev *d, long long T, long long phc)
{
	d->theta_int = phc - W.ref0 - T;
	d->theta_frac = 0;
	d->t_ref = T;
	d->frozen_phc = phc;
}

static void world_clear(void)
{
	free(W.osc_phase);
	free(W.osc_rate);
	free(W.edge_ns);
	free(W.emitted);
	free(W.glitch_ns);
	memset(&W, 0, sizeof(W));
	W.mono0 = base_mono0;
	W.ref0 = base_ref0;
}

/* "key=value" words separated by spaces: seed, origin_mono_ns (CLOCK_MONOTONIC at the origin), origin_tai_s (the
 * TAI second there), and the simulator's keys of the model (docs/simulator.md). */
static int world_parse(const char *spec)
{
	long long mono0 = base_mono0, ref0 = base_ref0;
	world_clear();
	W.on = 1;
	W.rw = 0.01;
	W.temp_period = 3600;
	W.wfm_adev = 1e-10;
	W.initial_offset_s = -37.2;
	W.tick_ns = 1;
	W.jitter_ns = 5;
	W.width_ms = 100;
	W.delivery_min_ms = 0.05;
	W.delivery_max_ms = 0.5;
	W.mono0 = mono0;
	W.ref0 = ref0;
	int have_tai = 0;
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", spec);
	for (char *save = NULL, *w = strtok_r(buf, " \t\n;", &save); w; w = strtok_r(NULL, " \t\n;", &save)) {
		char *v = strchr(w, '=');
		if (!v)
			goto bad;
		*v++ = 0;
		char *end;
		double x = strtod(v, &end);
		int number = end != v && *end == 0;
		if (strcmp(w, "seed") == 0 && number)
			W.seed = strtoull(v, NULL, 10);
		else if (strcmp(w, "origin_mono_ns") == 0 && number)
			W.mono0 = strtoll(v, NULL, 10);
		else if (strcmp(w, "origin_tai_s") == 0 && number) {
			W.ref0 = strtoll(v, NULL, 10) * NS;
			have_tai = 1;
		} else if (strcmp(w, "osc.freq_ppb") == 0 && number)
			W.freq_ppb = x;
		else if (strcmp(w, "osc.rw_ppb_per_sqrt_s") == 0 && number)
			W.rw = x;
		else if (strcmp(w, "osc.temp_amp_ppb") == 0 && number)
			W.temp_amp = x;
		else if (strcmp(w, "osc.temp_period_s") == 0 && number && x > 0)
			W.temp_period = x;
		else if (strcmp(w, "osc.wfm_adev") == 0 && number)
			W.wfm_adev = x;
		else if (strcmp(w, "phc.initial_offset_s") == 0 && number)
			W.initial_offset_s = x;
		else if (strcmp(w, "phc.tick_ns") == 0 && number && x >= 1)
			W.tick_ns = (long long)x;
		else if (strcmp(w, "phc.step_error_ns") == 0 && number)
			W.step_error_ns = x;
		else if (strcmp(w, "pps.jitter_ns") == 0 && number)
			W.jitter_ns = x;
		else if (strcmp(w, "pps.sawtooth_ns") == 0 && number)
			W.sawtooth_ns = x;
		else if (strcmp(w, "pps.miss_prob") == 0 && number)
			W.miss_prob = x;
		else if (strcmp(w, "pps.glitch_prob") == 0 && number && x >= 0 && x <= 1)
			W.glitch_prob = x;
		else if (strcmp(w, "pps.width_ms") == 0 && number && x > 0 && x < 1000)
			W.width_ms = x;
		else if (strcmp(w, "nic.delivery_ms") == 0 && sscanf(v, "%lf:%lf", &W.delivery_min_ms, &W.delivery_max_ms) == 2)
			;
		else if (strcmp(w, "pps.outages") == 0) {
			if (strcmp(v, "none") == 0)
				continue;
			for (char *s2 = NULL, *o = strtok_r(v, ",", &s2); o; o = strtok_r(NULL, ",", &s2)) {
				if (W.n_outages == MAX_OUTAGES ||
				    sscanf(o, "%lld:%lld", &W.outage_start[W.n_outages], &W.outage_len[W.n_outages]) != 2)
					goto bad;
				W.n_outages++;
			}
		} else
			goto bad;
		continue;
	bad:
		fprintf(stderr, "fake_ptp: bad world setting '%s' (key=value; see src/test/c/fake_ptp.c)\n", w);
		W.on = 0;
		return -1;
	}
	if (!have_tai) { /* no origin given: the next whole second of CLOCK_REALTIME + 37 s */
		long long mono = now_of(CLOCK_MONOTONIC), tai = ref0 + (mono - mono0) + 37 * NS;
		long long next = (tai / NS + 1) * NS;
		W.mono0 = mono + (next - tai);
		W.ref0 = next;
	}
	W.osc_rng = stream(1);
	W.pulse_rng = stream(2);
	W.glitch_rng = stream(3);
	protect_real_clocks = 1;
	return 0;
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
	real_settimeofday = real("settimeofday");
	real_adjtime = real("adjtime");
	for (int i = 0; i < MAX_FDS; i++)
		fds[i].dev = -1;
	now_pair(&base_mono0, &base_ref0);
	W.mono0 = base_mono0;
	W.ref0 = base_ref0;
}

static void setup(void)
{
	pthread_once(&once, init);
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

/* Whatever changes when a device's next event is wakes every waiter: those blocked on the condition, and those in
 * the real poll of a mixed set, through their eventfd. Called with the lock held. */
static void wake_waiters(void)
{
	pthread_cond_broadcast(&cond);
	uint64_t one = 1;
	for (int i = 0; i < MAX_WAITERS; i++)
		if (waiter_fd[i] && write(waiter_fd[i] - 1, &one, sizeof one) < 0)
			continue; /* EAGAIN: the counter is full, so the waiter is woken already */
}

/* CLOCKID_TO_FD(clk) = ~(clk >> 3), for dynamic clocks (CLOCKFD = 3). */
static int fd_of_clock(clockid_t clk)
{
	if (clk >= 0 || (clk & 7) != 3)
		return -1;
	int fd = ~(clk >> 3);
	return dev_of_fd(fd) ? fd : -1;
}

static void push(struct fake_dev *d, unsigned chan, long long ns, long long deliver_at)
{
	if (d->qlen == QUEUE)
		return; /* the kernel drops events when its queue is full */
	struct queued *q = &d->queue[(d->qhead + d->qlen) % QUEUE];
	memset(q, 0, sizeof(*q));
	q->e.t = pct(ns);
	q->e.index = chan;
	q->deliver_at = deliver_at;
	d->qlen++;
	wake_waiters();
}

/* Pulse k's leading edge in true time; without a world, at the whole second k of the reference + pps_tai_offset. */
static long long edge_of(struct fake_dev *d, long long k)
{
	if (!W.on)
		return k * NS - W.ref0 - d->pps_tai_offset;
	pulses_to(k);
	return k * NS + llround(W.edge_ns[k]);
}

static int pps_armed(struct fake_dev *d)
{
	return d->pps_on && d->pps_chan < MAX_CHANS && (d->flags[d->pps_chan] & PTP_ENABLE_FEATURE);
}

/* The first pulse whose leading edge is after T (armed at T). */
static long long first_pulse_after(struct fake_dev *d, long long T)
{
	long long k = W.on ? (T < 0 ? 0 : T / NS) : (T + W.ref0 + d->pps_tai_offset) / NS - 1;
	while (edge_of(d, k) <= T)
		k++;
	return k;
}

/* The next pulse edge (leading, or trailing when both are armed) to latch, skipping pulses not emitted; an edge
 * later than T is returned as it is (it may yet be skipped). */
static long long pulse_edge(struct fake_dev *d, int both, long long T)
{
	for (;;) {
		long long k = d->next_k, rise = edge_of(d, k);
		if (rise > T)
			return rise;
		if ((W.on && !W.emitted[k]) || (d->next_fall && !both)) {
			d->next_k++;
			d->next_fall = 0;
			continue;
		}
		return rise + (d->next_fall ? d->pps_width : 0);
	}
}

/* The next glitch after the arming, searched up to second `upto` (LLONG_MAX: none by then). */
static long long glitch_edge(struct fake_dev *d, long long upto)
{
	if (!W.on || W.glitch_prob <= 0)
		return LLONG_MAX;
	for (; d->next_glitch_k <= upto; d->next_glitch_k++) {
		glitches_to(d->next_glitch_k);
		double g = W.glitch_ns[d->next_glitch_k];
		long long e = d->next_glitch_k * NS + llround(g);
		if (g >= 0 && e > d->armed_at)
			return e;
	}
	return LLONG_MAX;
}

/* Stamps an edge at true time e, readable after the world's delivery latency (in order, as the kernel's queue). */
static void latch(struct fake_dev *d, long long e)
{
	long long at = e;
	if (W.on) {
		double ms = W.delivery_min_ms + (W.delivery_max_ms - W.delivery_min_ms) * uniform(&d->delivery_rng);
		at = e + llround(ms * 1e6);
		if (at < d->last_delivery)
			at = d->last_delivery;
		d->last_delivery = at;
	}
	push(d, d->pps_chan, phc_at(d, e), at);
}

/* Latches every edge (pulses and glitches, in time order) up to true time T with the clock as it is now: called
 * before any change to the clock, so each edge is stamped with the state that was in force at its instant. */
static void pps_generate(struct fake_dev *d, long long T)
{
	if (!pps_armed(d))
		return;
	int both = (d->flags[d->pps_chan] & PTP_EXTTS_EDGES) == PTP_EXTTS_EDGES;
	for (;;) {
		long long pulse = pulse_edge(d, both, T), glitch = glitch_edge(d, T / NS);
		long long e = glitch < pulse ? glitch : pulse;
		if (e > T)
			break;
		latch(d, e);
		if (glitch < pulse) {
			d->next_glitch_k++;
		} else if (d->next_fall || !both) {
			d->next_k++;
			d->next_fall = 0;
		} else {
			d->next_fall = 1;
		}
	}
}

/* Ground truth: theta at every true second up to T, with the clock as it is now. */
static void log_truth(struct fake_dev *d, long long T)
{
	if (!d->truth)
		return;
	while (d->truth_next * NS <= T) {
		long double frac;
		long long whole = theta_at(d, d->truth_next * NS, &frac);
		fprintf(d->truth, "%lld %.3Lf\n", d->truth_next, (long double)whole + frac);
		if (W.on) {
			pulses_to(d->truth_next);
			if (!W.emitted[d->truth_next])
				fprintf(d->truth, "# missing %lld\n", d->truth_next);
		}
		d->truth_next++;
	}
}

/* Brings a device up to true time T: its edges latched, its truth logged. */
static void advance(struct fake_dev *d, long long T)
{
	if (d->removed)
		return;
	pps_generate(d, T);
	log_truth(d, T);
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
	protect_real_clocks = 0;
	world_clear();
	pthread_mutex_unlock(&lock);
}

/* Writes to a real clock (CLOCK_REALTIME and the others, adjtimex, settimeofday, adjtime) fail with EPERM. */
EXPORT void fake_ptp_protect(int on)
{
	setup();
	protect_real_clocks = on;
}

/* Sets up a world from "key=value" words (see the top of this file); devices created afterwards live in it.
 * Returns 0, or -1 (and a line on stderr) for a bad word. */
EXPORT int fake_ptp_world(const char *spec)
{
	setup();
	pthread_mutex_lock(&lock);
	int r = world_parse(spec);
	pthread_mutex_unlock(&lock);
	return r;
}

/* theta (PHC minus true time, ns) at true time T ns of the world, with the device's clock as it is now. */
EXPORT double fake_ptp_theta(int dev, long long T)
{
	pthread_mutex_lock(&lock);
	long double frac;
	long long whole = theta_at(&devs[dev], T, &frac);
	pthread_mutex_unlock(&lock);
	return (double)((long double)whole + frac);
}

/* The world's pulse k: its leading edge's offset from the true second (ns), or NaN when it is not emitted. */
EXPORT double fake_ptp_world_edge(long long k)
{
	pthread_mutex_lock(&lock);
	pulses_to(k);
	double e = W.emitted[k] ? W.edge_ns[k] : NAN;
	pthread_mutex_unlock(&lock);
	return e;
}

/* The world's glitch in true second k: its instant (ns into the second), or NaN when that second has none. */
EXPORT double fake_ptp_world_glitch(long long k)
{
	pthread_mutex_lock(&lock);
	glitches_to(k);
	double g = W.glitch_ns[k];
	pthread_mutex_unlock(&lock);
	return g >= 0 ? g : NAN;
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
		long long T = true_now();
		set_phc(d, T, W.on ? W.ref0 + T + llround(W.initial_offset_s * 1e9) : W.ref0 + T);
		d->pps_tai_offset = W.on ? 0 : 37 * NS;
		d->step_rng = stream(100 + id);
		d->delivery_rng = stream(200 + id);
		if (W.on) {
			d->pps_on = 1;
			d->pps_width = llround(W.width_ms * 1e6);
		}
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
		wake_waiters();
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
	push(&devs[dev], chan, sec * NS + nsec, LLONG_MIN);
	pthread_mutex_unlock(&lock);
}

/* How many threads are in a poll of a set with fake and real files (blocked, or about to block, in the real one). */
EXPORT int fake_ptp_mixed_waiters(void)
{
	pthread_mutex_lock(&lock);
	int n = 0;
	for (int i = 0; i < MAX_WAITERS; i++)
		n += waiter_fd[i] != 0;
	pthread_mutex_unlock(&lock);
	return n;
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

/* The PHC at the CLOCK_MONOTONIC instant mono (past or future, with the clock as it is now). */
EXPORT long long fake_ptp_time_at(int dev, long long mono)
{
	pthread_mutex_lock(&lock);
	long long t = phc_at(&devs[dev], mono - W.mono0);
	pthread_mutex_unlock(&lock);
	return t;
}

/* The PHC's oscillator runs fast by drift_ppb (slow if negative), on top of any frequency adjustment. */
EXPORT void fake_ptp_set_drift(int dev, double drift_ppb)
{
	pthread_mutex_lock(&lock);
	long long T = true_now();
	advance(&devs[dev], T);
	rebase(&devs[dev], T);
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
	long long T = true_now();
	advance(&devs[dev], T);
	set_phc(&devs[dev], T, ns);
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
	d->next_k = first_pulse_after(d, true_now());
	d->next_fall = 0;
	wake_waiters(); /* a reader waiting already wakes for the first edge */
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
	fake_maxerror = 0;
}

static long long env_ll(const char *name, long long dflt)
{
	const char *v = getenv(name);
	return v && *v ? strtoll(v, NULL, 10) : dflt;
}

/* One device from FAKE_PTP_* variables, for processes the tests cannot call into. */
__attribute__((constructor)) static void from_environment(void)
{
	setup();
	const char *world = getenv("FAKE_PTP_WORLD");
	if (world && *world && world_parse(world) != 0)
		exit(64);
	if (getenv("FAKE_PTP_PROTECT") && strcmp(getenv("FAKE_PTP_PROTECT"), "1") == 0)
		protect_real_clocks = 1;
	/* FAKE_PTP_ADJTIMEX=STATUS,MAXERROR_US: the system clock's state as adjtimex reads it (TAI-UTC 37) */
	const char *adj = getenv("FAKE_PTP_ADJTIMEX");
	if (adj && *adj) {
		char *end;
		int status = (int)strtol(adj, &end, 10);
		fake_ptp_set_adjtimex(37, status, (status & STA_UNSYNC) ? TIME_ERROR : TIME_OK);
		fake_maxerror = *end == ',' ? strtol(end + 1, NULL, 10) : 0;
	}
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
		fake_ptp_set_time(dev, W.ref0 + true_now() + offset, 0);
	long long width = env_ll("FAKE_PTP_PPS_WIDTH_NS", 0);
	if (width > 0 && !W.on)
		fake_ptp_pps(dev, 0, width, env_ll("FAKE_PTP_TAI_OFFSET_S", 37) * NS);
	const char *truth = getenv("FAKE_PTP_TRUTH");
	if (truth && *truth && W.on) {
		devs[dev].truth = fopen(truth, "w");
		if (!devs[dev].truth) {
			fprintf(stderr, "fake_ptp: cannot write the ground truth to %s: %s\n", truth, strerror(errno));
			exit(70);
		}
		setvbuf(devs[dev].truth, NULL, _IOLBF, 0);
		unsetenv("FAKE_PTP_TRUTH"); /* a child that loads the fake too must not write over it */
	}
}

/* The last seconds of ground truth when the process ends. */
__attribute__((destructor)) static void flush_truth(void)
{
	pthread_mutex_lock(&lock);
	for (int i = 0; i < MAX_DEVS; i++) {
		if (devs[i].used && devs[i].truth) {
			advance(&devs[i], true_now());
			fclose(devs[i].truth);
			devs[i].truth = NULL;
		}
	}
	pthread_mutex_unlock(&lock);
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

static int event_for(int fd, struct queued *q)
{
	return !fds[fd].mask_set || (q->e.index < 32 && (fds[fd].mask & (1u << q->e.index)));
}

/* An event is readable once delivered. */
static int readable(struct fake_dev *d, long long T)
{
	return d->qlen > 0 && d->queue[d->qhead].deliver_at <= T;
}

/* The longest a blocked read or poll sleeps before it looks again. Whatever changes when the next event is (arming,
 * a PPS, an injected event, a removal) wakes the sleepers, so this is only a safety net: short, it would wake a
 * waiting reader (and the footprint of a daemon measured on the fake) far more often than a real kernel does. */
#define WAKE_CAP_NS 1000000000LL

/* When something next happens on the device: the head event's delivery or the next edge. */
static long long next_event(struct fake_dev *d, long long T)
{
	long long next = T + WAKE_CAP_NS;
	if (d->qlen > 0 && d->queue[d->qhead].deliver_at > T && d->queue[d->qhead].deliver_at < next)
		next = d->queue[d->qhead].deliver_at;
	if (pps_armed(d)) {
		long long e = edge_of(d, d->next_k) + (d->next_fall ? d->pps_width : 0);
		if (e > T && e < next)
			next = e;
		long long g = glitch_edge(d, T / NS + 1);
		if (g > T && g < next)
			next = g;
	}
	return next;
}

/* Drops queued events this file's mask excludes (each file has its own queue since 6.7; one is enough here). */
static void filter_queue(int fd, struct fake_dev *d)
{
	while (d->qlen > 0 && !event_for(fd, &d->queue[d->qhead])) {
		d->qhead = (d->qhead + 1) % QUEUE;
		d->qlen--;
	}
}

static void wait_until(long long deadline_mono, long long next_mono)
{
	long long until = next_mono + 1000; /* wake at the next event to run the PPS */
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
	long long T;
	for (;;) { /* like ptp_read: blocks until an event, O_NONBLOCK or not */
		T = true_now();
		advance(d, T);
		filter_queue(fd, d);
		if (readable(d, T))
			break;
		wait_until(-1, next_event(d, T) + W.mono0);
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
	while (readable(d, T) && n + sizeof(struct ptp_extts_event) <= count) {
		memcpy((char *)buf + n, &d->queue[d->qhead].e, sizeof(struct ptp_extts_event));
		d->qhead = (d->qhead + 1) % QUEUE;
		d->qlen--;
		n += sizeof(struct ptp_extts_event);
		filter_queue(fd, d);
	}
	pthread_mutex_unlock(&lock);
	return (ssize_t)n;
}

/* Looks at the fake files of a poll set (revents; real files are left alone) and lowers *next to the true time of
 * the soonest event on them. Returns how many are ready. With the lock held. */
static int poll_fakes(struct pollfd *pfd, nfds_t n, long long T, long long *next)
{
	int ready = 0;
	for (nfds_t i = 0; i < n; i++) {
		struct fake_dev *d = dev_of_fd(pfd[i].fd);
		if (!d)
			continue;
		pfd[i].revents = 0;
		if (d->removed) {
			pfd[i].revents = POLLERR | POLLHUP;
			ready++;
			continue;
		}
		advance(d, T);
		filter_queue(pfd[i].fd, d);
		long long e = next_event(d, T);
		if (e < *next)
			*next = e;
		if (readable(d, T)) {
			pfd[i].revents = pfd[i].events & (POLLIN | POLLRDNORM);
			ready += pfd[i].revents != 0;
		}
	}
	return ready;
}

static int add_waiter(int fd)
{
	for (int i = 0; i < MAX_WAITERS; i++) {
		if (!waiter_fd[i]) {
			waiter_fd[i] = fd + 1;
			return i;
		}
	}
	return -1;
}

/* A set with fake and real files (a reader's wake-up eventfd beside its /dev/ptpN): the fake files are looked at
 * under the lock, the real ones by the real ppoll, together with an eventfd of this call that wake_waiters writes.
 * It sleeps until a real file is ready, the next fake event is due, the fake changes, or the deadline (-1: none);
 * interrupted by a signal it fails with EINTR, as the real poll does. Called and returns with the lock held. */
static int mixed_poll(struct pollfd *pfd, nfds_t n, long long deadline)
{
	struct pollfd real_set[n + 1];
	nfds_t where[n];
	int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (wake < 0)
		return -1;
	int slot = add_waiter(wake);
	if (slot < 0) {
		real_close(wake);
		return fail_with(ENOMEM);
	}
	int result;
	for (;;) {
		uint64_t count;
		if (real_read(wake, &count, sizeof count) < 0 && errno != EAGAIN) {
			result = -1; /* cannot happen on an eventfd of our own */
			break;
		}
		long long T = true_now(), next = T + WAKE_CAP_NS;
		int ready = poll_fakes(pfd, n, T, &next);
		nfds_t m = 0;
		for (nfds_t i = 0; i < n; i++) {
			if (!dev_of_fd(pfd[i].fd)) {
				real_set[m] = pfd[i];
				where[m++] = i;
			}
		}
		real_set[m] = (struct pollfd){.fd = wake, .events = POLLIN};
		long long until = next + W.mono0 + 1000; /* wake at the next event to run the PPS */
		if (deadline >= 0 && deadline < until)
			until = deadline;
		long long wait = ready ? 0 : until - now_of(CLOCK_MONOTONIC);
		if (wait < 0)
			wait = 0;
		struct timespec ts = {wait / NS, wait % NS};
		pthread_mutex_unlock(&lock);
		int r = ppoll(real_set, m + 1, &ts, NULL);
		int err = errno;
		pthread_mutex_lock(&lock);
		if (r < 0) {
			result = fail_with(err);
			break;
		}
		T = true_now(); /* the fake files as they are now, beside the real ones */
		ready = poll_fakes(pfd, n, T, &next);
		for (nfds_t j = 0; j < m; j++) {
			pfd[where[j]].revents = real_set[j].revents;
			ready += real_set[j].revents != 0;
		}
		if (ready || (deadline >= 0 && now_of(CLOCK_MONOTONIC) >= deadline)) {
			result = ready;
			break;
		}
	}
	waiter_fd[slot] = 0;
	real_close(wake);
	return result;
}

/* A set of fake files only waits on the condition; one with real files too, in mixed_poll; one without fake files
 * is the real poll's. */
EXPORT int poll(struct pollfd *pfd, nfds_t n, int timeout_ms)
{
	setup();
	pthread_mutex_lock(&lock);
	int fake = 0, real_files = 0;
	for (nfds_t i = 0; i < n; i++) {
		if (dev_of_fd(pfd[i].fd))
			fake = 1;
		else
			real_files = 1;
	}
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
	if (real_files) {
		int ready = mixed_poll(pfd, n, deadline);
		int saved = errno;
		pthread_mutex_unlock(&lock);
		errno = saved;
		return ready;
	}
	for (;;) {
		long long T = true_now(), next = T + WAKE_CAP_NS;
		int ready = poll_fakes(pfd, n, T, &next);
		for (nfds_t i = 0; i < n; i++) {
			if (!dev_of_fd(pfd[i].fd)) { /* closed while waiting */
				pfd[i].revents = POLLNVAL;
				ready++;
			}
		}
		if (ready || (deadline >= 0 && now_of(CLOCK_MONOTONIC) >= deadline)) {
			pthread_mutex_unlock(&lock);
			return ready;
		}
		wait_until(deadline, next + W.mono0);
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
	if (flags & PTP_ENABLE_FEATURE) {
		long long T = true_now();
		d->next_k = first_pulse_after(d, T);
		d->next_fall = 0;
		d->next_glitch_k = T < 0 ? 0 : T / NS;
		d->armed_at = T;
		if (d->truth && r->index == d->pps_chan)
			fprintf(d->truth, "# armed %lld\n", d->next_k);
		wake_waiters(); /* a reader waiting already wakes for the first edge */
	}
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
		long long T = true_now();
		p->sys_realtime = pct(now_of(CLOCK_REALTIME));
		p->sys_monoraw = pct(now_of(CLOCK_MONOTONIC_RAW));
		p->device = pct(phc_at(d, T));
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
			long long sys = now_of(CLOCK_REALTIME), T = true_now(), w = width(d, i);
			x->ts[i][0] = pct(sys);
			x->ts[i][1] = pct(phc_at(d, T + w / 2));
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
		long long sys = now_of(CLOCK_REALTIME), T = true_now();
		for (unsigned i = 0; i < x->n_samples; i++) {
			long long w = width(d, i);
			x->ts[2 * i] = pct(sys);
			x->ts[2 * i + 1] = pct(phc_at(d, T + w / 2));
			sys += w;
			T += w;
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
		if (!err) {
			advance(d, true_now());
			err = ptp_ioctl(fd, d, request, arg);
		}
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
		long long T = true_now();
		advance(dev_of_fd(fd), T);
		long long t = phc_at(dev_of_fd(fd), T);
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
		return protect_real_clocks ? fail_with(EPERM) : real_clock_settime(clk, ts);
	}
	int err = forced("clock_settime", 0);
	if (!err && dev_of_fd(fd)->removed)
		err = ENODEV;
	if (!err && !fds[fd].rdwr)
		err = EACCES;
	if (!err && (ts->tv_nsec < 0 || ts->tv_nsec >= NS))
		err = EINVAL;
	if (!err) {
		long long T = true_now();
		advance(dev_of_fd(fd), T);
		set_phc(dev_of_fd(fd), T, ts->tv_sec * NS + ts->tv_nsec);
	}
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
		long long T = true_now();
		advance(d, T);
		rebase(d, T);
		long long late = W.on && W.step_error_ns > 0 ? llround(W.step_error_ns * uniform(&d->step_rng)) : 0;
		d->theta_int += tx->time.tv_sec * NS + sub - late;
		d->frozen_phc += tx->time.tv_sec * NS + sub;
	} else if (tx->modes & ADJ_FREQUENCY) {
		double ppb = (double)tx->freq / 65.536;
		if (ppb > d->caps.max_adj || ppb < -d->caps.max_adj)
			return ERANGE;
		long long T = true_now();
		advance(d, T);
		rebase(d, T);
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

/* The system clock's state for a read (modes 0, or ADJ_NANO alone: a read in ns). Answered here, never written:
 * with a world, its UTC (true TAI - 37 s); else the kernel's, read with modes 0 and the time in ns if asked. */
static int system_time_read(struct timex *tx)
{
	int nano = (tx->modes & ADJ_NANO) != 0;
	int state;
	if (W.on) {
		memset(tx, 0, sizeof(*tx));
		long long utc = W.ref0 + true_now() - 37 * NS;
		tx->tai = 37;
		tx->status = nano ? STA_NANO : 0;
		tx->time.tv_sec = utc / NS;
		tx->time.tv_usec = nano ? utc % NS : (utc % NS) / 1000;
		return TIME_OK;
	}
	if (fake_adjtimex_on) {
		long long now = now_of(CLOCK_REALTIME);
		tx->tai = fake_tai;
		tx->status = fake_status;
		tx->maxerror = fake_maxerror;
		tx->time.tv_sec = now / NS;
		tx->time.tv_usec = (fake_status & STA_NANO) ? now % NS : (now % NS) / 1000;
		return fake_state;
	}
	tx->modes = 0;
	state = real_adjtimex(tx);
	if (state >= 0 && nano) {
		long long now = now_of(CLOCK_REALTIME);
		tx->status |= STA_NANO;
		tx->time.tv_sec = now / NS;
		tx->time.tv_usec = now % NS;
	}
	return state;
}

/* A call on the system clock: reads are answered by system_time_read when it must (a world, a fake state, or
 * protection: ADJ_NANO is a write to the kernel's status); writes are refused with EPERM under protection. */
static int system_adjtime(struct timex *tx, int (*real_call)(struct timex *))
{
	int read_only = (tx->modes & ~ADJ_NANO) == 0;
	if (read_only && (W.on || fake_adjtimex_on || (protect_real_clocks && tx->modes)))
		return system_time_read(tx);
	if (!read_only && protect_real_clocks)
		return fail_with(EPERM);
	return real_call(tx);
}

static clockid_t adjtime_clock;
static int real_clock_adjtime_of(struct timex *tx)
{
	return real_clock_adjtime(adjtime_clock, tx);
}

EXPORT int clock_adjtime(clockid_t clk, struct timex *tx)
{
	setup();
	pthread_mutex_lock(&lock);
	int fd = fd_of_clock(clk);
	if (fd < 0) {
		pthread_mutex_unlock(&lock);
		if (clk != CLOCK_REALTIME)
			return protect_real_clocks && tx->modes ? fail_with(EPERM) : real_clock_adjtime(clk, tx);
		adjtime_clock = clk;
		return system_adjtime(tx, real_clock_adjtime_of);
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
	return system_adjtime(tx, real_adjtimex);
}

EXPORT int ntp_adjtime(struct timex *tx)
{
	setup();
	return system_adjtime(tx, real_adjtimex);
}

EXPORT int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
	setup();
	if (protect_real_clocks)
		return fail_with(EPERM);
	return real_settimeofday(tv, tz);
}

EXPORT int adjtime(const struct timeval *delta, struct timeval *olddelta)
{
	setup();
	if (protect_real_clocks && delta)
		return fail_with(EPERM);
	return real_adjtime(delta, olddelta);
}
