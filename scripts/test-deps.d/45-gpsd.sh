# gpsd: Debian 12's gpsd 3.22 is the real peer for the gpsd time-of-day tests (org.pps2phc.receiver). The tests start
# their own gpsd (-N -n -b, read-only) on TCP ports 12600-12699 in its own IPC namespace (unshare --ipc: as root it
# attaches NTP SHM units 0-7 even for a pty source), fed NMEA by the test. The package's socket unit is not started
# (policy-rc.d refuses it here).
apt_install gpsd
