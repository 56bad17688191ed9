# libfaketime (Debian's faketime) for DaemonLeapWithChronyAndNtpdTest: the test runs its own chronyd (-x) and ntpd
# (disable ntp) under LD_PRELOAD of libfaketime with a whole-second offset, so that their clocks read a day with a leap
# second while the machine's clock is left alone.
apt_install faketime
