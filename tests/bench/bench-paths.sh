#!/bin/bash
# What the worst host paths within the 4 MiB spec limit cost (issue 21,
# section 5): `create` handed to /bin/true (parse, policy, checks, write
# back; no container), median of N runs each, for Docker's default spec,
# a 4 MiB spec with nothing to resolve (env padding), and the worst specs
# of tests/robustness/worst-paths.py. Prints seconds, the ratio to Docker's
# spec and to the padding of the same size, and the peak RSS.
#
# usage: bench-paths.sh [RUNC_HARDEN]   (root; env: N=5)
# Not part of the test suite.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
RH=${1:-${RUNC_HARDEN:-$src/build/runc-harden}}
N=${N:-5}
GEN=$src/tests/robustness/worst-paths.py
B=$(mktemp -d /tmp/rh-bench-paths.XXXXXX)
trap 'rm -rf --one-file-system "$B"' EXIT

"$RH" policy show | jq '.rules.apparmor.action = "off" | .rules.selinux.action = "off"' >"$B/policy.json"
python3 "$GEN" tree "$B/tree"
mkdir -p "$B/docker"
cp "$src/tests/data/corpus/docker/default.json" "$B/docker/config.json"
for k in padding long maxpath links binds; do
        printf '%s: %s entries\n' "$k" "$(python3 "$GEN" spec "$k" "$B/tree" "$B/$k")"
done

# run KIND: seconds of one create (the original spec put back first);
# the peak RSS (KiB) in $B/KIND.rss
run() {
        local t0 t1
        cp "$B/$1/orig.json" "$B/$1/config.json"
        t0=${EPOCHREALTIME/./}
        /usr/bin/time -f %M -o "$B/$1.rss" "$RH" --harden-policy "$B/policy.json" --harden-runtime /bin/true \
                --root "$B/state" create --bundle "$B/$1" "bench-$1" >/dev/null 2>&1 || true
        t1=${EPOCHREALTIME/./}
        echo $((t1 - t0))
}

median() {
        sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

declare -A med
for k in docker padding long maxpath links binds; do
        cp "$B/$k/config.json" "$B/$k/orig.json"
        med[$k]=$(for _ in $(seq "$N"); do run "$k"; done | median)
done
printf '%-8s %10s %10s %10s %10s\n' spec seconds x-docker x-padding rss-MiB
for k in docker padding long maxpath links binds; do
        awk -v k="$k" -v t="${med[$k]}" -v d="${med[docker]}" -v p="${med[padding]}" -v r="$(tail -n 1 "$B/$k.rss")" \
                'BEGIN {printf "%-8s %10.3f %10.1f %10.2f %10.1f\n", k, t / 1e6, t / d, t / p, r / 1024}'
done
