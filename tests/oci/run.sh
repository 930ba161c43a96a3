#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs the OCI runtime-tools validation programs one at a time against one
# runtime mode and keeps what each printed, for tests/oci/compare.sh.
#   usage: tests/oci/run.sh RUNTIME_TOOLS_DIR MODE OUTDIR [TEST...]
# RUNTIME_TOOLS_DIR is a runtime-tools checkout in which runtimetest and the
# validation/*/*.t programs are built (see docs/testing.md); MODE is runc,
# dry-run or enforce (tests/oci/runtime.sh). RUNC_HARDEN and OCI_DELEGATE are
# passed on to runtime.sh; runc-harden gets OCI_POLICY, else the built-in
# policy as a file; OCI_AUDIT=1 adds an audit log per program. Needs root:
# the programs create containers, cgroups (/sys/fs/cgroup/*/cgrouptest) and
# bundles under /tmp.
set -euo pipefail

[ $# -ge 3 ] || { sed -n 3,5p "$0" | sed 's/^# *//' >&2; exit 2; }
# Some programs run a container in the caller's mount namespace
# (linux_ns_itype): runc then mounts into the bundle there and turns every
# shared mount of it (/var/lib/docker, /run/netns) private. Run them all in a
# mount namespace of their own, where nothing propagates back to the host.
if [ -z "${OCI_UNSHARED:-}" ]; then
        OCI_UNSHARED=1 exec unshare --mount --propagation private "$0" "$@"
fi
rt=$(readlink -f "$1") mode=$2 out=$3
shift 3
here=$(dirname "$(readlink -f "$0")")
rh=${RUNC_HARDEN:-$here/../../build/runc-harden}
delegate=${OCI_DELEGATE:-/usr/sbin/runc}
if [ ! -x "$rt/runtimetest" ] || [ ! -f "$rt/rootfs-amd64.tar.gz" ]; then
        echo "run.sh: $rt has no runtimetest or rootfs-amd64.tar.gz" >&2
        exit 2
fi
mkdir -p "$out"
out=$(readlink -f "$out")
# The engine suite's test-setup-system.sh puts runc-harden at /usr/sbin/runc
# for a while (built-in policy): a program that ran then got its denials in
# every mode. Every call goes to a copy of the real runtime taken here.
if grep -qa -- --harden-mode "$(readlink -f "$delegate")"; then
        echo "run.sh: $delegate is runc-harden, not the real runtime: name it with OCI_DELEGATE" >&2
        exit 2
fi
real=$(readlink -f "$delegate")
mkdir -p "$out/bin" # runc-harden tells runc from crun by the name
cp "$real" "$out/bin/${real##*/}"
delegate=$out/bin/${real##*/}
export OCI_DELEGATE=$delegate
tests=("$@")
[ ${#tests[@]} -gt 0 ] || mapfile -t tests < <(find "$rt/validation" -name '*.t' -printf '%h\n' | xargs -n1 basename | sort)

export RUNTIME=$here/runtime.sh OCI_MODE=$mode OCI_ROOT=${OCI_ROOT:-/tmp/oci-validation-root-$mode}
# runc-harden always gets a policy file, so that one that appears at the
# default path while the programs run (an engine test's) changes nothing.
base_policy=${OCI_POLICY:-}
if [ "$mode" != runc ] && [ -z "$base_policy" ]; then
        if [ -e /etc/runc-harden/policy.json ]; then
                echo "run.sh: /etc/runc-harden/policy.json exists: name the policy with OCI_POLICY" >&2
                exit 2
        fi
        base_policy=$out/builtin.policy.json
        "$rh" policy show >"$base_policy"
fi
[ -z "$base_policy" ] || export OCI_POLICY=$base_policy
cd "$rt" # the programs find runtimetest and the rootfs tarball here
for t in "${tests[@]}"; do
        export OCI_ARGV_LOG=$out/$t.argv
        rm -f "$OCI_ARGV_LOG" "$out/$t.audit" "$out/$t.leftover"
        if [ -n "${OCI_AUDIT:-}" ] && [ "$mode" != runc ]; then
                jq --arg a "$out/$t.audit" '.["audit-log"] = $a' "$base_policy" >"$out/$t.policy.json"
                export OCI_POLICY=$out/$t.policy.json
        fi
        rc=0
        timeout 300 "./validation/$t/$t.t" >"$out/$t.out" 2>"$out/$t.err" || rc=$?
        echo "$rc" >"$out/$t.rc"
        # A program that aborts may leave its container behind, and with
        # shared root propagation runc's mounts in the rootfs (the bundle
        # itself) appear on the host too, so that the bundle cannot be
        # removed.
        for id in $("$delegate" --root "$OCI_ROOT" list -q 2>/dev/null); do
                echo "container $id" >>"$out/$t.leftover"
                "$delegate" --root "$OCI_ROOT" delete --force "$id" >/dev/null 2>&1 || true
        done
        awk '$2 ~ "^/tmp/ocitest[0-9]+(/|$)" { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
                echo "mount $m" >>"$out/$t.leftover"
                umount "$m" 2>/dev/null || umount -l "$m"
        done
        for d in /tmp/ocitest[0-9]*; do
                [ -d "$d" ] || continue
                echo "bundle $d" >>"$out/$t.leftover"
                rm -rf --one-file-system "$d"
        done
        printf '%-34s exit %-3s ok %-4s not ok %-3s\n' "$t" "$rc" "$(grep -Ec '^ok ' "$out/$t.out" || true)" \
                "$(grep -Ec '^not ok ' "$out/$t.out" || true)"
done
# The programs' cgroups: /cgrouptest and testdir/cgrouptest/container (the
# relative one, under runc's own cgroup). runc removes the leaves; rmdir
# removes only what is empty.
find /sys/fs/cgroup -depth -type d \( -path '*/testdir/cgrouptest*' -o -name cgrouptest \) \
        -exec rmdir {} \; 2>/dev/null || true
find /sys/fs/cgroup -maxdepth 3 -depth -type d -name testdir -exec rmdir {} \; 2>/dev/null || true
