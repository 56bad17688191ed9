# Sourced by scripts/install-test-deps.sh (as root). The linux package's tests need:
#  - gcc, libc6-dev, linux-libc-dev: the layout check and the fake-kernel shim are compiled at test time
#    (installed by install-test-deps.sh itself);
#  - the qemu-phc harness (QemuGuestPhcTest): its setup.sh installs qemu-system-x86, busybox-static, cpio,
#    gzip and linuxptp, downloads Debian's linux-image-6.1 and builds the guest into /var/cache/qemu-phc.
# CI has ../shared beside the checkout; a worktree may sit one level deeper, so look upwards.
apt_install gcc libc6-dev linux-libc-dev
qemu_phc_setup=
for d in "$here/../.." "$here/../../.." "$here/../../../.."; do
    if [ -x "$d/shared/tools/qemu-phc/setup.sh" ]; then
        qemu_phc_setup=$(cd "$d/shared/tools/qemu-phc" && pwd)/setup.sh
        break
    fi
done
if [ -z "$qemu_phc_setup" ]; then
    echo "install-test-deps: ../shared/tools/qemu-phc/setup.sh not found beside the checkout" >&2
    exit 69
fi
bash "$qemu_phc_setup"
