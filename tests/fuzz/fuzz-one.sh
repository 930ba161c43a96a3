#!/bin/bash
# fuzz-one.sh HARNESS SEEDS SECONDS [LIBFUZZER FLAGS...]: one bounded
# libFuzzer run. New inputs go to a scratch directory, never into the seed
# corpus in the source tree; a crashing input is kept in the current
# directory (crash-*, leak-*, timeout-*) for the report. Exit 0 when the run
# found nothing.
set -euo pipefail
harness=$1 seeds=$2 secs=$3
shift 3
work=$(mktemp -d /tmp/rh-fuzz.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
# The engine-written specs of tests/data/corpus (or $RH_CORPUS) seed it too;
# they are read, never copied into the fuzzer's own corpus directory.
corpus=${RH_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/tests/data/corpus}
extra=()
for d in "$corpus/docker" "$corpus/podman"; do
        [ -d "$d" ] && extra+=("$d")
done
# Seeds are ~10 KiB specs; fuzzed inputs up to 64 KiB reach the size checks.
"$harness" -max_total_time="$secs" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$@" "$work" "$seeds" "${extra[@]}"
