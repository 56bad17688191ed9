#!/bin/bash
# Fuzzes the parsers of outside bytes with Jazzer, one target at a time, each for a bounded time.
#
#   scripts/fuzz.sh                      # every target, 5 minutes each
#   scripts/fuzz.sh 2m ConfigFileFuzzTest  # one target (a class name, as -Dtest takes it), 2 minutes
#
# A crash is written into the target's corpus (src/test/resources/.../<Class>Inputs/<method>/crash-...), so that
# `mvn verify` replays it from then on: fix the parser, keep the input (rename it to say what it is). What the
# fuzzer learned on the way (inputs that reach new code) goes to .cifuzz-corpus/, which git ignores. The JVM's heap
# is bounded, so that an allocation without bound is an OutOfMemoryError finding, not a slow machine.
# See docs/testing.md.
set -euo pipefail

cd "$(dirname "$0")/.."
duration="${1:-5m}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(ConfigFileFuzzTest LeapTableFuzzTest CmdmonCodecFuzzTest ManagementCodecFuzzTest NmeaParserFuzzTest
        UbxParserFuzzTest FlatJsonFuzzTest)
fi

status=0
mkdir -p target
for target in "${targets[@]}"; do
    echo "== fuzzing $target for $duration (log: target/fuzz-$target.log)"
    if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="$duration" mvn -B -q test -Dtest="$target" -Dfuzz.jvmArgs=-Xmx512m \
            >"target/fuzz-$target.log" 2>&1; then
        grep -E 'FuzzTestFinding|^== Java Exception' "target/fuzz-$target.log" | head -3 >&2 || true
        echo "== $target: a finding; the input is in its corpus (git status shows it)" >&2
        status=1
    fi
    grep -E '^Done [0-9]+ runs' "target/fuzz-$target.log" || true
done
exit "$status"
