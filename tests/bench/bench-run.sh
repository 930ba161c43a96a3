#!/bin/bash
# What runc-harden costs in front of runc, measured interleaved so that
# drift in the machine's load hits both sides alike:
#   1. `runc run` vs `runc-harden run` of a busybox container running `true`
#      (runc-harden's run is create, verify, start and wait: docs/verify.md);
#   2. the wrapper alone: `runc-harden --harden-runtime /bin/true create …`
#      vs `/bin/true create …` (parse, policy, checks, exec; no container);
#   3. a pass-through command: `state` of a running container.
# Warm-up rounds first, then N pairs alternating which side goes first.
# Prints medians and the median of the per-pair ratios (or differences).
#
# usage: bench-run.sh [RUNC_HARDEN]   (root; env: N=41 WARMUP=3 RUNC=/usr/bin/runc
#                                      POLICY=FILE for --harden-policy)
# Not part of the test suite.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
RH=${1:-${RUNC_HARDEN:-$src/build/runc-harden}}
RUNC=${RUNC:-/usr/bin/runc}
N=${N:-41}
WARMUP=${WARMUP:-3}
POLICY=${POLICY:-}

[ -x "$RH" ] || {
        echo "bench-run.sh: no runc-harden at $RH (build first, or pass its path)" >&2
        exit 2
}
[ "$(id -u)" = 0 ] || {
        echo "bench-run.sh: run as root (it starts containers)" >&2
        exit 2
}

B=$(mktemp -d /tmp/rh-bench.XXXXXX)
STATE=$B/state
cleanup() {
        local id
        for id in $("$RUNC" --root "$STATE" list -q 2>/dev/null); do
                "$RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1 || true
        done
        rm -rf --one-file-system "$B"
}
trap cleanup EXIT

rh_flags=(--root "$STATE")
[ -n "$POLICY" ] && rh_flags=(--harden-policy "$POLICY" "${rh_flags[@]}")
# /bin/true creates no container to verify: row 2 measures the judgement
# alone, with verifying off (tests/bench/bench-verify.sh measures it).
if [ -n "$POLICY" ]; then
        jq '.verify = false' "$POLICY" >"$B/unverified.json"
else
        "$RH" policy show | jq '.verify = false' >"$B/unverified.json"
fi

# The bundle: busybox-static, `true`, non-terminal.
make_bundle() {
        local b=$1 a
        mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/sys" "$b/rootfs/dev" "$b/rootfs/tmp" "$b/rootfs/etc"
        cp /bin/busybox "$b/rootfs/bin/busybox"
        for a in sh true sleep; do ln -s busybox "$b/rootfs/bin/$a"; done
        (cd "$b" && "$RUNC" spec)
        jq --argjson a "$2" '.process.terminal = false | .process.args = $a' "$b/config.json" >"$b/config.json.new"
        mv "$b/config.json.new" "$b/config.json"
}

# time_us CMD...: how long CMD took, in microseconds (bash 5's
# EPOCHREALTIME: no fork for the clock); CMD must succeed.
time_us() {
        local t0 t1
        t0=${EPOCHREALTIME/./}
        "$@" >/dev/null 2>&1 </dev/null || {
                echo "bench-run.sh: failed: $*" >&2
                "$@" </dev/null >&2 || true
                exit 1
        }
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
}

median() {
        sort -n | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

seq_id=0
next_id() {
        seq_id=$((seq_id + 1))
        echo "bench-$$-$seq_id"
}

# pairs NAME A_CMD B_CMD: WARMUP + N interleaved pairs; A_CMD/B_CMD are
# functions taking a fresh container id. Writes $B/NAME.a, .b (one time per
# line, microseconds, pair by pair).
pairs() {
        local name=$1 fa=$2 fb=$3 i ta tb
        : >"$B/$name.a"
        : >"$B/$name.b"
        for i in $(seq "$WARMUP"); do
                time_us "$fa" "$(next_id)" >/dev/null
                time_us "$fb" "$(next_id)" >/dev/null
        done
        for i in $(seq "$N"); do
                if ((i % 2)); then
                        ta=$(time_us "$fa" "$(next_id)")
                        tb=$(time_us "$fb" "$(next_id)")
                else
                        tb=$(time_us "$fb" "$(next_id)")
                        ta=$(time_us "$fa" "$(next_id)")
                fi
                echo "$ta" >>"$B/$name.a"
                echo "$tb" >>"$B/$name.b"
        done
}

# ratio_median NAME: median of b/a over the pairs.
ratio_median() {
        paste "$B/$1.a" "$B/$1.b" | awk '{printf "%.6f\n", $2 / $1}' | median
}

# diff_median NAME: median of b-a over the pairs (microseconds).
diff_median() {
        paste "$B/$1.a" "$B/$1.b" | awk '{print $2 - $1}' | median
}

make_bundle "$B/run" '["true"]'
make_bundle "$B/long" '["sleep","100000"]'

# 1. run true
runc_run() { "$RUNC" --root "$STATE" run --bundle "$B/run" "$1"; }
rh_run() { "$RH" "${rh_flags[@]}" run --bundle "$B/run" "$1"; }
# The first checked run may fix config.json (the built-in policy's fixes);
# from then on both sides start the same spec.
rh_run "$(next_id)" >/dev/null 2>&1 </dev/null || {
        echo "bench-run.sh: runc-harden refuses the bench bundle:" >&2
        rh_run "$(next_id)" </dev/null >&2 || true
        exit 1
}
pairs run runc_run rh_run

# 2. the wrapper alone, with /bin/true as the runtime
true_create() { /bin/true create --bundle "$B/run" "$1"; }
rh_true_create() {
        "$RH" --harden-policy "$B/unverified.json" --root "$STATE" --harden-runtime /bin/true create --bundle "$B/run" "$1"
}
pairs wrapper true_create rh_true_create

# 3. pass-through: state of a running container
LONG=$(next_id)
"$RUNC" --root "$STATE" run -d --bundle "$B/long" "$LONG" >/dev/null 2>&1 </dev/null
runc_state() { "$RUNC" --root "$STATE" state "$LONG"; }
rh_state() { "$RH" "${rh_flags[@]}" state "$LONG"; }
pairs state runc_state rh_state

ms() { awk -v u="$1" 'BEGIN {printf "%.2f", u / 1000}'; }

printf '\n%s in front of %s (policy: %s); %d pairs after %d warm-up rounds, medians\n\n' \
        "$RH" "$RUNC" "${POLICY:-default}" "$N" "$WARMUP"
printf '%-34s %12s %14s %16s\n' "what" "without" "runc-harden" "median per pair"
printf '%-34s %12s %14s %16s\n' "----" "-------" "-----------" "---------------"
printf '%-34s %9s ms %11s ms %16s\n' "run (busybox true)" \
        "$(ms "$(median <"$B/run.a")")" "$(ms "$(median <"$B/run.b")")" \
        "x$(ratio_median run | awk '{printf "%.3f", $1}')"
printf '%-34s %9s us %11s us %13s us\n' "create via --harden-runtime /bin/true" \
        "$(median <"$B/wrapper.a")" "$(median <"$B/wrapper.b")" "+$(diff_median wrapper)"
printf '%-34s %9s ms %11s ms %16s\n' "state (pass-through)" \
        "$(ms "$(median <"$B/state.a")")" "$(ms "$(median <"$B/state.b")")" \
        "x$(ratio_median state | awk '{printf "%.3f", $1}')"
printf '\nrow 2 is the wrapper'"'"'s own cost: reading the command line, the policy and config.json, the\nchecks, and the exec; /bin/true stands in for runc. Times include bash'"'"'s fork+exec.\n'
