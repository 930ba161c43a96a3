#!/bin/bash
# Quick start: installs what is missing, builds runc-harden, and shows it at
# work in front of runc: one container started, one denied, one fixed.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)

bash "$src/tests/install-deps.sh"
[ -d "$src/build" ] || meson setup "$src/build" "$src" >/dev/null
ninja -C "$src/build" >/dev/null
rh="$src/build/runc-harden"

demo=$(mktemp -d /tmp/runc-harden-demo.XXXXXX)
state="$demo/state"
cleanup() {
        for id in demo-ok demo-fixed; do
                runc --root "$state" delete --force "$id" >/dev/null 2>&1 || true
        done
        rm -rf --one-file-system "$demo"
}
trap cleanup EXIT

# A bundle: busybox-static as the whole root file system.
make_bundle() {
        local b=$1
        mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/sys" "$b/rootfs/dev" "$b/rootfs/tmp"
        cp /bin/busybox "$b/rootfs/bin/busybox"
        for a in sh cat touch grep echo; do ln -sf busybox "$b/rootfs/bin/$a"; done
        (cd "$b" && runc spec)
        jq '.process.terminal = false' "$b/config.json" >"$b/c" && mv "$b/c" "$b/config.json"
}
set_args() { jq --argjson a "$2" '.process.args = $a' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"; }

echo "== 1. a hardened container runs through runc-harden"
make_bundle "$demo/ok"
set_args "$demo/ok" '["echo","hello from a checked container"]'
jq '.root.readonly = true | .process.noNewPrivileges = true' "$demo/ok/config.json" >"$demo/ok/c" &&
        mv "$demo/ok/c" "$demo/ok/config.json"
"$rh" --root "$state" run --bundle "$demo/ok" demo-ok

echo
echo "== 2. a container that binds the Docker socket is denied"
make_bundle "$demo/sock"
jq '.mounts += [{"destination":"/var/run/docker.sock","type":"bind","source":"/var/run/docker.sock","options":["rbind","rprivate"]}]' \
        "$demo/sock/config.json" >"$demo/sock/c" && mv "$demo/sock/c" "$demo/sock/config.json"
status=0
"$rh" --root "$state" run --bundle "$demo/sock" demo-sock || status=$?
if [ "$status" -eq 0 ]; then
        echo "unexpected: the container ran" >&2
        exit 1
fi
echo "(exit status $status; containers runc knows: $(runc --root "$state" list -q | wc -l))"

echo
echo "== 3. a writable container is fixed: read-only root, no-new-privileges"
make_bundle "$demo/fixed"
set_args "$demo/fixed" '["sh","-c","touch /x 2>&1 | cat; grep NoNewPrivs /proc/self/status; touch /tmp/ok && echo /tmp is writable"]'
# runc spec makes the root read-only already; undo that as engines do
jq '.root.readonly = false' "$demo/fixed/config.json" >"$demo/fixed/c" && mv "$demo/fixed/c" "$demo/fixed/config.json"
"$rh" --root "$state" run --bundle "$demo/fixed" demo-fixed
echo "config.json now has: $(jq -c '{readonly: .root.readonly, noNewPrivileges: .process.noNewPrivileges}' "$demo/fixed/config.json")"
