#!/bin/bash
# exec without --process: runc builds the process from the container's
# config.json and its flags; runc-harden rebuilds it the same way, checks it
# with the process-level rules, and hands runc the checked process.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# The foundation's rules plus capabilities, which the flags can widen, and
# kernel-mounts, which judges --cgroup.
"$RUNC_HARDEN" policy show --level baseline |
        jq --arg audit "$T/audit.log" '
                .["audit-log"] = $audit
                | .rules |= with_entries(if (.key | IN("spec-invalid", "no-new-privileges", "capabilities",
                        "kernel-mounts", "host-namespace", "engine-socket", "readonly-rootfs")) then . else .value.action = "off" end)' \
        >"$T/flags.policy.json"
RH_POLICY=$T/flags.policy.json

# start_container VAR: a running container whose create fixed noNewPrivileges.
start_container() {
        local -n _id=$1
        new_id _id
        make_bundle "$TD/b" sleep 1000
        spec_set "$TD/b" '.process.noNewPrivileges = false'
        assert_ok "run -d" rh run -d --bundle "$TD/b" "$_id"
        assert_eq true "$(spec_get "$TD/b" .process.noNewPrivileges)" "create fixed noNewPrivileges in config.json"
}

test_a_plain_flag_exec_runs_with_the_create_time_fixes() {
        local id
        start_container id
        capture rh exec -e GREETING=hello --cwd /tmp "$id" sh -c 'echo $GREETING; pwd; grep NoNewPrivs /proc/self/status'
        assert_eq 0 "$rc" "exec with flags exits 0"
        assert_contains "$out" "hello" "--env reached the process"
        assert_contains "$out" "/tmp" "--cwd reached the process"
        assert_match "$out" "NoNewPrivs:[[:space:]]*1" "the exec'd process has NoNewPrivs 1"
}

test_no_new_privs_false_cannot_undo_the_fix() {
        local id
        start_container id
        capture rh exec --no-new-privs=false "$id" grep NoNewPrivs /proc/self/status
        assert_eq 0 "$rc" "exec --no-new-privs=false runs"
        assert_match "$out" "NoNewPrivs:[[:space:]]*1" "and its process still has NoNewPrivs 1"
}

test_an_extra_capability_by_flag_is_refused() {
        local id
        start_container id
        capture rh exec --cap CAP_SYS_ADMIN "$id" touch /tmp/should-not-exist
        assert_eq 1 "$rc" "exec --cap CAP_SYS_ADMIN is refused"
        assert_contains "$err" "runc-harden: denied by policy: capabilities:" "the message names the rule"
        assert_contains "$err" "CAP_SYS_ADMIN" "and the capability"
        capture runc_ exec "$id" test -e /tmp/should-not-exist
        assert_ne 0 "$rc" "the refused command never ran"
}

test_user_and_detach_flags_still_work() {
        local id
        start_container id
        capture rh exec -u 1000:1000 "$id" id
        assert_eq 0 "$rc" "exec -u 1000:1000"
        assert_contains "$out" "uid=1000 gid=1000" "the process runs as 1000:1000"
        capture rh exec -d --pid-file "$TD/exec.pid" "$id" sleep 2
        assert_eq 0 "$rc" "exec -d --pid-file"
        assert_ok "the pid file was written" test -s "$TD/exec.pid"
}

# --user and its gid go through Go's strconv.Atoi in runc: a sign is a
# number, white space is not (C's strtoll would skip a tab).
test_user_numbers_are_read_as_go_reads_them() {
        local id
        start_container id
        capture rh exec -u +1000:+1000 "$id" id
        assert_eq 0 "$rc" "exec -u +1000:+1000, as runc takes it"
        assert_contains "$out" "uid=1000 gid=1000" "runs as 1000:1000"
        capture runc_ exec -u $'\t1000' "$id" id
        assert_ne 0 "$rc" "runc itself refuses a tab before the uid"
        capture rh exec -u $'\t1000' "$id" id
        assert_eq 1 "$rc" "so does runc-harden"
        assert_contains "$err" "is not a uid" "saying why"
}

test_an_exec_into_a_missing_container_is_refused() {
        local id
        new_id id
        capture rh exec "$id" true
        assert_eq 1 "$rc" "exec into a container that does not exist fails"
        assert_contains "$err" "spec-invalid" "as a process that cannot be judged"
}

# --- exec --cgroup -----------------------------------------------------------

# cg_dir CTRL PATH: the directory of cgroup PATH in CTRL's hierarchy.
cg_dir() {
        if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
                echo "/sys/fs/cgroup$2"
        else
                echo "/sys/fs/cgroup/$1$2"
        fi
}

# cg_arg PATH: --cgroup's value for the pids hierarchy (v2 has one).
cg_arg() {
        if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
                echo "$1"
        else
                echo "pids:$1"
        fi
}

# hierarchy_dir LINE: the directory of a /proc/PID/cgroup line
# ("ID:CONTROLLERS:PATH") on the host; fails when no mount shows it.
hierarchy_dir() {
        local ctl=${1#*:} path=${1##*:} target opts c ok
        ctl=${ctl%%:*}
        if [ -z "$ctl" ]; then
                target=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
                [ -n "$target" ] && echo "$target$path"
                return
        fi
        while read -r target opts; do
                ok=1
                for c in ${ctl//,/ }; do
                        [[ ",$opts," == *",$c,"* ]] || ok=
                done
                [ -n "$ok" ] && echo "$target$path" && return 0
        done < <(findmnt -rn -t cgroup -o TARGET,OPTIONS)
        return 1
}

# start_in_cgroup VAR CGROUP: a running container at cgroupsPath CGROUP,
# with a pids limit of 20.
start_in_cgroup() {
        local -n _cid=$1
        new_id _cid
        make_bundle "$TD/b" sleep 1000
        spec_set "$TD/b" '.linux.cgroupsPath = $cg | .linux.resources.pids = {"limit": 20}' --arg cg "$2"
        assert_ok "run -d at $2" rh run -d --bundle "$TD/b" "$_cid"
}

# runc 1.1.5 checks a sub-cgroup with a bare string prefix: a sibling
# whose name starts with the container's leaf passes (atk-5 F1).
test_exec_cgroup_into_a_sibling_cgroup_is_refused() {
        local id leaf=rh-it-exec-cg-$$ host
        host=$(cg_dir pids "/$leaf-host")
        mkdir -p "$host"
        start_in_cgroup id "/$leaf"
        # the attack, without runc-harden
        capture runc_ exec --cgroup "$(cg_arg "../$leaf-host")" "$id" cat /proc/self/cgroup
        assert_match "$out" "pids:/$leaf-host|0::/$leaf-host" "plain runc puts the process in the sibling cgroup"
        capture rh exec -d --cgroup "$(cg_arg "../$leaf-host")" "$id" sleep 100
        assert_eq 1 "$rc" "runc-harden refuses exec --cgroup ../$leaf-host"
        assert_contains "$err" "runc-harden: denied by policy: kernel-mounts: --cgroup: " "naming the rule and the flag"
        assert_contains "$err" "../$leaf-host has a \"..\" component" "and the value"
        capture cat "$host/cgroup.procs"
        assert_eq "" "$out" "no process of the container joined the sibling cgroup"
        # with a process file (what engines pass), the flag is judged too
        jq .process "$TD/b/config.json" >"$TD/process.json"
        capture rh exec --process "$TD/process.json" --cgroup "$(cg_arg "../$leaf-host")" "$id"
        assert_eq 1 "$rc" "exec --process FILE --cgroup ../$leaf-host is refused"
        assert_contains "$err" "kernel-mounts: --cgroup: " "by the same rule"
        # every occurrence is judged
        capture rh exec --cgroup "$(cg_arg sub)" --cgroup "$(cg_arg ../..)" "$id" true
        assert_eq 1 "$rc" "a second --cgroup climbing out is refused too"
        rh delete --force "$id"
        rmdir "$host"
}

test_exec_cgroup_below_the_container_runs_there() {
        local id leaf=rh-it-exec-cg-$$-ok pid line dir dirs=()
        start_in_cgroup id "/$leaf"
        # the sub-cgroup, in every hierarchy of the container's init
        pid=$(runc_ state "$id" | jq .pid)
        while IFS= read -r line; do
                dir=$(hierarchy_dir "$line") || continue
                mkdir -p "$dir/sub"
                dirs+=("$dir/sub")
                # a v1 cpuset cgroup takes no process until it has CPUs
                if [ -f "$dir/cpuset.cpus" ]; then
                        cat "$dir/cpuset.cpus" >"$dir/sub/cpuset.cpus"
                        cat "$dir/cpuset.mems" >"$dir/sub/cpuset.mems"
                fi
        done <"/proc/$pid/cgroup"
        capture rh exec --cgroup sub "$id" cat /proc/self/cgroup
        assert_eq 0 "$rc" "exec --cgroup sub runs"
        assert_match "$out" "pids:/$leaf/sub|0::/$leaf/sub" "the process is in the container's sub-cgroup"
        assert_eq 20 "$(cat "$(cg_dir pids "/$leaf")/pids.max")" "below the container's pids limit"
        jq '.process | .args = ["cat", "/proc/self/cgroup"]' "$TD/b/config.json" >"$TD/process.json"
        capture rh exec --process "$TD/process.json" --cgroup sub "$id"
        assert_eq 0 "$rc" "exec --process with --cgroup sub runs too"
        assert_match "$out" "pids:/$leaf/sub|0::/$leaf/sub" "in the container's sub-cgroup"
        # crun leaves the process in its own cgroup (the caller's) when
        # the directory does not exist, and reads no controller list
        capture rh exec --cgroup nosuch "$id" true
        assert_eq 1 "$rc" "exec --cgroup of a missing sub-cgroup is refused"
        assert_contains "$err" "kernel-mounts: --cgroup: nosuch names" "naming the missing directory"
        capture rh exec --cgroup "pids:sub" "$id" true
        assert_eq 1 "$rc" "exec --cgroup with a controller list is refused"
        assert_contains "$err" "pids:sub names controllers" "saying why"
        # and skips a hierarchy whose directory is gone when it joins, late:
        # a sub-cgroup is for runc only (here a wrapper of another name)
        prepared_runtime "$TD/rt" ":"
        capture rh --harden-runtime "$TD/rt" exec --cgroup sub "$id" true
        assert_eq 1 "$rc" "exec --cgroup sub through another runtime than runc is refused"
        assert_contains "$err" "sub names a sub-cgroup, and the runtime is" "saying why"
        rh delete --force "$id"
        for line in "${dirs[@]}"; do rmdir "$line" 2>/dev/null || true; done
        rmdir "$(cg_dir pids "/$leaf")" 2>/dev/null || true
}

run_tests
