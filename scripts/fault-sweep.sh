#!/usr/bin/env bash
# A random sweep of the simulator's faults against the engine (org.pps2phc.daemon.FaultSweep): each case draws a
# preset, a servo, a seed and one to four faults from its number alone, runs in virtual time and is judged on ground
# truth by the claims of docs/simulator.md ("Metrics"). Prints one line per case with the `pps2phc simulate` command
# that reproduces it; exits 1 when a claim broke.
# Usage: scripts/fault-sweep.sh [FIRST [COUNT [DURATION_S]]]   (defaults: 0 200 14000). Builds the jar if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jar=target/pps2phc.jar
[ -r "$jar" ] || mvn -B -q -DskipTests package
exec java -XX:+UseSerialGC -cp "$jar" org.pps2phc.daemon.FaultSweep "${1:-0}" "${2:-200}" "${3:-14000}"
