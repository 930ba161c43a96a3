#!/bin/bash
# Docker with runc-harden as the default runtime ("default-runtime":
# "hardened"): every container goes through it, Swarm tasks included.
source "$(dirname "$0")/lib.sh"

require_engines
docker_image
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}, "default-runtime": "hardened"}')"

# service_state NAME: the current state of the service's tasks and their
# errors, one "State | error" line per task.
service_state() {
        "$DOCKER" service ps --no-trunc --format '{{.CurrentState}} | {{.Error}}' "$1" 2>/dev/null
}

# wait_service NAME PATTERN: up to 60 s for the newest task to match.
wait_service() {
        local i
        for i in $(seq 120); do
                service_state "$1" | grep -Eq "$2" && return 0
                sleep 0.5
        done
        return 1
}

test_a_plain_privileged_run_is_refused() {
        assert_fails "docker run --privileged is refused" drun --rm --privileged "$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: capabilities:" "docker run shows the policy's message"
        assert_ok "a plain docker run works" drun --rm "$IMAGE" sh -c 'grep NoNewPrivs /proc/self/status'
        assert_match "$out" $'NoNewPrivs:\t1' "and is fixed"
}

test_swarm_tasks_go_through_the_policy() {
        local plain=rh-plain-$$ sock=rh-sock-$$
        SWARM_MADE=1
        assert_ok "single-node swarm" docker_ swarm init --advertise-addr 127.0.0.1
        SERVICES_MADE+=("$plain" "$sock")
        assert_ok "a plain service converges" docker_ service create --detach=false --quiet --name "$plain" \
                "$IMAGE" sleep 300
        assert_match "$(service_state "$plain")" "^Running" "its task runs"
        # One task, not retried: its error stays the newest.
        assert_ok "the docker.sock service is created" docker_ service create --detach --quiet --name "$sock" --restart-condition none \
                --mount type=bind,src=/var/run/docker.sock,dst=/s "$IMAGE" sleep 300
        if wait_service "$sock" "^(Failed|Rejected)"; then
                pass "its task fails"
        else
                fail "its task fails" "$(service_state "$sock")"
        fi
        assert_contains "$(service_state "$sock")" "runc-harden: denied by policy: engine-socket:" \
                "docker service ps --no-trunc shows the policy's message"
        docker_ service rm "$plain" "$sock" >/dev/null
        assert_ok "leave the swarm" docker_ swarm leave --force
        SWARM_MADE=
}

run_tests
