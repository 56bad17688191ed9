# Sourced by scripts/install-test-deps.sh (as root). The QEMU guest tests (QemuGuestPhcTest, SystemdGuestIT)
# boot Debian's kernel with an emulated e1000e NIC, whose driver gives the guest a real PHC at /dev/ptp0:
# scripts/qemu/build-guest.sh installs qemu-system-x86, busybox-static and cpio, downloads the kernel package
# and builds the guest into /var/cache/pps2phc-qemu. gcc and the kernel headers are for the linux tests' shims.
apt_install gcc libc6-dev linux-libc-dev
bash "$here/qemu/build-guest.sh"
