#!/bin/bash
# Resource limits on real runc: a container without limits gets the policy's
# (memory, CPU quota and weight, pids, open files, processes), a fork bomb
# stops at the pids limit, and an update that would remove a limit is
# refused whether it comes as --resources or as flags.
source "$(dirname "$0")/lib.sh"

RESOURCE_RULES='["memory-limit","cpu-quota","cpu-priority","pids-limit","nofile-limit","nproc-limit"]'

# The foundation's rules and this family's; the other families are off.
"$RUNC_HARDEN" policy show --level baseline |
        jq --argjson keep "$(jq -cn --argjson a "$FOUNDATION_RULES" --argjson b "$RESOURCE_RULES" '$a + $b')" \
                --arg audit "$T/audit.log" '
                .["audit-log"] = $audit
                | .rules |= with_entries(if (.key | IN($keep[])) then . else .value.action = "off" end)' >"$T/resources-policy.json"
RH_POLICY=$T/resources-policy.json

CG=/sys/fs/cgroup
CG_V2=
[ -f "$CG/cgroup.controllers" ] && CG_V2=1
[ "$(id -u)" = 0 ] || skip_all "the cgroup limits are read as root"
if [ -n "$CG_V2" ]; then
        for c in memory pids cpu; do
                grep -qw "$c" "$CG/cgroup.subtree_control" || skip_all "the $c controller is not enabled in $CG"
        done
else
        for c in memory pids cpu; do
                [ -d "$CG/$c" ] || skip_all "no cgroup v1 $c hierarchy at $CG/$c"
        done
fi
CGROUPS=()

# new_container VAR CGVAR BUNDLE [ARG...]: a bundle running ARGs in a cgroup
# path of its own, so that its files can be read.
new_container() {
        local -n _id=$1 _cg=$2
        local b=$3
        shift 3
        new_id _id
        _cg="/$_id"
        CGROUPS+=("$_cg")
        make_bundle "$b" "$@"
        spec_set "$b" '.linux.cgroupsPath = $p' --arg p "$_cg"
}

# cg_read CGPATH WHAT: a limit as the kernel has it, in cgroup v1 terms.
cg_read() {
        local p=$1
        if [ -z "$CG_V2" ]; then
                case $2 in
                memory) cat "$CG/memory$p/memory.limit_in_bytes" ;;
                memsw) cat "$CG/memory$p/memory.memsw.limit_in_bytes" ;;
                pids) cat "$CG/pids$p/pids.max" ;;
                pids-current) cat "$CG/pids$p/pids.current" ;;
                pids-events) cat "$CG/pids$p/pids.events" 2>/dev/null || true ;;
                quota) cat "$CG/cpu$p/cpu.cfs_quota_us" ;;
                period) cat "$CG/cpu$p/cpu.cfs_period_us" ;;
                shares) cat "$CG/cpu$p/cpu.shares" ;;
                esac
        else
                case $2 in
                memory) cat "$CG$p/memory.max" ;;
                # v2 keeps swap apart: swap.max 0 is "memory+swap = memory"
                memsw) echo $(($(cat "$CG$p/memory.max") + $(cat "$CG$p/memory.swap.max"))) ;;
                pids) cat "$CG$p/pids.max" ;;
                pids-current) cat "$CG$p/pids.current" ;;
                pids-events) cat "$CG$p/pids.events" ;;
                quota) cut -d' ' -f1 "$CG$p/cpu.max" ;;
                period) cut -d' ' -f2 "$CG$p/cpu.max" ;;
                # runc converts shares to a weight: 1 + (shares - 2) * 9999 / 262142
                shares) awk '{print int(($1 - 1) * 262142 / 9999 + 2 + 0.999)}' "$CG$p/cpu.weight" ;;
                esac
        fi
}

# remove_container ID: deleted (killing what runs) and its cgroup gone.
remove_container() {
        runc_ delete --force "$1" >/dev/null 2>&1 || true
}

remove_cgroups() {
        local p d
        for p in "${CGROUPS[@]}"; do
                for d in "$CG"/*"$p" "$CG$p"; do
                        [ -d "$d" ] && rmdir "$d" 2>/dev/null
                done
        done
        return 0
}

# lib.sh's cleanup deletes the containers; the cgroups runc left behind (a
# create that failed half-way) go first, after their containers.
trap 'rc_=$?; for id in "${CONTAINERS[@]}"; do remove_container "$id"; done; remove_cgroups; (exit $rc_); cleanup' EXIT

# Soft and hard limits from /proc/PID/limits. runc before 1.1.13 (built with
# Go >= 1.19) races with the Go runtime in exec'd processes, which may end up
# with the soft RLIMIT_NOFILE raised to the hard one (runc #4265): for them
# only the hard limit is certain.
limits_line() {
        # "Max open files  1024  4096  files" -> "1024 4096"
        awk -v what="$2" 'index($0, what) == 1 {n = split(substr($0, length(what) + 1), f, " +"); print f[2], f[3]}' <<<"$1"
}

# The hard open-file limit the policy's default becomes here: nofile-limit.hard,
# lowered to runc's own hard limit unless runc may raise it (CAP_SYS_RESOURCE
# in the initial user namespace, as root here may lack).
default_nofile_hard() {
        local want own cap
        want=$(jq -r '.rules["nofile-limit"].params.hard' "$RH_POLICY")
        own=$(ulimit -Hn)
        cap=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
        if [ "$own" != unlimited ] && (((0x$cap >> 24 & 1) == 0)) && [ "$own" -lt "$want" ]; then
                want=$own
        fi
        echo "$want"
}

test_a_container_without_limits_gets_the_policys() {
        local id cg b=$TD/b
        new_container id cg "$b" sleep 1000
        spec_set "$b" 'del(.process.rlimits) | del(.linux.resources.memory, .linux.resources.cpu, .linux.resources.pids)'
        assert_ok "run -d with no limits in the spec" rh run -d --bundle "$b" "$id"
        assert_finding "$err" "fixed by policy" pids-limit /linux/resources "the fix is logged"
        assert_eq 1073741824 "$(cg_read "$cg" memory)" "memory limit is 1 GiB"
        assert_eq 1073741824 "$(cg_read "$cg" memsw)" "memory plus swap is the memory limit (no swap)"
        assert_eq 1024 "$(cg_read "$cg" pids)" "pids.max is 1024"
        assert_eq 100000 "$(cg_read "$cg" quota)" "CPU quota is 100000 us"
        assert_eq 100000 "$(cg_read "$cg" period)" "CPU period is 100000 us"
        assert_eq 1024 "$(cg_read "$cg" shares)" "CPU shares are the default weight"
        local hard
        hard=$(default_nofile_hard)
        capture runc_ exec "$id" cat /proc/1/limits
        assert_eq "1024 $hard" "$(limits_line "$out" "Max open files")" "the container's process has nofile 1024/$hard"
        assert_eq "512 512" "$(limits_line "$out" "Max processes")" "the container's process has nproc 512/512"
        capture runc_ exec "$id" cat /proc/self/limits
        assert_match "$(limits_line "$out" "Max open files")" "^(1024|$hard) $hard$" \
                "an exec'd process (built from config.json) has them too"
        assert_eq '{"limit":1073741824,"swap":1073741824}' "$(spec_get "$b" .linux.resources.memory)" \
                "config.json holds the fixed memory"
        remove_container "$id"
}

test_limits_the_spec_sets_are_kept() {
        local id cg b=$TD/b
        new_container id cg "$b" sleep 1000
        spec_set "$b" '.linux.resources += {"memory": {"limit": 268435456, "swap": 536870912},
                        "cpu": {"shares": 512, "quota": 150000, "period": 100000}, "pids": {"limit": 100}}'
        assert_ok "run -d with docker's quotas" rh run -d --bundle "$b" "$id"
        assert_not_contains "$err" "memory-limit" "memory is not touched"
        assert_eq 268435456 "$(cg_read "$cg" memory)" "memory limit as asked"
        assert_eq 536870912 "$(cg_read "$cg" memsw)" "memory plus swap as asked"
        assert_eq 100 "$(cg_read "$cg" pids)" "pids.max as asked"
        assert_eq 150000 "$(cg_read "$cg" quota)" "CPU quota as asked"
        assert_eq 512 "$(cg_read "$cg" shares)" "CPU shares as asked"
        remove_container "$id"
}

test_a_fork_bomb_stops_at_the_pids_limit() {
        local id cg b=$TD/b i n most=0
        # The bomb runs in a child: the container's init forks once, before
        # any pressure, then becomes sleep; a refused fork in the init
        # itself would end the container (seen under CI's load).
        new_container id cg "$b" sh -c '(b() { b | b & }; b) & exec sleep 1000'
        spec_set "$b" '.linux.resources.pids = {"limit": 20}'
        # not through capture: the bomb's shells write to these files
        rh run -d --bundle "$b" "$id" >"$TD/bomb.out" 2>"$TD/bomb.err"
        pass "the bomb starts"
        # watched until the shells report refused forks: 10 s at most
        for i in $(seq 50); do
                n=$(cg_read "$cg" pids-current)
                [ "$n" -gt "$most" ] && most=$n
                [ "$i" -ge 10 ] && grep -q "can't fork" "$TD/bomb.err" && break
                sleep 0.2
        done
        assert_eq 20 "$(cg_read "$cg" pids)" "pids.max is the spec's 20"
        assert_contains "$(cat "$TD/bomb.err")" "can't fork" "the bomb's forks were refused"
        if [ "$most" -le 20 ]; then
                pass "never more than 20 processes (at most $most seen)"
        else
                fail "$most processes in a container limited to 20"
        fi
        # pids.events (v1 since Linux 4.3, v2) counts the refused forks
        local events
        events=$(cg_read "$cg" pids-events)
        [ -z "$events" ] || assert_match "$events" "^max [1-9]" "the kernel counted the refused forks"
        assert_eq running "$(container_status "$id")" "the container itself is still there"
        assert_ok "the host still starts processes" timeout 10 bash -c 'for i in $(seq 20); do /bin/true; done'
        remove_container "$id"
        assert_eq absent "$(container_status "$id")" "the bomb is gone"
}

# start_plain VAR CGVAR: a running container with the policy's defaults.
start_plain() {
        local -n _sid=$1 _scg=$2
        new_container _sid _scg "$TD/b" sleep 1000
        spec_set "$TD/b" 'del(.linux.resources.pids)'
        rh run -d --bundle "$TD/b" "$_sid" >/dev/null 2>&1
        [ "$(cg_read "$_scg" pids)" = 1024 ]
}

test_an_update_that_removes_the_pids_limit_is_refused() {
        local id cg
        start_plain id cg
        echo '{"pids":{"limit":-1}}' >"$TD/unlimit.json"
        capture rh update --resources - "$id" <"$TD/unlimit.json"
        assert_ne 0 "$rc" "update --resources - with pids -1 fails"
        assert_contains "$err" "pids-limit" "the message names pids-limit"
        assert_eq 1024 "$(cg_read "$cg" pids)" "pids.max is unchanged"
        assert_fails "update --resources FILE with pids -1 fails" rh update --resources "$TD/unlimit.json" "$id"
        assert_fails "the corpus's docker update --pids-limit -1 fails" \
                rh update --resources "$RH_CORPUS/docker/update-unlimit.resources.json" "$id"
        assert_eq 1024 "$(cg_read "$cg" pids)" "pids.max is still unchanged"
        remove_container "$id"
}

test_an_acceptable_update_applies() {
        local id cg
        start_plain id cg
        echo '{"pids":{"limit":200}}' >"$TD/ok.json"
        assert_ok "update --resources - with pids 200" rh update --resources - "$id" <"$TD/ok.json"
        assert_eq 200 "$(cg_read "$cg" pids)" "pids.max is 200"
        assert_ok "the corpus's docker update (100m, swap 200m, pids 50)" \
                rh update --resources - "$id" <"$RH_CORPUS/docker/update-mem.resources.json"
        assert_eq 104857600 "$(cg_read "$cg" memory)" "memory limit is 100 MiB"
        assert_eq 50 "$(cg_read "$cg" pids)" "pids.max is 50"
        remove_container "$id"
}

test_update_flags_get_the_same_decision() {
        local id cg
        start_plain id cg
        assert_fails "update --pids-limit -1" rh update --pids-limit -1 "$id"
        assert_contains "$err" "pids-limit" "the message names pids-limit"
        assert_eq 1024 "$(cg_read "$cg" pids)" "pids.max is unchanged"
        assert_fails "update --memory 100m --pids-limit -1" rh update --memory 100m --pids-limit -1 "$id"
        assert_eq 1073741824 "$(cg_read "$cg" memory)" "nothing of it applied"
        assert_fails "update --memory -1" rh update --memory -1 "$id"
        assert_contains "$err" "memory-limit" "the message names memory-limit"
        assert_fails "update --cpu-quota -1" rh update --cpu-quota -1 "$id"
        assert_contains "$err" "cpu-quota" "the message names cpu-quota"
        assert_eq 100000 "$(cg_read "$cg" quota)" "the CPU quota is unchanged"
        assert_fails "update --memory with a value runc cannot read" rh update --memory 1.2.3 "$id"
        assert_contains "$err" "spec-invalid" "it is spec-invalid"
        assert_ok "update --memory 100m --pids-limit 300" rh update --memory 100m --pids-limit 300 "$id"
        assert_eq 104857600 "$(cg_read "$cg" memory)" "memory limit is 100 MiB"
        assert_eq 300 "$(cg_read "$cg" pids)" "pids.max is 300"
        assert_ok "an empty --resources means the flags" rh update --resources "" --pids-limit 0x100 "$id"
        assert_eq 256 "$(cg_read "$cg" pids)" "pids.max is 256 (0x100)"
        assert_fails "runc itself refuses a bad --kernel-memory" rh update --kernel-memory bogus "$id"
        assert_not_contains "$err" "denied by policy" "that is runc's refusal, not the policy's"
        remove_container "$id"
}

test_realtime_scheduling_is_denied_at_create() {
        local id cg b=$TD/b
        new_container id cg "$b" sleep 1000
        spec_set "$b" '.process.rlimits += [{"type": "RLIMIT_RTPRIO", "hard": 99, "soft": 99}]'
        assert_fails "a container allowed realtime priorities" rh create --bundle "$b" "$id"
        assert_contains "$err" "cpu-priority" "the message names cpu-priority"
        assert_eq absent "$(container_status "$id")" "no container was made"
}

test_exec_processes_get_the_rlimits_they_lack() {
        local id cg b=$TD/b
        new_container id cg "$b" sleep 1000
        assert_ok "the container starts" rh run -d --bundle "$b" "$id"
        jq -n '{args: ["cat", "/proc/self/limits"], cwd: "/", env: ["PATH=/bin"], user: {uid: 0, gid: 0},
                noNewPrivileges: true, rlimits: [{type: "RLIMIT_CORE", hard: 0, soft: 0}]}' >"$TD/p.json"
        assert_ok "exec --process with rlimits but no nofile/nproc" rh exec --process "$TD/p.json" "$id"
        # the container's, from its config.json (runc spec's 1024:1024)
        assert_eq "1024 1024" "$(jq -r '.process.rlimits[] | select(.type == "RLIMIT_NOFILE") | "\(.soft) \(.hard)"' \
                "$b/config.json")" "the container has nofile 1024/1024"
        assert_eq "1024 1024" "$(limits_line "$out" "Max open files")" "the exec'd process has the container's nofile"
        assert_eq "512 512" "$(limits_line "$out" "Max processes")" "and nproc 512/512"
        assert_eq "0 0" "$(limits_line "$out" "Max core file size")" "and keeps the core limit it lists"
        jq '.rlimits = [{type: "RLIMIT_NOFILE", hard: 2097152, soft: 1024}]' "$TD/p.json" >"$TD/big.json"
        assert_fails "exec with nofile above the maximum" rh exec --process "$TD/big.json" "$id"
        assert_contains "$err" "nofile-limit" "the message names nofile-limit"
        remove_container "$id"
}

run_tests
