# chronyd/chronyc for the ntpshm tests (SHM and SOCK refclocks), gcc for the struct layout test,
# ipcs/ipcrm and nsenter (util-linux), tzdata (right/UTC for chrony's tai option), iproute2 (lo up
# in the network namespace the ntpd test runs in). apt_install skips what is already there.
apt_install chrony gcc libc6-dev util-linux tzdata iproute2
