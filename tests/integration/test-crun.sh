#!/bin/bash
# --harden-runtime /usr/bin/crun: the same checks in front of crun, and the
# same pass-through.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CRUN=${CRUN:-/usr/bin/crun}
[ -x "$CRUN" ] || skip_all "crun is not installed ($CRUN)"

crun_prepare_host

CRUN_STATE=$T/crun-state
mkdir -p "$CRUN_STATE"
EXTRA_ROOTS+=("$CRUN $CRUN_STATE")

rhc() {
        STATE=$CRUN_STATE rh --harden-runtime "$CRUN" "$@"
}

test_a_container_goes_through_its_life_under_crun() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create through crun" rhc create --bundle "$TD/b" "$id"
        assert_eq created "$(crun_status "$id")" "crun created it"
        assert_eq absent "$(container_status "$id")" "runc knows nothing of it"
        assert_ok "start through crun" rhc start "$id"
        assert_eq running "$(crun_status "$id")" "running"
        capture rhc state "$id"
        local want=$out
        capture crun_ state "$id"
        assert_eq "$out" "$want" "state is crun's"
        capture rhc list
        want=$out
        capture crun_ list
        assert_eq "$out" "$want" "list is crun's"
        assert_ok "kill through crun" rhc kill "$id" KILL
        local _
        for _ in $(seq 600); do
                [ "$(crun_status "$id")" = stopped ] && break
                sleep 0.1
        done
        assert_eq stopped "$(crun_status "$id")" "stopped after kill"
        assert_ok "delete through crun" rhc delete "$id"
        assert_eq absent "$(crun_status "$id")" "gone after delete"
}

test_a_docker_sock_bind_is_denied_before_crun_runs() {
        local id before
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        before=$(sha "$TD/b/config.json")
        assert_status 1 "create through crun" rhc create --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket: /mounts/" "denied by engine-socket"
        assert_eq absent "$(crun_status "$id")" "crun made no container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
}

test_a_writable_root_is_fixed_for_crun_too() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c 'touch /x 2>/dev/null && echo root=writable || echo root=read-only; grep NoNewPrivs /proc/self/status'
        spec_set "$TD/b" '.root.readonly = false | del(.process.noNewPrivileges)'
        assert_ok "run through crun" rhc run --bundle "$TD/b" "$id"
        assert_contains "$out" "root=read-only" "the root is read-only"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "NoNewPrivs is 1"
        assert_eq true "$(spec_get "$TD/b" .root.readonly)" "config.json: root.readonly is true"
}

# runc-harden's own four lines, then crun's output as crun prints it.
test_crun_version_passes_through() {
        capture rhc --version
        local got=$out
        capture crun_ --version
        assert_eq "$out" "$(tail -n +5 <<<"$got")" "--version ends with crun's"
        assert_match "$(head -1 <<<"$got")" '^runc-harden version ' "and begins with runc-harden's"
        assert_match "$(sed -n 4p <<<"$got")" '^runc-harden delegate: .*crun$' "which names crun as the delegate"
}

run_tests
