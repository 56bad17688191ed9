# ptp4l and pmc for the org.pps2phc.ptp4l tests (a real ptp4l in its own network namespace);
# iproute2 for `ip link set lo up` inside that namespace, util-linux for unshare.
apt_install linuxptp iproute2 util-linux
