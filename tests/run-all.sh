#!/bin/bash
# The whole test suite, as CI runs it (.ci/run calls this script):
#   1. build-ci/: a -Dwerror=true build; the unit and integration suites
#      (integration drives the built binary in front of real runc and crun,
#      so it needs root);
#      then the engine suite against dockerd, containerd and podman
#      (started here unless already running);
#   2. build-ci-sanitize/: an AddressSanitizer + UndefinedBehaviorSanitizer
#      build; the unit suite.
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

echo "== unit and integration suites"
meson test -C "$build" --print-errorlogs --suite unit --suite integration

# The engine suite drives real dockerd, containerd and podman. .ci/run
# starts the daemons; when nobody did, this script starts them and stops
# them again at the end.
echo "== engine suite (dockerd, containerd, podman)"
services=$src/tests/engine/services.sh
if ! bash "$services" status >/dev/null 2>&1; then
        bash "$services" start
        trap 'bash "$services" stop' EXIT
fi
meson test -C "$build" --print-errorlogs --suite engine

echo "== sanitizer build (address, undefined)"
setup "$sanitize" -Dwerror=true -Db_sanitize=address,undefined
ninja -C "$sanitize"

echo "== unit suite under ASan and UBSan"
ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1:print_summary=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:print_summary=1} \
        meson test -C "$sanitize" --print-errorlogs --suite unit

echo "== all suites passed"
