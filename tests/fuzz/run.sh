#!/bin/bash
# run.sh [SECONDS] [BUILDDIR]: configures a clang build with AddressSanitizer
# and UndefinedBehaviorSanitizer (default /tmp/rh-fuzz-build), builds the
# harnesses and runs each for SECONDS (default 300), one after the other.
# Crashing inputs are left in the current directory; the final statistics
# (stat::number_of_executed_units) are printed per harness.
set -euo pipefail
secs=${1:-300}
build=${2:-/tmp/rh-fuzz-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
here=$src/tests/fuzz

if [ ! -f "$build/build.ninja" ]; then
        CC=clang meson setup "$build" "$src" -Db_sanitize=address,undefined -Db_lundef=false
fi
ninja -C "$build" tests/fuzz/fuzz_spec tests/fuzz/fuzz_eval tests/fuzz/fuzz_fix

status=0
for h in spec eval fix; do
        echo "== fuzz_$h: $secs s"
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                bash "$here/fuzz-one.sh" "$build/tests/fuzz/fuzz_$h" "$here/corpus" "$secs" || status=1
done
exit $status
