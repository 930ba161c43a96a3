#!/bin/bash
# The whole test suite, as CI runs it (.ci/run calls this script):
#   1. build-ci/: a -Dwerror=true build; the unit, integration and
#      robustness suites (they drive the built binary in front of real runc
#      and crun, so they need root); then the engine suite against dockerd,
#      containerd and podman (started here unless already running);
#   2. build-ci-sanitize/: an AddressSanitizer + UndefinedBehaviorSanitizer
#      build; the unit suite;
#   3. build-ci-fuzz/: a clang build; each libFuzzer harness for 20 s.
# Build directories are reused when they exist. Dependencies: see
# tests/install-deps.sh (or .ci/run, which installs them).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-ci
sanitize=$src/build-ci-sanitize

if [ "$(id -u)" != 0 ]; then
        echo "run-all.sh: the integration suite starts containers with runc: run as root" >&2
        exit 2
fi

# mtest BUILDDIR ARGS...: meson test, counting what passed for the closing
# line (meson's own summary is per run).
passed=0 failed=0 skipped=0
mtest() {
        local out rc=0
        out=$(mktemp)
        meson test -C "$@" | tee "$out" || rc=$?
        passed=$((passed + $(awk '/^Ok:/ {print $2}' "$out") + 0))
        failed=$((failed + $(awk '/^Fail:/ {print $2}' "$out") + 0))
        skipped=$((skipped + $(awk '/^Skipped:/ {print $2}' "$out") + 0))
        rm -f "$out"
        return $rc
}

# setup DIR OPTION...: configure DIR, or reconfigure it when it exists.
setup() {
        local dir=$1
        shift
        if [ -f "$dir/meson-private/coredata.dat" ]; then
                meson configure "$dir" "$@"
        else
                meson setup "$dir" "$src" "$@"
        fi
}

echo "== build (-Dwerror=true)"
setup "$build" -Dwerror=true
ninja -C "$build"

echo "== unit, integration and robustness suites"
mtest "$build" --print-errorlogs --suite unit --suite integration --suite robustness

# The engine suite drives real dockerd, containerd and podman. .ci/run
# starts the daemons; when nobody did, this script starts them and stops
# them again at the end.
echo "== engine suite (dockerd, containerd, podman)"
services=$src/tests/engine/services.sh
if ! bash "$services" status >/dev/null 2>&1; then
        bash "$services" start
        trap 'bash "$services" stop' EXIT
fi
mtest "$build" --print-errorlogs --suite engine

echo "== sanitizer build (address, undefined)"
setup "$sanitize" -Dwerror=true -Db_sanitize=address,undefined
ninja -C "$sanitize"

echo "== unit suite under ASan and UBSan"
ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1} \
        mtest "$sanitize" --print-errorlogs --suite unit

# Short bounded fuzzing runs (20 s per harness) in a clang build.
echo "== fuzz suite (clang, libFuzzer, ASan + UBSan)"
fuzz=$src/build-ci-fuzz
if [ -f "$fuzz/meson-private/coredata.dat" ]; then
        meson configure "$fuzz" -Db_sanitize=address,undefined -Db_lundef=false -Dengine_tests=false
else
        CC=clang meson setup "$fuzz" "$src" -Db_sanitize=address,undefined -Db_lundef=false -Dengine_tests=false
fi
ninja -C "$fuzz" tests/fuzz/fuzz_spec tests/fuzz/fuzz_eval tests/fuzz/fuzz_fix
mtest "$fuzz" --print-errorlogs --suite fuzz

echo "== all suites passed"
echo "$passed passed, $failed failed, $skipped skipped"
