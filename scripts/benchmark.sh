#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: every preset of the model in docs/simulator.md, every servo
# (pi-linuxptp, kalman, optimum), seeds 1..3, a full simulated day each; medians and ratios to pi-linuxptp,
# including the claims metrics (falseLockS, recoveryS, boundViolationS).
# Usage: scripts/benchmark.sh [DURATION_S [SEEDS]]   (defaults: 86400 3). Builds the jar if it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/pps2phc.jar
[ -r "$jar" ] || mvn -B -q -DskipTests package
cmd="scripts/benchmark.sh${1:+ $1}${2:+ $2}"
exec java -XX:+UseSerialGC -cp "$jar" org.pps2phc.sim.Benchmark docs/benchmarks.md "$cmd" "${1:-86400}" "${2:-3}"
