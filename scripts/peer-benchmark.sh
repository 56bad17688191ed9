#!/usr/bin/env bash
# Beside the real ts2phc, on the same simulated hardware: Debian's ts2phc (-s generic) and pps2phc, with its
# pi-linuxptp servo and with its default servo, each disciplining its own fake PHC in one simulated world (the
# fake kernel src/test/c/fake_ptp.c: docs/simulator.md's model from one seed and one true-time origin, so all
# three see the same oscillator noise and the same pulse train). ts2phc gets the fake by LD_PRELOAD, pps2phc by
# -Dpps2phc.libc; the fake refuses every write to a real clock. Each fake logs its ground truth (PHC minus true
# TAI at every true second); the metrics come from it and go into docs/benchmarks.md (its peer section).
# A chronyd (-x, local stratum 10, command port 12750 on loopback) is pps2phc's time of day.
#
# Usage: scripts/peer-benchmark.sh [DURATION_S [SEED [PRESET...]]]
#        (defaults: 1800 s, seed 1, presets i210-f9t e810-gpsdo cm4-m8t). Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
duration=${1:-1800}
seed=${2:-1}
shift $(($# > 2 ? 2 : $#))
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(i210-f9t e810-gpsdo cm4-m8t)
cmd="scripts/peer-benchmark.sh $duration $seed ${presets[*]}"
for tool in ts2phc chronyd chronyc gcc java awk; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
        { echo "peer-benchmark.sh: $tool is missing (scripts/install-test-deps.sh installs it)" >&2; exit 69; }
done
export PATH="$PATH:/usr/sbin"
jar=target/pps2phc.jar
[ -r "$jar" ] || mvn -B -q -DskipTests package
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
lib=$work/libfake_ptp.so
gcc -O1 -Wall -Wextra -Werror -shared -fPIC -o "$lib" src/test/c/fake_ptp.c -ldl -lpthread -lm

# The model's keys of each preset (docs/simulator.md, "Presets"); the fake models no glitches and no system clock.
world_of() {
    case "$1" in
    i210-f9t) echo "osc.freq_ppb=23700 osc.rw_ppb_per_sqrt_s=0.02 osc.temp_amp_ppb=20 osc.temp_period_s=1800" \
        "osc.wfm_adev=2e-10 pps.jitter_ns=4 pps.width_ms=100 phc.step_error_ns=4500" ;;
    e810-gpsdo) echo "osc.freq_ppb=-3100 osc.rw_ppb_per_sqrt_s=0.005 osc.temp_amp_ppb=5" \
        "pps.jitter_ns=1" ;;
    cm4-m8t) echo "osc.freq_ppb=12000 osc.rw_ppb_per_sqrt_s=0.05 osc.temp_amp_ppb=50 osc.temp_period_s=600" \
        "pps.jitter_ns=8 pps.sawtooth_ns=21 nic.delivery_ms=1:250 phc.tick_ns=8" ;;
    *) echo "peer-benchmark.sh: unknown preset '$1' (i210-f9t, e810-gpsdo, cm4-m8t)" >&2; return 64 ;;
    esac
}
both_edges() { [ "$1" = i210-f9t ]; }

# chronyd: the time of day pps2phc asks for (the machine's clock, never touched: -x)
cat >"$work/chrony.conf" <<EOF
port 0
cmdport 12750
bindcmdaddress 127.0.0.1
bindcmdaddress /
pidfile $work/chronyd.pid
driftfile $work/chronyd.drift
local stratum 10
EOF
chronyd -x -d -f "$work/chrony.conf" >"$work/chronyd.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do chronyc -h 127.0.0.1 -p 12750 tracking >/dev/null 2>&1 && break; sleep 0.2; done

# One true-time origin for the world: CLOCK_MONOTONIC at a whole TAI second (CLOCK_REALTIME + 37 s) a few
# seconds ahead, read by a little C program so both clocks are read together.
cat >"$work/origin.c" <<'EOF'
#include <stdio.h>
#include <time.h>
int main(void)
{
	struct timespec r1, m, r2;
	clock_gettime(CLOCK_REALTIME, &r1);
	clock_gettime(CLOCK_MONOTONIC, &m);
	clock_gettime(CLOCK_REALTIME, &r2);
	long long real = (r1.tv_sec * 1000000000LL + r1.tv_nsec + r2.tv_sec * 1000000000LL + r2.tv_nsec) / 2;
	long long tai = real + 37000000000LL, second = tai / 1000000000LL + 4;
	printf("origin_mono_ns=%lld origin_tai_s=%lld\n", m.tv_sec * 1000000000LL + m.tv_nsec +
	       (second * 1000000000LL - tai), second);
	return 0;
}
EOF
gcc -O1 -o "$work/origin" "$work/origin.c"

# Metrics of one ground truth (docs/simulator.md, "Metrics", for a run without outages): lock time from the
# first armed pulse (|TE| < 100 ns for the next LOCK_WINDOW s, 300 or a quarter of a shorter run), then rms, p99
# (nearest rank) and max of |TE| from the lock + LOCK_WINDOW to the end.
metrics() {
    local truth=$1 window=$(( duration / 4 < 300 ? duration / 4 : 300 ))
    awk -v D="$duration" -v W="$window" '
        /^# armed/ { if (armed == "") armed = $3; next }
        $1 < D { te[$1] = $2; if ($1 > last) last = $1 }
        END {
            if (armed == "") { print "never armed"; exit }
            for (k = armed; k + W <= last + 1; k++) {
                ok = 1
                for (j = k; j < k + W; j++) if (!(j in te) || te[j] > 100 || te[j] < -100) { ok = 0; k = j; break }
                if (ok) { lock = k; break }
            }
            if (lock == "") { print "never locked"; exit }
            printf "%d", lock - armed
            for (k = lock + W; k <= last; k++) { a = te[k] < 0 ? -te[k] : te[k]; print a > "/dev/stderr" }
        }' "$truth" 2>"$truth.abs" >"$truth.lock"
    local lock; lock=$(cat "$truth.lock")
    sort -g "$truth.abs" | awk -v lock="$lock" '
        { v[NR] = $1; sq += $1 * $1 }
        END {
            if (NR == 0) { printf "| %s | | | |", lock; exit }
            r = int(0.99 * NR); if (r < 0.99 * NR) r++
            printf "| %s | %.2f | %.2f | %.2f |", lock, sqrt(sq / NR), v[r], v[NR]
        }'
}

table=$work/table.md
{
    echo "| preset | program | lock (s) | rms (ns) | p99 (ns) | max (ns) |"
    echo "|---|---|---|---|---|---|"
} >"$table"
for preset in "${presets[@]}"; do
    words=$(world_of "$preset")
    world="seed=$seed $($work/origin) $words"
    width_ns=$(echo "$words" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^pps.width_ms=/) { split($i, a, "="); w = a[2] } }
        END { printf "%d", (w == "" ? 100 : w) * 1000000 }')
    edges=any polarity=rising
    if both_edges "$preset"; then edges=both polarity=both; fi
    dir=$work/$preset
    mkdir -p "$dir"
    run=()

    cat >"$dir/ts2phc.cfg" <<EOF
[global]
use_syslog 0
verbose 1
logging_level 6
ts2phc.pulsewidth $width_ns
[/dev/ptp7]
ts2phc.extts_polarity $polarity
EOF
    FAKE_PTP_DEVICE=/dev/ptp7 FAKE_PTP_EDGES=$edges FAKE_PTP_WORLD="$world" FAKE_PTP_TRUTH=$dir/ts2phc.truth \
        LD_PRELOAD=$lib ts2phc -s generic -f "$dir/ts2phc.cfg" -c /dev/ptp7 >"$dir/ts2phc.log" 2>&1 &
    pids+=($!) run+=($!)

    n=8
    for servo in pi-linuxptp kalman; do
        cat >"$dir/$servo.conf" <<EOF
[global]
status_dir $dir/$servo.status
chrony_address 127.0.0.1:12750
tod_allow_local 1
own_refid none
ntpshm_segment -1
$([ "$servo" = kalman ] || echo "clock_servo $servo")
[/dev/ptp$n]
ts2phc.channel 0
EOF
        FAKE_PTP_DEVICE=/dev/ptp$n FAKE_PTP_EDGES=$edges FAKE_PTP_WORLD="$world" FAKE_PTP_TRUTH=$dir/$servo.truth \
            java -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 -Dpps2phc.libc="$lib" -cp "$jar" \
            org.pps2phc.cli.Main run -f "$dir/$servo.conf" >"$dir/$servo.log" 2>&1 &
        pids+=($!) run+=($!)
        n=$((n + 1))
    done
    echo "peer-benchmark.sh: $preset, $duration s of world (seed $seed): ts2phc and pps2phc (pi-linuxptp, kalman)" >&2
    sleep $((duration + 6))
    for pid in "${run[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${run[@]}"; do wait "$pid" 2>/dev/null || true; done
    for program in ts2phc pi-linuxptp kalman; do
        case $program in ts2phc) name="ts2phc -s generic" ;; *) name="pps2phc $program" ;; esac
        [ -s "$dir/$program.truth" ] || { echo "peer-benchmark.sh: $program left no ground truth:" >&2;
            tail -5 "$dir/$program.log" >&2; exit 70; }
        echo "| $preset | $name $(metrics "$dir/$program.truth")" >>"$table"
    done
    cp "$dir"/*.log "${PEER_BENCHMARK_KEEP:-$work}/" 2>/dev/null || true
done
cat "$table"

# The baseline is linuxptp's only if pps2phc's pi-linuxptp stays within 10 % of the real ts2phc's rms.
baseline=$(awk -F'|' '$3 ~ /ts2phc -s generic/ { t[$2] = $5 } $3 ~ /pi-linuxptp/ { p[$2] = $5 }
    END { for (k in t) if (t[k] + 0 > 0 && p[k] + 0 > 0) {
        r = p[k] / t[k]; printf "%s%s pi-linuxptp/ts2phc rms %.3f%s", sep, k, r, (r < 0.9 || r > 1.1) ? " (OFF)" : ""
        sep = ";" } }' "$table")
echo "peer-benchmark.sh: $baseline" >&2

# docs/benchmarks.md: the peer section, between its markers, replaced (or appended)
section=$work/section.md
{
    echo "<!-- peer-benchmark: written by scripts/peer-benchmark.sh -->"
    echo "## Beside the real ts2phc"
    echo
    echo "\`$cmd\` ($(date -u +%Y-%m-%d), $(ts2phc -v 2>&1 | head -1) from Debian): Debian's ts2phc (\`-s generic\`,"
    echo "\`ts2phc.extts_polarity both\` and \`ts2phc.pulsewidth\` on the i210) and pps2phc with \`clock_servo pi-linuxptp\` and"
    echo "with its default servo, each on its own fake PHC in one simulated world: the fake kernel (src/test/c/fake_ptp.c)"
    echo "re-implements docs/simulator.md's model (oscillator, pulses, tick, delivery) from one seed and one true-time origin,"
    echo "so the three programs see the same noise, and logs each PHC's true error at every true second. Lock: seconds from"
    echo "the first pulse after arming until |TE| stays below 100 ns for 300 s (a quarter of a shorter run); rms, p99 and max"
    echo "of |TE| from then plus that window to the end. The real time of these runs is the world's: a loaded machine delays"
    echo "delivery, never a stamp. One seed, so differences of a few percent are noise."
    echo
    cat "$table"
    echo
    echo "The rms of pps2phc's pi-linuxptp against the real ts2phc's (within 0.9 to 1.1, or the in-process baseline is not"
    echo "linuxptp's; OFF marks one outside):$(echo "$baseline" | sed 's/  */ /g')."
    echo "<!-- /peer-benchmark -->"
} >"$section"
doc=docs/benchmarks.md
if grep -q '^<!-- peer-benchmark' "$doc"; then
    awk -v file="$section" '/^<!-- peer-benchmark/ { while ((getline l < file) > 0) print l; skip = 1; next }
        /^<!-- \/peer-benchmark -->/ { skip = 0; next } !skip' "$doc" >"$work/doc.md"
    cp "$work/doc.md" "$doc"
else
    { echo; cat "$section"; } >>"$doc"
fi
echo "peer-benchmark.sh: docs/benchmarks.md updated" >&2
case $baseline in *OFF*) echo "peer-benchmark.sh: pi-linuxptp is more than 10 % off ts2phc" >&2; exit 1 ;; esac
