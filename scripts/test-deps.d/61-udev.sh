# The systemd guest (SystemdGuestIT) boots this machine's own systemd as its PID 1, so udev must be installed beside
# systemd (same version) for the package's udev rule to give /dev/ptp0 its group there. policy-rc.d keeps
# systemd-udevd from starting on this machine.
apt_install udev
