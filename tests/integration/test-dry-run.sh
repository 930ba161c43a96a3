#!/bin/bash
# Dry run: every finding is logged as what would happen, config.json is not
# touched, and runc always runs.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# make_denied DIR: a spec the foundation denies (a bind of /run, which holds
# engine sockets) that runc can nonetheless create.
make_denied() {
        make_bundle "$1"
        add_bind "$1" /run /host-run
}

test_dry_run_creates_a_denied_container_and_says_so() {
        local id before
        new_id id
        make_denied "$TD/b"
        before=$(sha "$TD/b/config.json")
        assert_ok "create in dry-run" rh --harden-mode dry-run create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "runc created the container"
        assert_contains "$(runc_ list -q)" "$id" "runc list shows it"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged, byte for byte"
        assert_finding "$err" "would deny" engine-socket /mounts/ "stderr says it would deny"
        assert_not_contains "$err" "denied by policy" "nothing says it was denied"
        assert_eq "dry-run deny" "$(tail -1 "$T/audit.log" | jq -r '"\(.mode) \(.verdict)"')" \
                "the audit record has mode dry-run and the verdict"
}

test_dry_run_leaves_a_fixable_spec_alone() {
        local id before
        new_id id
        make_bundle "$TD/b" sh -c 'touch /x && echo root=writable'
        spec_set "$TD/b" '.root.readonly = false | del(.process.noNewPrivileges)'
        before=$(sha "$TD/b/config.json")
        assert_ok "run in dry-run" rh --harden-mode dry-run run --bundle "$TD/b" "$id"
        assert_eq root=writable "$out" "the root stays writable"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged, byte for byte"
        assert_finding "$err" "would fix" readonly-rootfs /root/readonly "it would fix the root"
        assert_finding "$err" "would fix" no-new-privileges /process "it would fix noNewPrivileges"
        assert_contains "$err" "runc-harden: dry-run: would fix: readonly-rootfs, no-new-privileges" \
                "one line names both"
}

test_dry_run_from_the_policy_file_does_the_same() {
        local id before
        new_id id
        jq '.mode = "dry-run"' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_denied "$TD/b"
        before=$(sha "$TD/b/config.json")
        assert_ok "create with a dry-run policy" rh create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "runc created the container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
        assert_finding "$err" "would deny" engine-socket /mounts/ "stderr says it would deny"
        new_id id
        assert_status 1 "--harden-mode enforce overrides the policy's dry-run" \
                rh --harden-mode enforce create --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "enforced: denied"
        assert_eq absent "$(container_status "$id")" "enforced: no container"
}

test_dry_run_with_a_json_log_writes_warnings() {
        local id
        new_id id
        make_denied "$TD/b"
        assert_ok "create in dry-run with --log" \
                rh --harden-mode dry-run --log "$TD/log.json" --log-format json create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "runc created the container"
        assert_eq 0 "$(jq -c 'select(.level == "error")' "$TD/log.json" | wc -l)" "no error line"
        assert_finding "$(jq -r 'select(.level == "warning") | .msg' "$TD/log.json")" "would deny" engine-socket /mounts/ \
                "a warning line says it would deny"
        assert_eq 1 "$(jq -c 'select(.level == "warning")' "$TD/log.json" | wc -l)" "one line for the container"
}

test_a_bad_harden_mode_is_refused() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_status 1 "--harden-mode sometimes" rh --harden-mode sometimes create --bundle "$TD/b" "$id"
        assert_contains "$err" "--harden-mode" "the message names the flag"
        assert_eq absent "$(container_status "$id")" "no container"
}

run_tests
