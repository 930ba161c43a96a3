#!/bin/bash
# Docker with runc-harden as a named runtime (docker run --runtime=hardened):
# what docker run, exec, update and the lifecycle commands look like through
# dockerd, containerd and its runc shim.
source "$(dirname "$0")/lib.sh"

require_engines
docker_image
docker_config "$(jq -n --argjson h "$(runtime_entry)" --argjson d "$(runtime_entry --harden-mode dry-run)" \
        '{runtimes: {hardened: $h, "hardened-dry": $d}}')"

# denied_run WHAT RULE DOCKER-RUN-FLAGS...: docker run refuses, and its
# stderr carries the policy's message with the rule id.
denied_run() {
        local what=$1 rule=$2 name=rh-refused-$$-$RANDOM
        shift 2
        assert_fails "$what is refused" drun --name "$name" --runtime=hardened "$@" "$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy:" "$what: docker run shows the policy's message"
        assert_contains "$err" "$rule: " "$what: the message names the rule $rule"
        assert_eq created "$("$DOCKER" inspect -f '{{.State.Status}}' "$name")" \
                "$what: the container was never started"
        docker_ rm -f "$name" >/dev/null
}

test_a_plain_container_runs_with_the_fixes_in_force() {
        local id
        assert_ok "docker run --runtime=hardened runs" drun -d --runtime=hardened "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        assert_fails "the root file system is read-only" docker_ exec "$id" touch /x
        assert_contains "$err" "Read-only file system" "touch says why"
        capture docker_ exec "$id" cat /proc/self/status
        assert_match "$out" $'NoNewPrivs:\t1' "no_new_privs is set"
        assert_match "$out" $'Seccomp:\t2' "a seccomp filter is in force"
        assert_eq "$(policy_param pids-limit default)" "$(docker_cgroup pids "$id" pids.max)" \
                "the pids cgroup has the policy's default limit"
        assert_eq "$(policy_param memory-limit default)" "$(docker_cgroup memory "$id" memory.limit_in_bytes)" \
                "the memory cgroup has the policy's default limit"
        capture jq -r 'select(.container | startswith("'"${id:0:12}"'")) | .verdict' "$T/audit.log"
        assert_contains "$out" "fix" "the audit log has the fixed start"
}

test_unsafe_containers_are_refused_with_the_rule_in_docker_run_output() {
        denied_run "binding docker.sock" engine-socket -v /var/run/docker.sock:/var/run/docker.sock
        denied_run "--privileged" capabilities --privileged
        denied_run "--net=host" host-namespace --net=host
        denied_run "--pid=host" host-namespace --pid=host
}

test_docker_exec_works_and_a_privileged_exec_is_refused() {
        local id
        assert_ok "start" drun -d --runtime=hardened "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        assert_ok "docker exec works" docker_ exec "$id" echo exec-ok
        assert_eq "exec-ok" "$out" "docker exec prints the process's output"
        assert_fails "docker exec --privileged is refused" docker_ exec --privileged "$id" true
        # docker exec (20.10) prints the engine's error on stdout.
        assert_contains "$out$err" "runc-harden: denied by policy: capabilities:" \
                "docker exec shows the policy's message"
        assert_eq true "$("$DOCKER" inspect -f '{{.State.Running}}' "$id")" "the container keeps running"
}

test_docker_update_cannot_lift_the_pids_limit() {
        local id before
        assert_ok "start" drun -d --runtime=hardened "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        before=$(docker_cgroup pids "$id" pids.max)
        assert_fails "docker update --pids-limit -1 is refused" docker_ update --pids-limit -1 "$id"
        assert_eq "$before" "$(docker_cgroup pids "$id" pids.max)" "the pids limit is unchanged"
        # containerd does not read the runc log after a failed update, so
        # docker shows runc-harden's stderr only; the log has the record.
        assert_contains "$(shim_log "$id")" "denied by policy: pids-limit" \
                "the shim's runc log records the denial"
        assert_ok "a finite limit is accepted" docker_ update --pids-limit 200 "$id"
        assert_eq 200 "$(docker_cgroup pids "$id" pids.max)" "and applied"
}

test_the_lifecycle_commands_work() {
        local id
        assert_ok "start" drun -d --runtime=hardened "$IMAGE" sh -c 'echo hello-log; exec sleep 300'
        id=$out
        docker_wait_running "$id"
        sleep 0.3
        assert_ok "docker logs" docker_ logs "$id"
        assert_eq "hello-log" "$out" "the logs hold the output"
        assert_ok "docker stop" docker_ stop -t 1 "$id"
        assert_eq false "$("$DOCKER" inspect -f '{{.State.Running}}' "$id")" "stopped"
        assert_ok "docker start" docker_ start "$id"
        assert_ok "docker restart" docker_ restart -t 1 "$id"
        docker_wait_running "$id"
        assert_eq true "$("$DOCKER" inspect -f '{{.State.Running}}' "$id")" "running after restart"
        assert_ok "docker kill" docker_ kill "$id"
        assert_ok "docker rm" docker_ rm -f "$id"
        assert_ok "docker run --rm with an exit status" drun --rm --runtime=hardened "$IMAGE" true
        assert_status 3 "the container's exit status reaches docker run" \
                drun --rm --runtime=hardened "$IMAGE" sh -c 'exit 3'
}

test_runtime_args_select_dry_run() {
        assert_ok "the docker.sock container starts under hardened-dry" \
                drun --rm --runtime=hardened-dry -v /var/run/docker.sock:/var/run/docker.sock "$IMAGE" \
                test -S /var/run/docker.sock
        capture jq -r 'select(.mode == "dry-run") | .findings[].rule' "$T/audit.log"
        assert_contains "$out" "engine-socket" "the audit log records what would have been denied"
}

run_tests
