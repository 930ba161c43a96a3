#!/bin/bash
# linux.cgroupsPath as runc 1.1.5 and crun 1.8 read it (docs/rules.md,
# kernel-mounts): runc takes an absent path as the container id below its
# own cgroup, crun takes a relative path from the root of each hierarchy.
# A stand-in host service (a sleep in a cgroup of the test's own, below a
# parent the container would take) shows the harm: each attack is run
# once with the plain runtime, which writes the container's limit on the
# service's parent (and crun's delete kills the service), and once through
# runc-harden, which refuses it before the runtime runs; where the host
# changes after the judgement, the verification refuses it and kills only
# the container's init.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CRUN=${CRUN:-/usr/bin/crun}
[ ! -f /sys/fs/cgroup/cgroup.controllers ] || skip_all "cgroup v2: the stand-ins are made for cgroup v1"
if [ ! -d /sys/fs/cgroup/pids ] || [ ! -d /sys/fs/cgroup/memory ]; then
        skip_all "no pids or memory hierarchy"
fi
[ -x "$CRUN" ] || skip_all "crun is not installed ($CRUN)"
crun_prepare_host

CRUN_STATE=$T/crun-state
mkdir -p "$CRUN_STATE"
EXTRA_ROOTS+=("$CRUN $CRUN_STATE")

# kernel-mounts (and spec-invalid) on, as built in; verification on.
"$RUNC_HARDEN" policy show --level baseline |
        jq --arg audit "$T/audit.log" '.["audit-log"] = $audit
                | .rules |= with_entries(if (.key | IN("spec-invalid", "kernel-mounts")) then .
                  else .value.action = "off" end)' >"$T/cgroups.policy.json"
RH_POLICY=$T/cgroups.policy.json

# Every stand-in and cgroup made here goes at exit too, should a test
# abort before its own cleanup.
STAND_INS=()
MADE_CGROUPS=(/rh-cgpath-own-$$)
remove_made() {
        local p
        for p in "${STAND_INS[@]}"; do
                kill "$p" 2>/dev/null || true
        done
        svc=
        cg_remove "${MADE_CGROUPS[@]}"
}
# shellcheck disable=SC2154 # rc_ is set by the trap itself
trap 'rc_=$?; remove_made >/dev/null 2>&1; (exit $rc_); cleanup' EXIT

# own_cgroup HIERARCHY: this shell's cgroup there, "" for the root.
own_cgroup() {
        local c
        c=$(awk -F: -v h="$1" '$2 == h {print $3}' /proc/self/cgroup)
        echo "${c%/}"
}

# stand_in HIERARCHY DIR: a "host service" (sleep) in DIR/svc of that
# hierarchy; its pid in $svc.
stand_in() {
        local procs=/sys/fs/cgroup/$1$2/svc/cgroup.procs
        mkdir -p "/sys/fs/cgroup/$1$2/svc"
        MADE_CGROUPS+=("$2")
        sh -c 'echo $$ >"$1" && exec sleep 300' sh "$procs" >/dev/null 2>&1 &
        svc=$!
        STAND_INS+=("$svc")
        wait_for grep -qx "$svc" "$procs"
}

svc_gone() {
        [ "$(alive "$svc")" = no ]
}

# forks_in DIR: whether a process in cgroup DIR (pids) can still fork.
forks_in() {
        sh -c 'echo $$ >"$1/cgroup.procs" && /bin/true && /bin/true' sh "$1" 2>/dev/null && echo yes || echo no
}

# cg_remove DIR...: DIR (and DIR/svc) in every hierarchy, the service
# killed first; a runtime's leftovers included.
cg_remove() {
        local d h _
        [ -z "${svc:-}" ] || { kill "$svc" 2>/dev/null || true; wait "$svc" 2>/dev/null || true; }
        for d in "$@"; do
                for h in /sys/fs/cgroup/*; do
                        for _ in $(seq 50); do
                                rmdir "$h$d/svc" 2>/dev/null || true
                                { [ ! -d "$h$d" ] || rmdir "$h$d" 2>/dev/null; } && break
                                sleep 0.1
                        done
                done
        done
}

# in_own_memory_cgroup CMD...: CMD (runc-harden) run from a memory cgroup
# of its own, as under an engine's shim: runc and crun then read a
# relative path from different places.
in_own_memory_cgroup() {
        local own=/sys/fs/cgroup/memory/rh-cgpath-own-$$
        mkdir -p "$own"
        sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$own" "$@"
}

# --- F2: no cgroupsPath, an id naming an existing parent (runc) ----------

test_no_cgroups_path_with_an_id_naming_a_parent_cgroup_is_refused() {
        local id own parent
        new_id id
        own=$(own_cgroup pids)
        parent=/sys/fs/cgroup/pids$own/$id
        make_bundle "$TD/b"
        spec_set "$TD/b" 'del(.linux.cgroupsPath) | .linux.resources.pids = {"limit": 2}'
        stand_in pids "$own/$id"

        # the harm: plain runc writes pids.max=2 on the service's parent
        assert_ok "plain runc creates it" runc_ create --bundle "$TD/b" "$id"
        assert_eq 2 "$(cat "$parent/pids.max")" "plain runc: the parent's pids.max is the container's"
        assert_eq no "$(forks_in "$parent/svc")" "plain runc: the service's cgroup can no longer fork"
        runc_ delete --force "$id" 2>/dev/null
        echo max >"$parent/pids.max"

        capture rh create --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "runc-harden refuses it"
        assert_contains "$err" "kernel-mounts: /linux/cgroupsPath: is absent (the runtime takes the container id, $id), which runc reads as $parent, the parent of other cgroups" "it names the field and runc's reading"
        assert_eq absent "$(container_status "$id")" "runc never ran"
        assert_eq max "$(cat "$parent/pids.max")" "the parent's pids.max is unchanged"
        assert_eq max "$(cat "$parent/svc/pids.max")" "the service's pids.max is unchanged"
        assert_eq yes "$(forks_in "$parent/svc")" "the service's cgroup still forks"
        assert_eq yes "$(alive "$svc")" "the service lives"
        cg_remove "$own/$id"
}

# --- F4: a relative cgroupsPath under crun --------------------------------

test_a_relative_cgroups_path_is_judged_where_crun_puts_it() {
        local id p=/rh-cgpath-par-$$ mem=/sys/fs/cgroup/memory/rh-cgpath-par-$$ before
        new_id id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.cgroupsPath = $p | .linux.resources.memory = {"limit": 33554432, "swap": 33554432}' \
                --arg p "${p#/}"
        stand_in memory "$p"
        before=$(cat "$mem/memory.limit_in_bytes")

        # the harm: crun puts the container at the root's $p, writes its
        # limit there, and its delete kills the service
        assert_ok "plain crun creates it" in_own_memory_cgroup timeout -k 5 60 "$CRUN" --root "$CRUN_STATE" \
                create --bundle "$TD/b" "$id"
        assert_eq 33554432 "$(cat "$mem/memory.limit_in_bytes")" "plain crun: the parent's limit is the container's"
        crun_ delete --force "$id"
        wait_for svc_gone || true
        assert_eq no "$(alive "$svc")" "plain crun: its delete killed the service"
        wait "$svc" 2>/dev/null || true
        cg_remove "$p"

        stand_in memory "$p"
        capture in_own_memory_cgroup "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                --harden-runtime "$CRUN" --root "$CRUN_STATE" create --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "runc-harden refuses it"
        assert_contains "$err" "kernel-mounts: /linux/cgroupsPath: is ${p#/}, which crun reads as $mem, the parent of other cgroups" "it names crun's reading"
        assert_eq absent "$(crun_ state "$id" >/dev/null 2>&1 && echo created || echo absent)" "crun never ran"
        assert_eq "$before" "$(cat "$mem/memory.limit_in_bytes")" "the parent's memory limit is unchanged"
        assert_eq "$before" "$(cat "$mem/svc/memory.limit_in_bytes")" "the service's memory limit is unchanged"
        assert_eq yes "$(alive "$svc")" "the service lives"
        cg_remove "$p" "/rh-cgpath-own-$$"
}

# --- the verification: the parent appears after the judgement -------------

# late_service_runtime FILE HIERARCHY DIR RUNTIME: a runtime that, after the
# judgement, starts a stand-in service in DIR/svc (pid in $TD/svc.pid).
late_service_runtime() {
        MADE_CGROUPS+=("$3")
        prepared_runtime "$1" "mkdir -p /sys/fs/cgroup/$2$3/svc && { sh -c 'echo \$\$ >/sys/fs/cgroup/$2$3/svc/cgroup.procs && exec sleep 300' </dev/null >/dev/null 2>&1 & echo \$! >$TD/svc.pid; } && sleep 0.2" "$4"
}

test_verification_refuses_a_container_whose_cgroup_has_cgroups_below() {
        local id own parent pid
        new_id id
        own=$(own_cgroup pids)
        parent=/sys/fs/cgroup/pids$own/$id
        make_bundle "$TD/b"
        spec_set "$TD/b" 'del(.linux.cgroupsPath)'
        late_service_runtime "$TD/rt" pids "$own/$id" "$REAL_RUNC"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        svc=$(cat "$TD/svc.pid")
        STAND_INS+=("$svc")
        assert_eq 1 "$rc" "create exits 1"
        assert_not_contains "$err" "denied by policy" "the spec layer let it through"
        assert_contains "$err" "has cgroups below it (svc)" "the verification names the cgroup below"
        assert_contains "$err" "delete\` is not run" "runc delete is not run over the service"
        pid=$([[ "$err" =~ /proc/([0-9]+)/ ]] && echo "${BASH_REMATCH[1]}" || true)
        assert_eq no "$(alive "${pid:-0}")" "the container's init is gone"
        assert_eq yes "$(alive "$svc")" "the service lives"
        runc_ delete --force "$id" >/dev/null 2>&1 || true
        cg_remove "$own/$id"
}

test_verification_refuses_crun_putting_it_above_a_service() {
        local id p=/rh-cgpath-late-$$ pid
        new_id id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.cgroupsPath = $p' --arg p "${p#/}"
        late_service_runtime "$TD/rt" memory "$p" "$CRUN"
        capture in_own_memory_cgroup "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$TD/rt" \
                --root "$CRUN_STATE" create --bundle "$TD/b" "$id"
        svc=$(cat "$TD/svc.pid")
        STAND_INS+=("$svc")
        assert_eq 1 "$rc" "create exits 1"
        assert_not_contains "$err" "denied by policy" "the spec layer let it through"
        assert_contains "$err" "the container's cgroup ($p of memory) has cgroups below it (svc)" \
                "the verification reads crun's placement from /proc"
        assert_contains "$err" "delete\` is not run" "crun delete, which kills every process below, is not run"
        pid=$([[ "$err" =~ /proc/([0-9]+)/ ]] && echo "${BASH_REMATCH[1]}" || true)
        assert_eq no "$(alive "${pid:-0}")" "the container's init is gone"
        assert_eq yes "$(alive "$svc")" "the service lives"
        kill "$svc"
        wait "$svc" 2>/dev/null || true
        crun_ delete --force "$id" >/dev/null 2>&1 || true
        cg_remove "$p" "/rh-cgpath-own-$$"
}

# --- atk-7 E1: an existing, empty cgroup is someone's -----------------------

test_an_existing_empty_cgroup_is_refused() {
        local id p=/rh-cgpath-job-$$ mem=/sys/fs/cgroup/memory/rh-cgpath-job-$$
        new_id id
        MADE_CGROUPS+=("$p")
        mkdir -p "$mem"
        echo 67108864 >"$mem/memory.limit_in_bytes"
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.cgroupsPath = $p | .linux.resources.memory = {"limit": 1073741824}' --arg p "$p"

        # the harm: plain runc takes the operator's cgroup and its limit
        assert_ok "plain runc creates it" runc_ create --bundle "$TD/b" "$id"
        assert_eq 1073741824 "$(cat "$mem/memory.limit_in_bytes")" "plain runc: the job's limit is the container's"
        runc_ delete --force "$id"
        cg_remove "$p"

        mkdir -p "$mem"
        echo 67108864 >"$mem/memory.limit_in_bytes"
        capture rh create --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "runc-harden refuses it"
        assert_contains "$err" "kernel-mounts: /linux/cgroupsPath: is $p, which runc reads as" "naming the field"
        assert_contains "$err" "a cgroup that already exists" "saying why"
        assert_eq absent "$(container_status "$id")" "runc never ran"
        assert_eq 67108864 "$(cat "$mem/memory.limit_in_bytes")" "the job's limit is unchanged"
        cg_remove "$p"
}

# --- atk-7 N1: cgroup mounts whose root is not "/" -------------------------

# Inside a Docker-in-Docker container or a kind node on cgroup v1, every
# hierarchy is a bind of the node's cgroup. The node here: a private mount
# namespace whose /sys/fs/cgroup/H are binds of /NODE in each hierarchy.
test_nested_cgroup_mounts_are_judged_where_runc_reads_them() {
        local node=/rh-cgpath-node-$$ h hier=() parent
        for h in /sys/fs/cgroup/*; do
                mountpoint -q "$h" && [ -f "$h/cgroup.procs" ] && hier+=("${h##*/}")
        done
        MADE_CGROUPS+=("$node/svcpar" "$node")
        for h in "${hier[@]}"; do
                mkdir -p "/sys/fs/cgroup/$h$node"
                [ ! -f "/sys/fs/cgroup/$h/cpuset.cpus" ] || {
                        cat "/sys/fs/cgroup/$h/cpuset.cpus" >"/sys/fs/cgroup/$h$node/cpuset.cpus"
                        cat "/sys/fs/cgroup/$h/cpuset.mems" >"/sys/fs/cgroup/$h$node/cpuset.mems"
                }
        done
        stand_in pids "$node/svcpar"
        parent=/sys/fs/cgroup/pids$node/svcpar
        make_bundle "$TD/b"
        spec_set "$TD/b" 'del(.linux.cgroupsPath) | .linux.resources.pids = {"limit": 2}'
        cat >"$TD/node.sh" <<'EOF'
set -eu
node=$1 td=$2
shift 2
for h in "$@"; do echo $$ >"/sys/fs/cgroup/$h$node/cgroup.procs"; done
for h in "$@"; do mkdir -p "$td/m/$h" && mount --bind "/sys/fs/cgroup/$h$node" "$td/m/$h"; done
umount -l /sys/fs/cgroup
mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup
for h in "$@"; do mkdir "/sys/fs/cgroup/$h" && mount --move "$td/m/$h" "/sys/fs/cgroup/$h"; done
timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" create --bundle "$td/b" svcpar
EOF
        capture env RUNC_HARDEN="$RUNC_HARDEN" RH_POLICY="$RH_POLICY" STATE="$STATE" \
                unshare -m --propagation private bash "$TD/node.sh" "$node" "$TD" "${hier[@]}"
        assert_eq 1 "$rc" "inside the node, runc-harden refuses an id naming the service's parent"
        assert_contains "$err" "which runc reads as /sys/fs/cgroup/" "judged through the node's mounts"
        assert_contains "$err" "/svcpar, the parent of other cgroups" "and found the service below"
        assert_eq max "$(cat "$parent/pids.max")" "the parent's pids.max is unchanged"
        assert_eq yes "$(forks_in "$parent/svc")" "the service's cgroup still forks"
        runc_ delete --force svcpar >/dev/null 2>&1 || true
        cg_remove "$node/svcpar" "$node"
}

# atk-9 N1: a bind of a sub-cgroup listed before the hierarchy's real mount
# (a node whose engine sorted "-v /sys/fs/cgroup/pids/x:/cg" first) is a
# view of its own; the real one still finds the service.
test_a_cgroup_bind_listed_first_hides_nothing() {
        local p=/rh-cgpath-svc2-$$ decoy=/rh-cgpath-decoy-$$ id
        new_id id
        MADE_CGROUPS+=("$decoy")
        mkdir -p "/sys/fs/cgroup/pids$decoy" "$TD/decoy"
        stand_in pids "$p"
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.cgroupsPath = $p | .linux.resources.pids = {"limit": 2}' --arg p "$p/svc"
        cat >"$TD/decoy.sh" <<'EOF'
set -eu
mount --bind "/sys/fs/cgroup/pids$1" "$2/decoy"
umount /sys/fs/cgroup/pids
mount -t cgroup -o pids cgroup /sys/fs/cgroup/pids
timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" create --bundle "$2/b" "$3"
EOF
        capture env RUNC_HARDEN="$RUNC_HARDEN" RH_POLICY="$RH_POLICY" STATE="$STATE" \
                unshare -m --propagation private bash "$TD/decoy.sh" "$decoy" "$TD" "$id"
        assert_eq 1 "$rc" "with the decoy listed first, runc-harden refuses the service's cgroup"
        assert_contains "$err" "which runc reads as /sys/fs/cgroup/pids$p/svc, a cgroup that 1 process already uses" \
                "found through the real mount"
        assert_eq max "$(cat "/sys/fs/cgroup/pids$p/svc/pids.max")" "the service's pids.max is unchanged"
        runc_ delete --force "$id" >/dev/null 2>&1 || true
        cg_remove "$p" "$decoy"
}

# --- what engines write still runs ------------------------------------------

test_the_engines_cgroups_paths_and_a_fresh_id_run() {
        local id path kind h
        for kind in docker podman none; do
                new_id id
                make_bundle "$TD/b-$kind"
                case $kind in
                docker) path=$(jq -r .linux.cgroupsPath "$RH_CORPUS/docker/default.json") ;;
                podman) path=$(jq -r .linux.cgroupsPath "$RH_CORPUS/podman/default.json") ;;
                none) path= ;;
                esac
                # the engine's shape, with an id of this run's own
                path=${path%-*}${path:+-$id}
                [ "$kind" != docker ] || path=/docker/$id
                if [ -n "$path" ]; then
                        spec_set "$TD/b-$kind" '.linux.cgroupsPath = $p' --arg p "$path"
                else
                        spec_set "$TD/b-$kind" 'del(.linux.cgroupsPath)'
                fi
                assert_ok "$kind: create under runc" rh create --bundle "$TD/b-$kind" "$id"
                assert_eq created "$(container_status "$id")" "$kind: runc created it"
                local want=$path
                [ -n "$want" ] || want=$(own_cgroup pids)/$id
                assert_contains "$(cat "/proc/$(runc_ state "$id" | jq .pid)/cgroup")" "pids:$want" \
                        "$kind: in the cgroup the path names"
                runc_ delete --force "$id"
                assert_ok "$kind: create under crun" in_own_memory_cgroup "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                        --harden-runtime "$CRUN" --root "$CRUN_STATE" create --bundle "$TD/b-$kind" "$id"
                assert_eq yes "$(crun_ state "$id" >/dev/null 2>&1 && echo yes || echo no)" "$kind: crun created it"
                crun_ delete --force "$id"
                cg_remove "${path:-/$id}" "$(own_cgroup pids)/$id"
        done
        cg_remove /rh-cgpath-own-$$
        # the engines' parents, when this test made them (rmdir leaves a
        # parent that holds anything)
        for h in /sys/fs/cgroup/*; do
                rmdir "$h/docker" "$h/libpod_parent" 2>/dev/null || true
        done
}

run_tests
