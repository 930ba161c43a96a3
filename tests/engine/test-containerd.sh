#!/bin/bash
# containerd's runc shim with runc-harden as its runc binary (what a
# Kubernetes runtime handler's BinaryName does), driven with ctr.
source "$(dirname "$0")/lib.sh"

require_engines
ctr_image
# `ctr run --runc-binary` takes a path and no arguments: a wrapper gives
# runc-harden the test's policy and the real runc.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"

# ctr_run ID ARGS...: ctr run --rm through the wrapper.
ctr_run() {
        local id=$1
        shift
        CTR_IDS+=("$id")
        timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$WRAPPER" --rm "$@" "$CTR_IMAGE" "$id" "${CTR_ARGS[@]}"
}

test_a_plain_container_runs_fixed() {
        CTR_ARGS=(sh -c 'grep -E "NoNewPrivs|Seccomp:" /proc/self/status; touch /x 2>&1; true')
        assert_ok "ctr run works" ctr_run "rh-plain-$$"
        assert_match "$out" $'NoNewPrivs:\t1' "no_new_privs is set"
        assert_match "$out" $'Seccomp:\t2' "a seccomp filter is in force"
        assert_contains "$out" "Read-only file system" "the root file system is read-only"
}

test_binding_the_containerd_socket_is_refused() {
        CTR_ARGS=(true)
        assert_fails "ctr run is refused" ctr_run "rh-sock-$$" \
                --mount type=bind,src=/run/containerd/containerd.sock,dst=/s,options=rbind:ro
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "ctr shows the policy's message"
        assert_contains "$err" "/run/containerd/containerd.sock" "the message names the socket"
}

run_tests
