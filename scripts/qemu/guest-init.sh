#!/bin/busybox sh
# /init of the guest's initramfs (PID 1, busybox). run-in-guest.sh shares two directories over virtio-9p:
#   "host": the host's / (read-only), the lower layer of the guest's root overlay (a tmpfs above it);
#   "ctl":  the run's control directory: cmd.sh to run, rwdir (a host directory shared read-write as "rw",
#           mounted at the same path), watchdog (seconds), and what comes back: stdout, stderr, rc, init.log.
# The kernel command line chooses the mode: pps2phc.guest=chroot runs cmd.sh in a chroot of the overlay and
# powers off; pps2phc.guest=systemd hands the overlay to the host's own systemd as PID 1, whose units from
# ctl/run (copied into /run) run cmd.sh and power off.
export PATH=/bin
note() { echo "guest-init: $*" >>/ctl/init.log; }
power_off() { sync; poweroff -f; sleep 5; exit 1; }
abort() { note "$*"; power_off; }   # no ctl/rc: the host reports a guest failure

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
echo 1 >/proc/sys/kernel/printk
mode=chroot
for arg in $(cat /proc/cmdline); do
    case $arg in pps2phc.guest=*) mode=${arg#pps2phc.guest=} ;; esac
done

for m in $(cat /modules/modules.order); do
    insmod "/modules/$m.ko" || echo "guest-init: insmod $m failed" >/dev/console
done
# msize: 9p's default of 8 KiB makes reading the JDK from the host slow; cache=loose lets the guest cache the
# read-only host root (host files changed during a run may then be seen late).
p9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o $p9 ctl /ctl || { echo "guest-init: no ctl share" >/dev/console; power_off; }
note "mode $mode, modules $(tr '\n' ' ' </modules/modules.order)"
mount -t 9p -o $p9,cache=loose,ro host /host || abort "cannot mount the host root"
mount -t tmpfs -o mode=755,size=75% upper /upper
mkdir -p /upper/data /upper/work
mount -t overlay -o lowerdir=/host,upperdir=/upper/data,workdir=/upper/work root /newroot \
    || abort "cannot mount the overlay root"
r=/newroot
i=0
while [ ! -e /dev/ptp0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -e /dev/ptp0 ] || note "no /dev/ptp0 after 5 s"
hostname pps2phc-guest
mount -t tmpfs -o mode=755 run $r/run
mkdir -p $r/run/pps2phc-guest
rwdir=$(cat /ctl/rwdir 2>/dev/null)

if [ "$mode" = systemd ]; then
    # The guest is a machine, not the container the host may be: systemd believes /.dockerenv (and then ignores
    # the kernel command line), and a container's policy-rc.d would stop maintainer scripts from starting or
    # stopping services. Deleting them on the overlay hides them from the guest only.
    rm -f $r/.dockerenv $r/usr/sbin/policy-rc.d
    cp -a /ctl/run/. $r/run/
    # a 9p channel mounts once: the ctl share moves into the new root rather than being mounted again
    mount -o move /ctl $r/run/pps2phc-guest
    [ -n "$rwdir" ] && { mkdir -p "$r$rwdir"; mount -t 9p -o $p9 rw "$r$rwdir" || note "cannot mount $rwdir"; }
    mount -o move /dev $r/dev
    umount /proc /sys
    exec switch_root $r /lib/systemd/systemd
fi

mount -t proc proc $r/proc
mount -t sysfs sys $r/sys
mount -t devtmpfs dev $r/dev
mkdir -p $r/dev/pts $r/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts $r/dev/pts
mount -t tmpfs -o mode=1777 shm $r/dev/shm
mount -o bind /ctl $r/run/pps2phc-guest
[ -n "$rwdir" ] && { mkdir -p "$r$rwdir"; mount -t 9p -o $p9 rw "$r$rwdir" || note "cannot mount $rwdir"; }
ip link set lo up
if [ -s /ctl/watchdog ]; then
    (sleep "$(cat /ctl/watchdog)"; note "guest watchdog: powering off"; echo 124 >/ctl/rc; power_off) &
fi
chroot $r /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb PPS2PHC_GUEST=chroot \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash /run/pps2phc-guest/cmd.sh </dev/null >/ctl/stdout 2>/ctl/stderr
echo $? >/ctl/rc.new && mv /ctl/rc.new /ctl/rc
note "done after $(cut -d' ' -f1 /proc/uptime) s of uptime"
umount $r/run/pps2phc-guest
power_off
