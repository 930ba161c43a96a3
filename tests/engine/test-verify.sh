#!/bin/bash
# Verification behind the engines: every container they start is verified
# after create (docs/verify.md), and one that runc built otherwise than the
# judged spec said is refused with the message where each engine shows a
# runtime's error. The prediction is broken on purpose: the runtime behind
# runc-harden binds the host's /etc over a bind source after the judgement
# (in a mount namespace of runc's own, tests/integration/lib.sh).
source "$(dirname "$0")/lib.sh"

require_engines
docker_image

VOL=$T/vol
mkdir -p "$VOL"
ALIAS_RT=$T/aliasing-runc
aliasing_runtime "$ALIAS_RT" /etc "$VOL" "$RUNC_BIN"
# a regular expression: the message's end, with its rule
NEEDLE="is a bind of the host's /etc, writable \\(sensitive-mount\\)"

# wrapper FILE ARGS...: a runtime path for engines that take no arguments.
wrapper() {
        local f=$1
        shift
        printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}" "$@")" >"$f"
        chmod +x "$f"
}
wrapper "$T/verified" # runc-harden in front of runc
wrapper "$T/aliased" --harden-runtime "$ALIAS_RT"

# Swarm tasks run on the default runtime: the aliasing one. A task whose
# service does not bind $VOL is not touched by the alias.
docker_config "$(jq -n --argjson h "$(runtime_entry)" --argjson a "$(runtime_entry --harden-runtime "$ALIAS_RT")" \
        '{runtimes: {hardened: $h, "hardened-alias": $a}, "default-runtime": "hardened-alias"}')"

test_docker_containers_are_verified_and_a_wrong_one_is_refused() {
        local id name=rh-verify-$$-$RANDOM
        assert_ok "docker run --runtime=hardened (verified) runs" drun -d --runtime=hardened --tmpfs /run \
                -v "rh-verify-vol-$$:/data" -v "$VOL:/vol:ro" "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        assert_ok "docker exec works" docker_ exec "$id" sh -c 'touch /data/x && ls /vol'
        assert_fails "the /etc alias is refused" drun --name "$name" --runtime=hardened-alias -v "$VOL:/x" "$IMAGE" true
        assert_match "$err" "runc-harden: container [0-9a-f]+: /proc/[0-9]+/mountinfo: /x $NEEDLE" \
                "docker run shows the verification's message"
        assert_eq created "$("$DOCKER" inspect -f '{{.State.Status}}' "$name")" "the container never started"
        assert_eq 0 "$(find "$VOL" -mindepth 1 | wc -l)" "the bind source on the host is untouched"
        docker_ rm -f "$name" >/dev/null
        docker_ rm -f "$id" >/dev/null
        docker_ volume rm "rh-verify-vol-$$" >/dev/null 2>&1 || true
}

test_containerd_ctr_containers_are_verified_and_a_wrong_one_is_refused() {
        ctr_image
        local id=rh-verify-ctr-$$
        CTR_IDS+=("$id" "$id-alias")
        assert_ok "ctr run (verified) works" timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$T/verified" --rm \
                "$CTR_IMAGE" "$id" sh -c 'grep NoNewPrivs /proc/self/status'
        assert_match "$out" $'NoNewPrivs:\t1' "and runs fixed"
        assert_fails "the /etc alias is refused" timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$T/aliased" --rm \
                --mount "type=bind,src=$VOL,dst=/x,options=rbind:rw" "$CTR_IMAGE" "$id-alias" true
        assert_match "$err" "runc-harden: container $id-alias: /proc/[0-9]+/mountinfo: /x $NEEDLE" \
                "ctr shows the verification's message"
}

test_podman_containers_are_verified_and_a_wrong_one_is_refused() {
        command -v podman >/dev/null || {
                pass "podman is not installed: skipped"
                return
        }
        podman_image
        local ulimits=(--ulimit nofile=1024:4096 --ulimit nproc=512:512)
        assert_ok "podman run (verified) works" podman_ --runtime "$T/verified" run --rm \
                --label "rh-engine-test=$ENGINE_TAG" "${ulimits[@]}" "localhost/$IMAGE" true
        assert_fails "the /etc alias is refused" podman_ --runtime "$T/aliased" run --rm \
                --label "rh-engine-test=$ENGINE_TAG" "${ulimits[@]}" -v "$VOL:/x" "localhost/$IMAGE" true
        assert_match "$err" "runc-harden: container [0-9a-f]+: /proc/[0-9]+/mountinfo: /x $NEEDLE" \
                "podman shows the verification's message"
}

service_state() {
        "$DOCKER" service ps --no-trunc --format '{{.CurrentState}} | {{.Error}}' "$1" 2>/dev/null
}

test_swarm_tasks_are_verified_and_a_wrong_one_is_refused() {
        local plain=rh-verify-plain-$$ alias=rh-verify-alias-$$ i
        SWARM_MADE=1
        assert_ok "single-node swarm" docker_ swarm init --advertise-addr 127.0.0.1
        SERVICES_MADE+=("$plain" "$alias")
        assert_ok "a plain service converges" docker_ service create --detach=false --quiet --name "$plain" \
                "$IMAGE" sleep 300
        assert_match "$(service_state "$plain")" "^Running" "its task runs"
        assert_ok "the aliased service is created" docker_ service create --detach --quiet --name "$alias" \
                --restart-condition none --mount "type=bind,src=$VOL,dst=/x" "$IMAGE" sleep 300
        for i in $(seq 120); do
                service_state "$alias" | grep -Eq "^(Failed|Rejected)" && break
                sleep 0.5
        done
        assert_match "$(service_state "$alias")" "^(Failed|Rejected)" "its task fails"
        assert_match "$(service_state "$alias")" "runc-harden: container [0-9a-f]+: /proc/[0-9]+/mountinfo: /x $NEEDLE" \
                "docker service ps --no-trunc shows the verification's message"
        docker_ service rm "$plain" "$alias" >/dev/null
        assert_ok "leave the swarm" docker_ swarm leave --force
        SWARM_MADE=
}

run_tests
