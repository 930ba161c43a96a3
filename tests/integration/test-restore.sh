#!/bin/bash
# restore makes a container from the bundle's config.json as create does:
# the same checks apply before runc (and criu) are reached.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_a_restore_of_a_spec_binding_the_docker_socket_is_refused() {
        local id before
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        mkdir -p "$TD/checkpoint"
        before=$(sha "$TD/b/config.json")
        capture rh restore --image-path "$TD/checkpoint" --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "restore is refused"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket: /mounts/" "by engine-socket, with the pointer"
        assert_eq absent "$(container_status "$id")" "no container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
}

test_a_restore_bundle_is_found_in_the_working_directory_too() {
        local id
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /run /host-run
        capture bash -c "cd '$TD/b' && exec $(printf '%q ' "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE") restore --image-path '$TD' '$id'"
        assert_eq 1 "$rc" "restore from the bundle directory is refused"
        assert_contains "$err" "engine-socket" "by engine-socket"
}

test_a_restore_of_a_fixable_spec_is_fixed_before_runc_reads_it() {
        local id
        new_id id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.root.readonly = false'
        # No checkpoint exists: runc (or criu) fails after the check; the
        # fix is already in config.json.
        capture rh restore --image-path "$TD/no-checkpoint" --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" readonly-rootfs /root "the fix is logged"
        assert_eq true "$(spec_get "$TD/b" .root.readonly)" "config.json has a read-only root"
}

run_tests
