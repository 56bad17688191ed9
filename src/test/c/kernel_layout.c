/*
 * Prints, as "NAME VALUE" lines, every ioctl number, constant, struct size and
 * field offset the Java bindings in org.pps2phc.linux use, taken from the
 * kernel's and libc's own headers. KernelLayoutTest compiles and runs it and
 * compares each line with the Java definitions.
 */
#include <linux/ptp_clock.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/timex.h>
#include <sys/socket.h>
#include <time.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>

/* Added in kernel 6.7; older headers lack them, so encode them the header's way. */
#ifndef PTP_MASK_CLEAR_ALL
#define PTP_MASK_CLEAR_ALL _IO(PTP_CLK_MAGIC, 19)
#endif
#ifndef PTP_MASK_EN_SINGLE
#define PTP_MASK_EN_SINGLE _IOW(PTP_CLK_MAGIC, 20, unsigned int)
#endif

#define V(name) printf("%s %lld\n", #name, (long long)(name))
#define SIZE(type) printf("sizeof(%s) %zu\n", #type, sizeof(struct type))
#define OFF(type, field) printf("offsetof(%s.%s) %zu\n", #type, #field, offsetof(struct type, field))

int main(void)
{
	V(PTP_CLOCK_GETCAPS); V(PTP_EXTTS_REQUEST); V(PTP_SYS_OFFSET); V(PTP_PIN_GETFUNC); V(PTP_PIN_SETFUNC);
	V(PTP_SYS_OFFSET_PRECISE); V(PTP_SYS_OFFSET_EXTENDED); V(PTP_CLOCK_GETCAPS2); V(PTP_EXTTS_REQUEST2);
	V(PTP_SYS_OFFSET2); V(PTP_PIN_GETFUNC2); V(PTP_PIN_SETFUNC2); V(PTP_SYS_OFFSET_PRECISE2);
	V(PTP_SYS_OFFSET_EXTENDED2); V(PTP_MASK_CLEAR_ALL); V(PTP_MASK_EN_SINGLE);
	V(PTP_ENABLE_FEATURE); V(PTP_RISING_EDGE); V(PTP_FALLING_EDGE); V(PTP_STRICT_FLAGS); V(PTP_MAX_SAMPLES);
	V(PTP_PF_NONE); V(PTP_PF_EXTTS); V(PTP_PF_PEROUT); V(PTP_PF_PHYSYNC);

	SIZE(ptp_clock_time); OFF(ptp_clock_time, sec); OFF(ptp_clock_time, nsec);
	SIZE(ptp_clock_caps); OFF(ptp_clock_caps, max_adj); OFF(ptp_clock_caps, n_alarm); OFF(ptp_clock_caps, n_ext_ts);
	OFF(ptp_clock_caps, n_per_out); OFF(ptp_clock_caps, pps); OFF(ptp_clock_caps, n_pins);
	OFF(ptp_clock_caps, cross_timestamping); OFF(ptp_clock_caps, adjust_phase);
	SIZE(ptp_extts_request); OFF(ptp_extts_request, index); OFF(ptp_extts_request, flags);
	SIZE(ptp_pin_desc); OFF(ptp_pin_desc, name); OFF(ptp_pin_desc, index); OFF(ptp_pin_desc, func);
	OFF(ptp_pin_desc, chan);
	SIZE(ptp_sys_offset); OFF(ptp_sys_offset, n_samples); OFF(ptp_sys_offset, ts);
	SIZE(ptp_sys_offset_extended); OFF(ptp_sys_offset_extended, n_samples); OFF(ptp_sys_offset_extended, ts);
	SIZE(ptp_sys_offset_precise); OFF(ptp_sys_offset_precise, device); OFF(ptp_sys_offset_precise, sys_realtime);
	OFF(ptp_sys_offset_precise, sys_monoraw);
	SIZE(ptp_extts_event); OFF(ptp_extts_event, t); OFF(ptp_extts_event, index); OFF(ptp_extts_event, flags);

	V(CLOCK_REALTIME); V(CLOCK_MONOTONIC);
	V(ADJ_OFFSET); V(ADJ_FREQUENCY); V(ADJ_MAXERROR); V(ADJ_STATUS); V(ADJ_TAI); V(ADJ_SETOFFSET); V(ADJ_NANO);
	V(ADJ_TICK); V(STA_PLL); V(STA_INS); V(STA_DEL); V(STA_UNSYNC); V(STA_NANO);
	V(TIME_OK); V(TIME_INS); V(TIME_DEL); V(TIME_OOP); V(TIME_WAIT); V(TIME_ERROR);
	SIZE(timespec); OFF(timespec, tv_sec); OFF(timespec, tv_nsec);
	SIZE(timeval); OFF(timeval, tv_sec); OFF(timeval, tv_usec);
	SIZE(timex); OFF(timex, modes); OFF(timex, offset); OFF(timex, freq); OFF(timex, maxerror);
	OFF(timex, esterror); OFF(timex, status); OFF(timex, constant); OFF(timex, precision); OFF(timex, tolerance);
	OFF(timex, time); OFF(timex, tick); OFF(timex, ppsfreq); OFF(timex, jitter); OFF(timex, shift);
	OFF(timex, stabil); OFF(timex, jitcnt); OFF(timex, calcnt); OFF(timex, errcnt); OFF(timex, stbcnt);
	OFF(timex, tai);

	V(O_RDONLY); V(O_RDWR); V(O_CLOEXEC); V(POLLIN); V(POLLPRI); V(POLLERR); V(POLLHUP); V(POLLNVAL);

	V(AF_INET); V(SOCK_DGRAM); V(SOCK_CLOEXEC); V(SIOCETHTOOL); V(ETHTOOL_GET_TS_INFO); V(IFNAMSIZ);
	SIZE(ifreq); OFF(ifreq, ifr_name); OFF(ifreq, ifr_data);
	SIZE(ethtool_ts_info); OFF(ethtool_ts_info, cmd); OFF(ethtool_ts_info, so_timestamping);
	OFF(ethtool_ts_info, phc_index); OFF(ethtool_ts_info, tx_types); OFF(ethtool_ts_info, rx_filters);
	return 0;
}
