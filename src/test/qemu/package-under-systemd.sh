#!/bin/bash
# Runs in the systemd guest (scripts/qemu/run-in-guest.sh -s), as root, in the checkout: installs
# target/pps2phc_*.deb and takes the service through what a user does with it, with a real PID 1, journald and
# udev. Each step leaves NAME.rc (its exit status) and NAME.out (its output) in the directory $1, and steps.log says
# when each ran; SystemdGuestIT asserts on them. This script asserts nothing itself; a wait that runs out goes on
# to the next step, whose record then shows what the service was doing.
set -u
out=$1
conf=/etc/pps2phc/pps2phc.conf
dropins=/etc/systemd/system/pps2phc.service.d

step() {   # step NAME COMMAND...: runs COMMAND, keeps its status and output
    local name=$1
    shift
    echo "$(cut -d' ' -f1 /proc/uptime) $name" >>"$out/steps.log"
    "$@" >"$out/$name.out" 2>&1
    echo $? >"$out/$name.rc"
}
prop() { systemctl show pps2phc -p "$1" --value; }
props() { systemctl show pps2phc -p ActiveState -p SubState -p Result -p ExecMainStatus -p NRestarts -p MainPID; }
# A point in the journal, as a time: journalctl --after-cursor with a filter the cursor's entry does not pass
# skips the first entry that does.
mark() { date +%s.%6N; }
since() { journalctl -u pps2phc --no-pager -o cat --since "@$1" "${@:2}"; }
daemon_lines() { journalctl -t pps2phc --no-pager -o cat --since "@$1" "${@:2}"; }   # not systemd's
wait_until() {   # wait_until SECONDS COMMAND...: until COMMAND succeeds, for at most SECONDS
    local end=$(($(date +%s) + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.5
    done
}
running_again() { [ "$(prop ActiveState)" = active ] && [ "$(prop MainPID)" != "$1" ] && [ "$(prop MainPID)" != 0 ]; }
# Longer than the unit's RestartSec: a restart that systemd would make has been made by then.
past_restart_delay() { sleep $(($(systemd-analyze timespan "$(prop RestartUSec)" | awk '/μs:/ { print $2 }') / 1000000 + 3)); }
signal_and_wait() {   # signal_and_wait NAME SIGNAL: signals the daemon, records how systemd brought it back
    local pid restarts c
    pid=$(prop MainPID)
    restarts=$(prop NRestarts)
    c=$(mark)
    kill -"$2" "$pid"
    wait_until 120 running_again "$pid"
    step "$1" echo "$pid $restarts $(prop MainPID) $(prop NRestarts) $(prop ActiveState)"
    step "$1-journal" since "$c"
}
dropin() { mkdir -p "$dropins" && printf '[Service]\n%s\n' "$2" >"$dropins/$1.conf" && systemctl daemon-reload; }

# ---- the package, as a user installs it
# Not the package's concern, but slow over 9p: man-db's trigger would rebuild the whole man index.
rm -f /var/lib/man-db/auto-update
step install apt-get install -y --no-install-recommends "$(ls "$PWD"/target/pps2phc_*_all.deb | tail -n 1)"
udevadm settle
# The JVM under TCG starts about ten times slower than on hardware; on a loaded machine a start can outlast the
# unit's TimeoutStartSec. A longer one keeps the test about behaviour, not speed (no hardening directive changes).
dropin tcg 'TimeoutStartSec=180'
step user getent passwd pps2phc
step ptp-group stat -c '%G %a' /dev/ptp0
step unit systemctl show pps2phc -p LoadState -p FragmentPath -p UnitFileState
step conffile dpkg-query -W -f='${Conffiles}\n' pps2phc
step after-install props

# ---- the shipped config pointed at the guest's e1000e PHC, which has no external-timestamp channel
sed -i -E '/^\[global\]/!s|^\[[^]]+\]|[/dev/ptp0]|' "$conf"
step real-config grep -n '^\[' "$conf"
c=$(mark)
step real-enable-now systemctl enable --now pps2phc
past_restart_delay
step real-state props
step real-errors daemon_lines "$c" -p err
step real-journal since "$c"
systemctl reset-failed pps2phc

# ---- the simulated world: a drop-in replaces ExecStart and nothing else
dropin simulate $'ExecStart=\nExecStart=/usr/bin/pps2phc run --simulate --scenario i210-f9t'
c=$(mark)
step sim-start systemctl start pps2phc
step sim-active props
wait_until 240 sh -c "journalctl -t pps2phc -o cat --since '@$c' | grep -q -- '-> locked'"
# the Status: line follows the state within a second (the daemon tells systemd once a second)
wait_until 10 sh -c "systemctl status pps2phc --no-pager --lines 0 | grep -q 'Status: \"locked'"
step sim-status systemctl status pps2phc --no-pager --lines 0
step sim-story since "$c" -p notice

pid=$(prop MainPID)
c=$(mark)
sed -i -E 's/^message_tag .*//' "$conf"
sed -i -E 's/^\[global\]/[global]\nmessage_tag reloaded-tag/' "$conf"
step reload systemctl reload pps2phc
wait_until 30 sh -c "journalctl -t pps2phc -o cat --since '@$c' | grep -q '^reloaded-tag'"
step reload-journal daemon_lines "$c"
step reload-pid echo "$pid $(prop MainPID) $(prop ActiveState)"

cp "$conf" "$conf.good"
echo 'this line is no key' >>"$conf"
c=$(mark)
step reload-broken systemctl reload pps2phc
step reload-broken-journal since "$c"
step reload-broken-pid echo "$pid $(prop MainPID) $(prop ActiveState)"
mv "$conf.good" "$conf"

signal_and_wait kill9 KILL

# ---- the watchdog, shortened, against a process that is stopped
dropin watchdog 'WatchdogSec=6'
systemctl restart pps2phc
signal_and_wait watchdog STOP
rm "$dropins/watchdog.conf"
systemctl daemon-reload

# ---- a typo in the config: 78, and no restart loop
cp "$conf" "$conf.good"
sed -i -E 's/^summary_interval /summary_intervall /' "$conf"
restarts=$(prop NRestarts)
c=$(mark)
step typo-restart systemctl restart pps2phc
past_restart_delay
step typo-state echo "$restarts $(prop NRestarts) $(prop ActiveState) $(prop Result) $(prop ExecMainStatus)"
step typo-errors daemon_lines "$c" -p err
mv "$conf.good" "$conf"
systemctl reset-failed pps2phc

# ---- a clean stop, and the unit's exposure with the drop-in in place
systemctl start pps2phc
c=$(mark)
step stop systemctl stop pps2phc
step stop-state props
step stop-processes pgrep -u pps2phc -a
step stop-journal since "$c"
step security systemd-analyze security pps2phc --no-pager

# ---- two instances of the template side by side: each its own config, runtime directory, status file and SHM
# unit; one drop-in for the template selects the simulated world, fed into each instance's own SHM unit
tdropins=/etc/systemd/system/pps2phc@.service.d
instances="gm-a gm-b"
unit=1
for i in $instances; do
    printf '[global]\nstatus_dir /run/pps2phc-%s\nntpshm_segment %d\n' "$i" "$unit" >"/etc/pps2phc/$i.conf"
    unit=$((unit + 1))
done
mkdir -p "$tdropins"
printf '[Service]\nTimeoutStartSec=180\nExecStart=\nExecStart=%s\n' \
    '/usr/bin/pps2phc run --simulate --scenario i210-f9t --feed ntpshm -f /etc/pps2phc/%i.conf' >"$tdropins/simulate.conf"
systemctl daemon-reload
iprops() { systemctl show "pps2phc@$1" -p ActiveState -p SubState -p Result -p MainPID; }
c=$(mark)
# both at once: Type=notify, so this returns when both sent READY
step inst-start systemctl start pps2phc@gm-a pps2phc@gm-b
for i in $instances; do
    step "$i-active" iprops "$i"
    step "$i-status" systemctl status "pps2phc@$i" --no-pager --lines 0
    step "$i-cli" pps2phc status --instance "$i"
done
# read after both ran a while: neither file was overwritten by the other
for i in $instances; do
    step "$i-file" cat "/run/pps2phc-$i/status.json"
done
step inst-stop systemctl stop pps2phc@gm-a pps2phc@gm-b
for i in $instances; do
    step "$i-stopped" iprops "$i"
    step "$i-rundir" ls -d "/run/pps2phc-$i"
    step "$i-journal" journalctl -u "pps2phc@$i" --no-pager -o cat --since "@$c"
done

# ---- removal while it runs (the main unit and an instance), then purge
systemctl start pps2phc pps2phc@gm-a
rm -r "$dropins" "$tdropins"
systemctl daemon-reload
step remove-running props
step remove-running-instance iprops gm-a
step remove dpkg -r pps2phc
step removed-unit systemctl show pps2phc -p LoadState -p ActiveState
step removed-unit-file sh -c 'ls /lib/systemd/system/pps2phc.service /usr/lib/systemd/system/pps2phc.service 2>/dev/null'
step removed-processes pgrep -u pps2phc -a
step removed-instance systemctl show pps2phc@gm-a -p ActiveState
step removed-conf ls "$conf"
step purge dpkg -P pps2phc
step purged-conf ls -d /etc/pps2phc
step purged-unit systemctl show pps2phc -p LoadState -p ActiveState
step journal journalctl -t pps2phc --no-pager -o json --output-fields=PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_SYSTEMD_UNIT,UNIT
echo "$(cut -d' ' -f1 /proc/uptime) end" >>"$out/steps.log"
