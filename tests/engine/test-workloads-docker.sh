#!/bin/bash
# The workload suite through Docker, runc-harden its default runtime
# (workload-lib.sh). Also: docker exec processes get the container's
# limits, which runc does not give a process file by itself.
source "$(dirname "$0")/workload-lib.sh"

require_engines
command -v debootstrap >/dev/null || skip_all "debootstrap is not installed (bash tests/engine/services.sh install)"
E=docker_
ENGINE_NAME=docker
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}, "default-runtime": "hardened"}')"

# limits_of PID: "soft-nofile hard-nofile soft-nproc hard-nproc soft-core"
# of a host process, from /proc/PID/limits.
limits_of() {
        awk '/^Max open files/ {f = $4 " " $5} /^Max processes/ {p = $3 " " $4} /^Max core file size/ {c = $5}
                END {print f " " p " " c}' "/proc/$1/limits"
}

# exec_limits ID: the same, as `docker exec` sees them.
exec_limits() {
        docker_ exec "$1" bash -c 'echo "$(ulimit -Sn) $(ulimit -Hn) $(ulimit -Su) $(ulimit -Hu) $(ulimit -Sc)"'
}

# check_exec_limits WHAT ID: docker exec gets PID 1's limits, not the shim's.
check_exec_limits() {
        local what=$1 id=$2 pid pn_s pn_h pu_s pu_h pc en_s en_h eu_s eu_h ec sn_s sn_h su_s su_h
        pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$id")
        read -r pn_s pn_h pu_s pu_h pc <<<"$(limits_of "$pid")"
        # the shim that runs runc exec: PID 1's parent
        read -r sn_s sn_h su_s su_h _ <<<"$(limits_of "$(ps -o ppid= -p "$pid" | tr -d ' ')")"
        read -r en_s en_h eu_s eu_h ec <<<"$(exec_limits "$id")"
        assert_eq "$pn_h" "$en_h" "$what: docker exec's ulimit -Hn is PID 1's ($pn_h)"
        # runc 1.1.5 (Go 1.19) may raise an exec'd process's soft open-file
        # limit to its hard one (runc PR #4265); the hard limit holds.
        assert_match "$en_s" "^($pn_s|$pn_h)$" "$what: docker exec's ulimit -Sn is PID 1's soft or hard limit"
        assert_eq "$pu_s $pu_h" "$eu_s $eu_h" "$what: docker exec's ulimit -u (soft, hard) is PID 1's"
        assert_ne "$su_s $su_h" "$eu_s $eu_h" "$what: not the shim's ($su_s $su_h)"
        echo "# $what: PID 1 nofile $pn_s:$pn_h nproc $pu_s:$pu_h core $pc; docker exec nofile $en_s:$en_h" \
                "nproc $eu_s:$eu_h core $ec; shim nofile $sn_s:$sn_h nproc $su_s:$su_h"
        exec_core=$ec exec_hard_nofile=$en_h shim_hard_nofile=$sn_h
}

test_docker_exec_processes_get_the_containers_limits() {
        local image id
        image=$(wl_image shell)
        assert_ok "docker run with no --ulimit" drun -d "$image"
        id=$out
        docker_wait_running "$id"
        assert_eq "512 512" "$(limits_of "$("$DOCKER" inspect -f '{{.State.Pid}}' "$id")" | cut -d' ' -f3,4)" \
                "PID 1 has the policy's process limit"
        check_exec_limits "the policy's limits" "$id"
        docker_ rm -f "$id" >/dev/null

        assert_ok "docker run --ulimit nofile=1000:2000 --ulimit core=0" \
                drun -d --ulimit nofile=1000:2000 --ulimit core=0 "$image"
        id=$out
        docker_wait_running "$id"
        check_exec_limits "--ulimit" "$id"
        assert_eq 2000 "$exec_hard_nofile" "docker exec's hard open-file limit is the container's 2000"
        assert_ne "$shim_hard_nofile" "$exec_hard_nofile" "not the shim's"
        assert_eq 0 "$exec_core" "docker exec's core size limit is the container's 0 (exec-rlimits)"
        docker_ rm -f "$id" >/dev/null
}

# What an operator has when the policy's memory limit kills a workload:
# docker knows nothing of the limit (Memory 0) but says OOMKilled, and the
# audit record of the container's start names the fix, the value and the
# parameter.
test_an_oom_kill_is_traced_to_the_memory_fix() {
        local image id rec
        image=$(wl_image python)
        # 1.5 GiB of bytes, touched: above the 1 GiB default
        assert_ok "docker run" drun -d "$image" python3 -c 'x = b"x" * (1536 << 20); print("survived")'
        id=$out
        docker_ wait "$id" >/dev/null
        assert_eq "true 137 0" "$("$DOCKER" inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}} {{.HostConfig.Memory}}' "$id")" \
                "docker inspect: OOMKilled, killed by SIGKILL, and no memory limit it knows of"
        rec=$(jq -c --arg id "$id" 'select(.command == "create" and .container == $id)
                | .findings[] | select(.rule == "memory-limit" and .pointer == "/linux/resources/memory/limit")' \
                "$T/audit.log")
        assert_contains "$rec" '"action":"fix"' "the audit log has the container's memory-limit fix"
        assert_contains "$rec" "1073741824 bytes (1 GiB, memory-limit.default)" "with the value and the parameter"
        assert_contains "$rec" "OOM killer" "and what a workload meets past it"
        echo "# audit record: $rec"
        docker_ rm -f "$id" >/dev/null
}

run_tests
