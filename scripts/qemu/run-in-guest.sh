#!/usr/bin/env bash
# Runs a bash command in a QEMU guest (TCG, no KVM needed) whose kernel drives an emulated Intel e1000e NIC, so
# that /dev/ptp0 is a real kernel PHC (82574L: no external timestamps, no pins, a clock that does not tick).
#
#   scripts/qemu/run-in-guest.sh [-s] [-t SECONDS] [-w DIR] [-k] [-v] [--] COMMAND
#
# The guest's root is the host's / (read-only over 9p) under a tmpfs overlay: every host path works and is
# writable, and every write is gone at power-off, except in DIR (-w), which is shared read-write at its own
# path. COMMAND runs as root in the caller's working directory, with a clean environment.
#   (default)  chroot: a busybox init runs COMMAND in a chroot of that root (ready in about 3 s).
#   -s         systemd: the host's systemd boots as PID 1 (journald, udev, D-Bus), COMMAND runs from a unit once
#              the boot has finished, and the guest powers off after it (about 20 s more). Needs udev installed.
# COMMAND's stdout and stderr are printed when the guest is off; the exit status is COMMAND's, 124 on a timeout
# (-t, default 120 s, boot and power-off included), 125 when the guest failed before COMMAND ended, 2 on misuse.
# -k keeps the run directory (console.log, init.log), -v prints them. The guest is built by build-guest.sh into
# $PPS2PHC_QEMU_CACHE (/var/cache/pps2phc-qemu); this script runs it first (a no-op when up to date).
# qemu never outlives this script: a timeout or a signal stops it by its PID, a SIGKILL of this script kills it
# (pdeathsig), and the guest powers itself off 5 s after the timeout.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PPS2PHC_QEMU_CACHE:-/var/cache/pps2phc-qemu}
mode=chroot timeout=120 rwdir= keep=0 verbose=0
usage() { sed -n '4,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while getopts 'st:w:kvh' opt; do
    case $opt in
        s) mode=systemd ;;
        t) timeout=$OPTARG ;;
        w) rwdir=$(cd "$OPTARG" 2>/dev/null && pwd) || { echo "run-in-guest: -w $OPTARG: no such directory" >&2; exit 2; } ;;
        k) keep=1 ;;
        v) verbose=1 ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
[[ $timeout =~ ^[1-9][0-9]*$ ]] || { echo "run-in-guest: -t $timeout: not a number of seconds" >&2; exit 2; }

"$here/build-guest.sh" >&2 || { echo "run-in-guest: build-guest.sh failed" >&2; exit 125; }
kernel=$cache/current
qemu=$(command -v qemu-system-x86_64) || { echo "run-in-guest: qemu-system-x86_64 is missing" >&2; exit 125; }

run=$(mktemp -d "${TMPDIR:-/tmp}/pps2phc-guest.XXXXXX") || exit 125
chmod 755 "$run"
{
    printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
    printf '%s\n' "$*"
} >"$run/cmd.sh"
[ -n "$rwdir" ] && echo "$rwdir" >"$run/rwdir"
echo $((timeout + 5)) >"$run/watchdog"
share=(-virtfs "local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap"
       -virtfs "local,path=$run,mount_tag=ctl,security_model=none,multidevs=remap")
[ -n "$rwdir" ] && share+=(-virtfs "local,path=${rwdir//,/,,},mount_tag=rw,security_model=none,multidevs=remap")
cmdline="console=ttyS0 panic=-1 quiet loglevel=3 mitigations=off pps2phc.guest=$mode"

if [ "$mode" = systemd ]; then
    # Units and settings the guest's init copies into /run before systemd starts.
    units=$run/run/systemd/system
    mkdir -p "$units" "$run/run/tmpfiles.d" "$run/run/systemd/journald.conf.d"
    cat >"$units/pps2phc-guest-run.service" <<'UNIT'
[Unit]
Description=Run the command of run-in-guest.sh, then power off
After=multi-user.target
SuccessAction=poweroff
FailureAction=poweroff

[Service]
# Not oneshot: a oneshot's start job would keep the boot from ever finishing.
Type=exec
Environment=HOME=/root LANG=C.UTF-8 TERM=dumb PPS2PHC_GUEST=systemd
Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ExecStart=/bin/bash /run/pps2phc-guest/runner.sh
UNIT
    cat >"$run/runner.sh" <<'RUNNER'
cd /run/pps2phc-guest || exit 1
timeout 150 systemctl is-system-running --wait >boot-state 2>&1
cut -d' ' -f1 /proc/uptime >boot-uptime
systemctl --failed --no-legend --plain >failed-units 2>&1
bash cmd.sh </dev/null >stdout 2>stderr
echo $? >rc.new && mv rc.new rc
RUNNER
    cat >"$units/pps2phc-guest-watchdog.timer" <<UNIT
[Unit]
Description=Power the guest off when run-in-guest.sh's time is up

[Timer]
OnBootSec=$((timeout + 5))s
AccuracySec=1s
UNIT
    cat >"$units/pps2phc-guest-watchdog.service" <<'UNIT'
[Unit]
Description=Power the guest off when run-in-guest.sh's time is up
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo 124 >/run/pps2phc-guest/rc'
UNIT
    # The shipped tmp.conf would empty /tmp, which is the host's /tmp in the overlay (checkouts may live there).
    : >"$run/run/tmpfiles.d/tmp.conf"
    printf '[Journal]\nStorage=volatile\nForwardToConsole=no\n' >"$run/run/systemd/journald.conf.d/guest.conf"
    # systemd.* arguments reach systemd because the guest is no container (guest-init.sh hides /.dockerenv).
    # net.ifnames=0 keeps the NIC eth0. The masks keep the host's services, timers and gettys from starting.
    cmdline+=" systemd.unit=multi-user.target systemd.wants=pps2phc-guest-run.service"
    cmdline+=" systemd.wants=pps2phc-guest-watchdog.timer net.ifnames=0 systemd.firstboot=off"
    for unit in getty.target chrony.service systemd-timesyncd.service postgresql.service prometheus.service \
        e2scrub_reap.service systemd-pstore.service gpsd.socket apt-daily.timer apt-daily-upgrade.timer \
        dpkg-db-backup.timer e2scrub_all.timer fstrim.timer man-db.timer systemd-tmpfiles-clean.timer; do
        cmdline+=" systemd.mask=$unit"
    done
fi

qpid=
stop_qemu() {   # the qemu this script started, by its PID: TERM, then KILL after 2 s
    [ -n "$qpid" ] || return 0
    kill -TERM "$qpid" 2>/dev/null || return 0
    for _ in $(seq 20); do kill -0 "$qpid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$qpid" 2>/dev/null
}
finish() {
    stop_qemu
    [ -n "$qpid" ] && wait "$qpid" 2>/dev/null
    if [ "$keep" = 1 ]; then echo "run-in-guest: run directory kept: $run" >&2; else rm -rf "$run"; fi
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

started=$(date +%s.%N)
# qemu64, not max: under TCG, max offers the AVX family that QEMU 7.2 emulates for the first time, and a JVM in the
# guest once died of SIGILL in JIT-compiled code there; the JVM needs no more than SSE2.
setpriv --pdeathsig KILL -- "$qemu" -machine pc,accel=tcg -cpu "${PPS2PHC_QEMU_CPU:-qemu64}" -m "${PPS2PHC_QEMU_MEM:-1536}" -smp 2 \
    -nodefaults -no-user-config -display none -no-reboot -monitor none \
    -kernel "$kernel/vmlinuz" -initrd "$kernel/initrd.gz" -append "$cmdline" \
    -serial "file:$run/console.log" \
    -netdev user,id=net0,restrict=on -device e1000e,netdev=net0 \
    "${share[@]}" </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
deadline=$(($(date +%s) + timeout))
timed_out=0
while kill -0 "$qpid" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || { timed_out=1; stop_qemu; break; }
    sleep 0.2
done
wait "$qpid"
qemu_rc=$?
qpid=

cat "$run/stdout" 2>/dev/null
cat "$run/stderr" >&2 2>/dev/null
wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
boot=$(cat "$run/boot-uptime" 2>/dev/null)
if [ "$verbose" = 1 ]; then
    { echo "--- console"; cat "$run/console.log"; echo "--- init.log"; cat "$run/init.log"
      echo "--- qemu"; cat "$run/qemu.log"; } >&2 2>/dev/null
fi
echo "run-in-guest: $mode guest, ${wall} s wall${boot:+, booted at ${boot} s of uptime ($(cat "$run/boot-state" 2>/dev/null))}" >&2
[ -s "$run/failed-units" ] && echo "run-in-guest: failed units in the guest: $(tr '\n' ' ' <"$run/failed-units")" >&2
if [ "$timed_out" = 1 ]; then
    echo "run-in-guest: timed out after $timeout s; the console's last lines:" >&2
    tail -n 20 "$run/console.log" >&2
    exit 124
fi
if [ ! -s "$run/rc" ]; then
    echo "run-in-guest: the guest ended (qemu exit $qemu_rc) before the command did:" >&2
    tail -n 30 "$run/console.log" >&2
    cat "$run/init.log" "$run/qemu.log" >&2 2>/dev/null
    exit 125
fi
exit "$(cat "$run/rc")"
