#!/bin/bash
# What verifying a created container costs: `create` of a busybox container
# as engines call it (--pid-file), timed side by side in the same run:
#   A. runc create
#   B. runc-harden create, verifying (the policy's default)
#   C. runc-harden create with "verify": false (the spec judged, runc exec'ed)
#   D. runc-harden create, verifying, without --pid-file (the init process
#      found through `runc state`, as for a person typing the command)
# Each round runs the four in a rotating order; every container is deleted
# (untimed) before the next create. Prints the medians and the median of
# the per-round ratios against A, and B against C (verification alone).
#
# usage: bench-verify.sh [RUNC_HARDEN]   (root; env: N=41 WARMUP=3
#                                         RUNC=/usr/bin/runc POLICY=FILE)
# Not part of the test suite.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
RH=${1:-${RUNC_HARDEN:-$src/build/runc-harden}}
RUNC=${RUNC:-/usr/bin/runc}
N=${N:-41}
WARMUP=${WARMUP:-3}
POLICY=${POLICY:-}

[ -x "$RH" ] || {
        echo "bench-verify.sh: no runc-harden at $RH (build first, or pass its path)" >&2
        exit 2
}
[ "$(id -u)" = 0 ] || {
        echo "bench-verify.sh: run as root (it creates containers)" >&2
        exit 2
}

B=$(mktemp -d /tmp/rh-bench-verify.XXXXXX)
STATE=$B/state
cleanup() {
        local id
        for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
                "$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
        done
        rm -rf --one-file-system "$B"
}
trap cleanup EXIT

# The policies: the one given (else the built-in), and the same with
# verifying off.
if [ -n "$POLICY" ]; then
        cp "$POLICY" "$B/verify.json"
else
        "$RH" policy show >"$B/verify.json"
fi
jq '.verify = true' "$B/verify.json" >"$B/on.json"
jq '.verify = false' "$B/verify.json" >"$B/off.json"

mkdir -p "$B/b/rootfs/bin" "$B/b/rootfs/proc" "$B/b/rootfs/sys" "$B/b/rootfs/dev" "$B/b/rootfs/tmp" "$B/b/rootfs/etc"
cp /bin/busybox "$B/b/rootfs/bin/busybox"
for a in sh sleep; do ln -s busybox "$B/b/rootfs/bin/$a"; done
(cd "$B/b" && "$RUNC" spec)
jq '.process.terminal = false | .process.args = ["sleep", "100000"]' "$B/b/config.json" >"$B/b/config.json.new"
mv "$B/b/config.json.new" "$B/b/config.json"
# The built-in policy fixes the bundle once; from then on every side
# creates the same spec.
"$RH" --harden-policy "$B/on.json" --harden-runtime "$RUNC" --root "$STATE" create --bundle "$B/b" --pid-file "$B/pid" first \
        >/dev/null 2>"$B/first.err" </dev/null || {
        echo "bench-verify.sh: runc-harden refuses the bench bundle:" >&2
        cat "$B/first.err" >&2
        exit 1
}
"$RUNC" --root "$STATE" delete --force first

seq_id=0
create_A() { "$RUNC" --root "$STATE" create --bundle "$B/b" --pid-file "$B/pid" "$1"; }
# runc-harden hands off to the same runc the A side runs
create_B() { "$RH" --harden-policy "$B/on.json" --harden-runtime "$RUNC" --root "$STATE" create --bundle "$B/b" --pid-file "$B/pid" "$1"; }
create_C() { "$RH" --harden-policy "$B/off.json" --harden-runtime "$RUNC" --root "$STATE" create --bundle "$B/b" --pid-file "$B/pid" "$1"; }
create_D() { "$RH" --harden-policy "$B/on.json" --harden-runtime "$RUNC" --root "$STATE" create --bundle "$B/b" "$1"; }

# timed SIDE: one create (microseconds on stdout), then its delete.
timed() {
        local id t0 t1
        seq_id=$((seq_id + 1))
        id=bench-$$-$seq_id
        t0=${EPOCHREALTIME/./}
        "create_$1" "$id" >/dev/null 2>"$B/err" </dev/null || {
                echo "bench-verify.sh: create $1 failed:" >&2
                cat "$B/err" >&2
                exit 1
        }
        t1=${EPOCHREALTIME/./}
        "$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1
        echo $((t1 - t0))
}

median() {
        sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

sides=(A B C D)
for s in "${sides[@]}"; do : >"$B/$s"; done
for i in $(seq "$WARMUP"); do
        for s in "${sides[@]}"; do timed "$s" >/dev/null; done
done
for i in $(seq "$N"); do
        # rotate who goes first: drift in the machine's load hits all alike
        for k in 0 1 2 3; do
                s=${sides[$(((i + k) % 4))]}
                timed "$s" >>"$B/$s"
        done
done

ratio() { paste "$B/$1" "$B/$2" | awk '{printf "%.6f\n", $1 / $2}' | median; }
ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }

printf '\n%s in front of %s (policy: %s); %d rounds after %d warm-up rounds, medians\n\n' \
        "$RH" "$RUNC" "${POLICY:-built-in}" "$N" "$WARMUP"
printf '%-52s %10s %16s\n' "create (busybox, --pid-file unless said)" "median" "ratio per round"
printf '%-52s %10s %16s\n' "----------------------------------------" "------" "---------------"
printf '%-52s %7s ms %16s\n' "A. runc create" "$(ms "$(median <"$B/A")")" "1"
printf '%-52s %7s ms %16s\n' "B. runc-harden create, verifying" "$(ms "$(median <"$B/B")")" "x$(ratio B A | awk '{printf "%.3f", $1}') of A"
printf '%-52s %7s ms %16s\n' "C. runc-harden create, \"verify\": false" "$(ms "$(median <"$B/C")")" "x$(ratio C A | awk '{printf "%.3f", $1}') of A"
printf '%-52s %7s ms %16s\n' "D. runc-harden create, verifying, no --pid-file" "$(ms "$(median <"$B/D")")" "x$(ratio D A | awk '{printf "%.3f", $1}') of A"
printf '%-52s %10s %16s\n' "verification alone (B against C)" "" "x$(ratio B C | awk '{printf "%.3f", $1}')"
