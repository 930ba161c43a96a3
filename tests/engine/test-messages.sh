#!/bin/bash
# What each engine shows of runc-harden's messages (docs/engines.md, "Where
# the messages go"), and a name carrying a forged terminal line through the
# engines that print a runtime's message raw: ctr (from the runc log) and
# podman (from stderr). The terminal must see it escaped.
source "$(dirname "$0")/lib.sh"

require_engines

# A wrapper gives runc-harden the test's policy and the real runc: ctr and
# podman take a runtime path without arguments.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"

# Erase the line, back to its start, a green "allowed": what a raw
# terminal would show instead of the denial. No newline: ctr and podman
# read --mount as a CSV record, which a newline ends (the integration
# suite feeds newlines through every output).
FORGED=$'\e[2K\r\e[32mrunc-harden: allowed\e[0m'
# A symlink to /etc with that name: sensitive-mount quotes the name.
FORGED_SRC=$T/src$FORGED
ln -s /etc "$FORGED_SRC"

ULIMITS=(--ulimit nofile=1024:4096 --ulimit nproc=512:512)

prun() {
        podman_ --runtime "$WRAPPER" run --rm --label "rh-engine-test=$ENGINE_TAG" "${ULIMITS[@]}" "$@"
}

ctr_run() {
        local id=$1
        shift
        CTR_IDS+=("$id")
        timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$WRAPPER" --rm "$@" "$CTR_IMAGE" "$id" true
}

# raw_controls TEXT: the C0 controls (newline aside) and DEL in TEXT.
raw_controls() {
        printf '%s' "$1" | LC_ALL=C tr -d '\n' | LC_ALL=C tr -cd '\000-\037\177' | wc -c
}

test_ctr_shows_a_forged_name_escaped() {
        ctr_image
        assert_fails "ctr run with the forged bind is refused" ctr_run "rh-forged-$$" \
                --mount "type=bind,src=$FORGED_SRC,dst=/x,options=rbind:rw"
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "ctr shows the denial"
        assert_eq 0 "$(raw_controls "$err")" "with no raw control character"
        assert_contains "$err" 'src\x1b[2K\r\x1b[32mrunc-harden: allowed\x1b[0m,' "the name shown escaped"
}

test_podman_shows_a_forged_name_escaped() {
        podman_image
        assert_fails "podman run with the forged bind is refused" \
                prun --mount "type=bind,source=$FORGED_SRC,target=/x" "localhost/$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "podman shows the denial"
        assert_eq 0 "$(raw_controls "$err")" "with no raw control character"
        assert_contains "$err" 'src\x1b[2K\r\x1b[32mrunc-harden: allowed\x1b[0m,' "the name shown escaped"
}

# podman runs the runtime through conmon without --log: what runc-harden
# writes to stderr on a create that succeeds (the fix lines) is not shown,
# only a failed create's message is. The audit log has the fixes.
test_podman_shows_denials_but_not_fix_lines() {
        podman_image
        assert_ok "a fixable container runs" prun "localhost/$IMAGE" true
        assert_not_contains "$out$err" "fixed by policy" "podman run shows no fix line"
        assert_contains "$(jq -r 'select(.verdict == "fix") | .findings[].rule' "$T/audit.log")" readonly-rootfs \
                "the audit log holds the fixes"
}

# docker shows a refused create with runc-harden's whole message; fix and
# warning lines stay in the shim's runc log (gone with the container) and
# the audit log.
test_docker_shows_the_denial_and_keeps_fix_lines_in_the_logs() {
        local id
        docker_image
        docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}}')"
        assert_fails "docker run --privileged is refused" drun --rm --runtime=hardened --privileged "$IMAGE" true
        assert_match "$err" 'OCI runtime create failed: runc-harden: denied by policy: capabilities: ' \
                "docker run prints the policy's message"
        assert_ok "a fixable container runs" drun -d --runtime=hardened "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        assert_not_contains "$out$err" "fixed by policy" "docker run shows no fix line"
        assert_contains "$(shim_log "$id")" "fixed by policy: readonly-rootfs" "the shim's runc log has them"
        # docker update: a refusal comes back whole (Docker 20.10 reads the
        # runtime's stderr after a failed update).
        assert_fails "docker update --pids-limit -1 is refused" docker_ update --pids-limit -1 "$id"
        assert_contains "$err" "runc-harden: denied by policy: pids-limit:" "docker update prints the policy's message"
        echo "# docker update said: $err"
        docker_ rm -f "$id" >/dev/null
}

run_tests
