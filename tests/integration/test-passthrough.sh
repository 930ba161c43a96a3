#!/bin/bash
# Commands that are not checked go to runc as they are: same stdout, same
# exit status, and no policy read, so a broken policy never stops anyone from
# stopping or removing a container.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# --version: runc-harden's own lines first (version, build, policy,
# delegate), then runc's output byte for byte, and runc's exit status.
version_then_runcs() {
        local a=0 b=0
        rh "$1" >"$T/rh.out" 2>"$T/rh.err" || a=$?
        runc_ "$1" >"$T/runc.out" 2>"$T/runc.err" || b=$?
        assert_eq "$b" "$a" "$1: exit status is runc's"
        assert_match "$(head -1 "$T/rh.out")" '^runc-harden version [0-9]' "$1: runc-harden's version first"
        tail -n +5 "$T/rh.out" >"$T/rh.tail"
        assert_same_file "$T/runc.out" "$T/rh.tail" "$1: then runc's stdout, byte for byte"
        assert_same_file "$T/runc.err" "$T/rh.err" "$1: stderr is runc's"
}

test_version_help_and_features_are_runcs() {
        version_then_runcs --version
        version_then_runcs -v
        same_as_runc "--help" --help
        same_as_runc "features" features
        # The checked commands' own help goes to runc as well.
        same_as_runc "create --help" create --help
        same_as_runc "run -h" run -h
        same_as_runc "exec --help" exec --help
        same_as_runc "update --help" update --help
        same_as_runc "an unknown command (an error)" no-such-command
}

test_spec_writes_the_same_config_as_runc() {
        mkdir -p "$TD/rh" "$TD/runc"
        assert_ok "rh spec" rh spec --bundle "$TD/rh"
        assert_ok "runc spec" runc_ spec --bundle "$TD/runc"
        assert_same_file "$TD/runc/config.json" "$TD/rh/config.json" "spec: config.json is runc's, byte for byte"
        # A second spec in the same place is refused by runc, and so here.
        capture runc_ spec --bundle "$TD/runc"
        local want=$rc
        capture rh spec --bundle "$TD/rh"
        assert_eq "$want" "$rc" "spec over an existing config.json: exit status is runc's"
}

test_a_container_goes_through_its_life_as_with_runc() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create a container that passes the policy" rh create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "created"
        same_as_runc "state of a created container" state "$id"
        same_as_runc "list" list
        same_as_runc "list --format json" list --format json
        same_as_runc "list -q" list -q

        assert_ok "start" rh start "$id"
        assert_eq "" "$out" "start prints nothing"
        assert_eq running "$(container_status "$id")" "running after start"
        same_as_runc "state of a running container" state "$id"
        same_as_runc "list with a running container" list

        assert_ok "pause" rh pause "$id"
        assert_eq paused "$(container_status "$id")" "paused after pause"
        same_as_runc "state of a paused container" state "$id"
        assert_ok "resume" rh resume "$id"
        assert_eq running "$(container_status "$id")" "running after resume"

        assert_ok "kill" rh kill "$id" KILL
        wait_status "$id" stopped || true
        assert_eq stopped "$(container_status "$id")" "stopped after kill"
        same_as_runc "state of a stopped container" state "$id"
        assert_ok "delete" rh delete "$id"
        assert_eq absent "$(container_status "$id")" "gone after delete"
        same_as_runc "state of a deleted container (an error)" state "$id"
        same_as_runc "delete of a missing container (an error)" delete "$id"
        same_as_runc "kill of a missing container (an error)" kill "$id" KILL
}

test_kill_and_delete_work_with_a_corrupt_policy() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create with the good policy" rh create --bundle "$TD/b" "$id"
        assert_ok "start with the good policy" rh start "$id"

        RH_POLICY=$RH_TEST_DATA/garbage.policy.json
        assert_fails "the corrupt policy really is corrupt" rh_own policy check "$RH_POLICY"
        same_as_runc "state with a corrupt policy" state "$id"
        same_as_runc "list with a corrupt policy" list
        assert_ok "kill with a corrupt policy" rh kill "$id" KILL
        wait_status "$id" stopped || true
        assert_eq stopped "$(container_status "$id")" "stopped after kill with a corrupt policy"
        assert_ok "delete with a corrupt policy" rh delete "$id"
        assert_eq absent "$(container_status "$id")" "gone after delete with a corrupt policy"
}

test_kill_and_delete_work_with_a_missing_policy() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create with the good policy" rh create --bundle "$TD/b" "$id"
        RH_POLICY=$TD/no-such-policy.json
        assert_ok "kill with a missing policy" rh kill "$id" KILL
        assert_ok "delete --force with a missing policy" rh delete --force "$id"
        assert_eq absent "$(container_status "$id")" "gone after delete with a missing policy"
}

test_delete_force_of_a_running_container_works() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create" rh create --bundle "$TD/b" "$id"
        assert_ok "start" rh start "$id"
        assert_ok "delete --force" rh delete --force "$id"
        assert_eq absent "$(container_status "$id")" "gone after delete --force"
}

run_tests
