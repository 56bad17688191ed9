# Daemon tests: systemd-analyze checks systemd/pps2phc.service (verify, security --offline). Both work without
# systemd running as PID 1; the package is installed only for the tool (policy-rc.d keeps services from starting).
apt_install systemd
