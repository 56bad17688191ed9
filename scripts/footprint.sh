#!/bin/bash
# The footprint of `pps2phc run` on the fake-kernel device path (a simulated PHC with a ticking 1 PPS, chronyd's
# free-running 'local' reference as the time of day, NTP SHM output, default logging), measured back to back for
# the launcher's JVM options and for the old ones, since the machine may be shared and absolute figures move.
#
#   scripts/footprint.sh [DURATION_S [NAME=OPTIONS]...]
#
# The launcher runs as under systemd from the second start on: with its class-data archive (src/main/sh/pps2phc)
# built beforehand in a cache directory. DURATION_S per variant defaults to 600. Each NAME=OPTIONS adds a variant: the launcher with OPTIONS appended (they
# override its own), e.g. 'c2=-XX:TieredStopAtLevel=4' to see what one option buys. Needs `mvn package` first, gcc,
# chronyd, python3 and the JDK's jstat.
#
# FOOTPRINT_WARM_S sets the start left out of CPU, wakeups and allocation (default 60 s, or the first fifth of a
# shorter run): the JIT compiler's warm-up lasts longer (docs/design.md, "Footprint"). FOOTPRINT_PORT (chronyd's
# command port, default 12700) and FOOTPRINT_SHM_UNIT (default 100) let two runs share the machine.
# FOOTPRINT_OLD=0 skips the old options' run (the ratios are then to the launcher's), for quicker iterations on a
# variant. FOOTPRINT_BEFORE=DIR (a build's target directory, with its pps2phc and pps2phc.jar) runs that build's
# launcher first instead, as "before": the baseline of a change in the code.
#
# Per variant: READY (sd_notify READY=1, from the process's start), VmRSS at the end and its median over the
# second half of the run, VmHWM, CPU (utime+stime from /proc/PID/stat) over the steady part (after the warm-up
# above), threads, and bytes allocated per pulse in steady state, from the JVM's own eden counter (jstat, which
# reads the hsperfdata file without attaching): the sum of eden growth over sampling intervals that saw no
# collection, divided by the pulses those intervals saw.
set -euo pipefail

duration=${1:-600}
shift $(( $# > 0 ? 1 : 0 ))
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/target/pps2phc.jar
launcher=$root/target/pps2phc
[ -r "$jar" ] && [ -x "$launcher" ] || { echo "footprint.sh: run 'mvn -o package -DskipTests' first" >&2; exit 66; }
command -v jstat >/dev/null || { echo "footprint.sh: jstat (the JDK's) is missing" >&2; exit 69; }
java=${JAVA:-java}
# chronyd's command port and the NTP SHM unit fed (two runs at once need their own)
port=${FOOTPRINT_PORT:-12700}
shm_unit=${FOOTPRINT_SHM_UNIT:-100}

# the options of the launcher before the footprint work (issue 14), the baseline of every ratio
OLD_OPTS="-Xms32m -Xmx96m -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError -Djna.nosys=true"

work=$(mktemp -d /tmp/pps2phc-footprint.XXXXXX)
chrony_pid=
daemon_pid=
notify_pid=
cleanup() {
    [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
    [ -n "$notify_pid" ] && kill "$notify_pid" 2>/dev/null || true
    [ -n "$chrony_pid" ] && kill "$chrony_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

shim=$work/libfake_ptp.so
gcc -O1 -Wall -shared -fPIC -o "$shim" "$root/src/test/c/fake_ptp.c" -ldl -lpthread

# The launcher's class-data archive, built where systemd's CacheDirectory= would hold it, as the service has it
# from its second start on (a launcher without the cds-archive command ignores the directory).
# cds_cache LAUNCHER DIR: prints DIR, with the archive of LAUNCHER's jar built in it
cds_cache() {
    mkdir -p "$2"
    if grep -q 'cds-archive)' "$1"; then CACHE_DIRECTORY=$2 "$1" cds-archive >&2; fi
    echo "$2"
}

cat >"$work/chrony.conf" <<EOF
cmdport $port
bindcmdaddress 127.0.0.1
bindcmdaddress /
port 0
pidfile $work/chronyd.pid
driftfile $work/chronyd.drift
local stratum 10
EOF
if [ "$(id -u)" = 0 ]; then chrony_user=(-u root); else chrony_user=(-U -u "$(id -un)"); fi
/usr/sbin/chronyd -x -d -f "$work/chrony.conf" "${chrony_user[@]}" >"$work/chronyd.log" 2>&1 &
chrony_pid=$!
sleep 1

cat >"$work/pps2phc.conf" <<EOF
[global]
status_dir $work/status
chrony_address 127.0.0.1:$port
tod_allow_local 1
own_refid none
ntpshm_segment $shm_unit
[/dev/ptp42]
ts2phc.channel 0
EOF

# Receives sd_notify datagrams on an abstract socket and prints the monotonic time of the first READY=1; keeps
# receiving, as systemd does, so that the daemon's later STATUS= and WATCHDOG=1 find the socket.
cat >"$work/notify.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + sys.argv[1])
print("bound", flush=True)
ready = False
while True:
    if s.recv(4096).split(b"\n").count(b"READY=1") and not ready:
        print("%.6f" % time.monotonic(), flush=True)
        ready = True
EOF

clk_tck=$(getconf CLK_TCK)
# "TID NAME SWITCHES TICKS" per thread: context switches (voluntary and not, about one per wakeup of an idle
# thread) and CPU (utime+stime)
thread_switches() {
    local task
    for task in /proc/"$1"/task/*; do
        # (a thread may end between the listing and the reading: it is left out)
        awk -v tid="${task##*/}" -v name="$(tr ' ' _ <"$task/comm" 2>/dev/null)" \
            -v ticks="$(cut -d ')' -f 2 "$task/stat" 2>/dev/null | awk '{print $12 + $13}')" \
            '/^(non)?voluntary_ctxt_switches:/ {n += $2} END {print tid, name, n, ticks}' "$task/status" 2>/dev/null || true
    done
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
status_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
now() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }

# run NAME COMMAND...: one measured run; appends a line of figures to $work/results
run() {
    local name=$1; shift
    local sock=pps2phc-footprint-$$-$name
    python3 "$work/notify.py" "$sock" >"$work/$name.ready" &
    notify_pid=$!
    until grep -q bound "$work/$name.ready" 2>/dev/null; do sleep 0.05; done
    local start; start=$(now)
    NOTIFY_SOCKET=@$sock FAKE_PTP_DEVICE=/dev/ptp42 FAKE_PTP_PPS_WIDTH_NS=100000000 FAKE_PTP_DRIFT_PPB=20000 \
        FAKE_PTP_PHC_OFFSET_NS=37300000000 JOURNAL_STREAM=8:4242 "$@" >"$work/$name.out" 2>"$work/$name.err" &
    daemon_pid=$!
    local warm=${FOOTPRINT_WARM_S:-$(( duration / 5 < 60 ? duration / 5 : 60 ))}
    local t=0 ticks0= rss_samples=() alloc=0 alloc_s=0 last_eu= last_ygc= last_t=
    while [ "$t" -lt "$duration" ]; do
        sleep 5
        t=$(( t + 5 ))
        kill -0 "$daemon_pid" 2>/dev/null || { echo "footprint.sh: $name exited early:" >&2; cat "$work/$name.err" >&2; exit 70; }
        if [ "$t" -ge "$warm" ] && [ -z "$ticks0" ]; then
            ticks0=$(cpu_ticks "$daemon_pid"); t0=$(now)
            thread_switches "$daemon_pid" >"$work/$name.switches0"
        fi
        [ "$t" -gt $(( duration / 2 )) ] && rss_samples+=("$(status_kb "$daemon_pid" VmRSS)")
        if [ "$t" -gt "$warm" ]; then
            # S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC ...
            # (nothing with -XX:-UsePerfData: then bytes per pulse stay unknown, -1)
            eu= ygc=
            read -r eu ygc < <(jstat -gc "$daemon_pid" 2>/dev/null | awk 'NR == 2 {print $6, $13}') || true
            local tm; tm=$(now)
            if [ -n "$eu" ] && [ -n "$last_eu" ] && [ "$ygc" = "$last_ygc" ]; then
                alloc=$(awk -v a="$alloc" -v e="$eu" -v l="$last_eu" 'BEGIN {print a + (e - l) * 1024}')
                alloc_s=$(awk -v a="$alloc_s" -v n="$tm" -v l="$last_t" 'BEGIN {print a + n - l}')
            fi
            last_eu=$eu; last_ygc=$ygc; last_t=$tm
        fi
    done
    local ticks1; ticks1=$(cpu_ticks "$daemon_pid"); local t1; t1=$(now)
    thread_switches "$daemon_pid" >"$work/$name.switches1"
    # wakeups a second and CPU of each thread over the steady part, busiest first
    awk -v name="$name" -v hz="$clk_tck" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
        'NR == FNR {n0[$1] = $3; c0[$1] = $4; next}
         {w = ($3 - n0[$1]) / s; c = 100 * ($4 - c0[$1]) / hz / s
          if (w >= 0.05 || c >= 0.005) printf "%s %s %.2f %.3f\n", name, $2, w, c}' \
        "$work/$name.switches0" "$work/$name.switches1" | sort -k4,4nr -k3,3nr >>"$work/wakeups"
    local rss; rss=$(status_kb "$daemon_pid" VmRSS)
    local hwm; hwm=$(status_kb "$daemon_pid" VmHWM)
    local threads; threads=$(status_kb "$daemon_pid" Threads)
    local median; median=$(printf '%s\n' "${rss_samples[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    local ready; ready=$(tail -n 1 "$work/$name.ready")
    kill "$daemon_pid"; wait "$daemon_pid" || true; daemon_pid=
    kill "$notify_pid" 2>/dev/null || true
    grep -q '<5>started on /dev/ptp42' "$work/$name.err" || { echo "footprint.sh: $name never armed:" >&2; cat "$work/$name.err" >&2; exit 70; }
    grep -q 'locked' "$work/$name.err" || { echo "footprint.sh: $name never locked:" >&2; cat "$work/$name.err" >&2; exit 70; }
    awk -v n="$name" -v r="$ready" -v s="$start" -v rss="$rss" -v med="$median" -v hwm="$hwm" -v th="$threads" \
        -v c0="$ticks0" -v c1="$ticks1" -v w0="$t0" -v w1="$t1" -v hz="$clk_tck" -v a="$alloc" -v as="$alloc_s" \
        'BEGIN {printf "%s %.2f %.1f %.1f %.1f %d %.3f %.0f\n", n, (r == "" ? -1 : r - s), rss / 1024, med / 1024,
                hwm / 1024, th, 100 * (c1 - c0) / hz / (w1 - w0), (as > 0 ? a / as : -1)}' >>"$work/results"
}

if [ -n "${FOOTPRINT_BEFORE:-}" ]; then
    [ -x "$FOOTPRINT_BEFORE/pps2phc" ] && [ -r "$FOOTPRINT_BEFORE/pps2phc.jar" ] \
        || { echo "footprint.sh: FOOTPRINT_BEFORE=$FOOTPRINT_BEFORE has no pps2phc and pps2phc.jar" >&2; exit 66; }
    CACHE_DIRECTORY=$(cds_cache "$FOOTPRINT_BEFORE/pps2phc" "$work/cache-before") \
        PPS2PHC_JAVA_OPTS="${PPS2PHC_JAVA_OPTS:-} -Dpps2phc.libc=$shim" run before "$FOOTPRINT_BEFORE/pps2phc" run \
        -f "$work/pps2phc.conf"
elif [ "${FOOTPRINT_OLD:-1}" != 0 ]; then
    run old "$java" $OLD_OPTS "-Dpps2phc.libc=$shim" -jar "$jar" run -f "$work/pps2phc.conf"
fi
CACHE_DIRECTORY=$(cds_cache "$launcher" "$work/cache")
export CACHE_DIRECTORY
PPS2PHC_JAVA_OPTS="${PPS2PHC_JAVA_OPTS:-} -Dpps2phc.libc=$shim" run launcher "$launcher" run -f "$work/pps2phc.conf"
for variant in "$@"; do
    # words of the form VAR=value (MALLOC_ARENA_MAX=8) go to the environment, the others to the JVM
    opts= envs=()
    for word in ${variant#*=}; do
        case $word in [A-Z]*=*) envs+=("$word") ;; *) opts="$opts $word" ;; esac
    done
    PPS2PHC_JAVA_OPTS="${PPS2PHC_JAVA_OPTS:-}$opts -Dpps2phc.libc=$shim" run "${variant%%=*}" env "${envs[@]}" \
        "$launcher" run -f "$work/pps2phc.conf"
done

echo "pps2phc footprint, $duration s per variant ($("$java" -version 2>&1 | sed -n 2p), $(nproc) CPUs)"
echo
echo "| variant | READY s | VmRSS MB (end) | VmRSS MB (median, 2nd half) | VmHWM MB | threads | CPU % of a core | bytes allocated per pulse |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
awk 'function cell(v, o, f) { return sprintf(f, v) (NR > 1 && o > 0 ? sprintf(" (%.2f×)", v / o) : "") }
     NR == 1 {for (i = 2; i <= 8; i++) o[i] = $i}
     {printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, cell($2, o[2], "%.2f"), cell($3, o[3], "%.1f"),
             cell($4, o[4], "%.1f"), cell($5, o[5], "%.1f"), cell($6, o[6], "%d"), cell($7, o[7], "%.3f"),
             cell($8, o[8], "%.0f")}' "$work/results"
echo
echo "Per thread over the steady part: wakeups a second (context switches) and CPU % of a core (utime+stime;"
echo "threads under 0.05 wakeups and 0.005 % left out):"
echo
echo "| variant | thread | wakeups/s | CPU % |"
echo "|---|---|---:|---:|"
awk '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$work/wakeups"
