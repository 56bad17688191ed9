# chrony: chronyd is the real peer for the time-of-day tests (org.pps2phc.chrony); chronyc helps when debugging.
# The tests start their own chronyd with -x (never touches the clock) on UDP ports 11300-11399.
# tzdata: /usr/share/zoneinfo/leap-seconds.list, whose SHA-1 line the leap table tests check.
apt_install chrony tzdata
