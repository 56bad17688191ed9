#!/usr/bin/env bash
# Regenerates the "Receiver as the time of day" section of docs/benchmarks.md (between its gnss-benchmark markers;
# the rest of the file is left as it is): tod.source=gnss with no chrony, every preset over burst delays from 0 to
# 900 ms (lock time, wrong seconds and edges, false lock), and on cm4-m8t the rms with qErr correction against
# without and against the optimum.
# Usage: scripts/gnss-benchmark.sh [DURATION_S [QERR_DURATION_S [SEEDS]]]   (defaults: 3600 86400 3).
# Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/pps2phc.jar
[ -r "$jar" ] || mvn -B -q -DskipTests package
cmd="scripts/gnss-benchmark.sh${1:+ $1}${2:+ $2}${3:+ $3}"
java -XX:+UseSerialGC -cp "$jar" org.pps2phc.daemon.GnssBenchmark docs/benchmarks.md "$cmd" "${1:-3600}" \
    "${2:-86400}" "${3:-3}"
