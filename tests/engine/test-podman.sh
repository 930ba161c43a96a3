#!/bin/bash
# podman with runc-harden as its OCI runtime (podman --runtime PATH):
# podman runs it through conmon, without --log, and shows its stderr.
source "$(dirname "$0")/lib.sh"

command -v podman >/dev/null || skip_all "podman is not installed (bash tests/engine/services.sh install)"
podman_image
# podman's runtime flags name a path; runtime arguments come from
# containers.conf. A wrapper gives runc-harden the test's policy and runc.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"
# podman asks for 1048576 open files by default, which only a caller with
# CAP_SYS_RESOURCE may grant (CI containers often lack it): ask for less.
ULIMITS=(--ulimit nofile=1024:4096 --ulimit nproc=512:512)

prun() {
        podman_ --runtime "$WRAPPER" run --rm --label "rh-engine-test=$ENGINE_TAG" "${ULIMITS[@]}" "$@"
}

test_a_plain_container_runs_fixed() {
        assert_ok "podman run works" prun "localhost/$IMAGE" \
                sh -c 'grep -E "NoNewPrivs|Seccomp:" /proc/self/status; touch /x 2>&1; true'
        assert_match "$out" $'NoNewPrivs:\t1' "no_new_privs is set"
        assert_match "$out" $'Seccomp:\t2' "a seccomp filter is in force"
        assert_contains "$out" "Read-only file system" "the root file system is read-only"
}

test_a_read_write_bind_of_etc_is_refused() {
        assert_fails "podman run -v /etc:/h is refused" prun -v /etc:/h "localhost/$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "podman shows the policy's message"
        assert_ok "read-only, it runs" prun -v /etc:/h:ro "localhost/$IMAGE" test -f /h/passwd
}

test_the_runtime_can_be_named_in_full_with_runc_harden_flags() {
        # podman passes global flags of its own before the command when
        # asked to (--log-level debug adds runc's --debug).
        assert_ok "podman --log-level debug run works" podman_ --log-level debug --runtime "$WRAPPER" \
                run --rm "${ULIMITS[@]}" "localhost/$IMAGE" true
}

run_tests
