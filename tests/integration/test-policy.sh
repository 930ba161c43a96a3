#!/bin/bash
# The policy file: shown, checked, and applied; an invalid one makes checked
# commands fail closed while kill and delete still work.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_policy_show_prints_a_valid_policy() {
        # with no argument the installed policy (an engine test may have
        # put one there), else the built-in one: valid either way
        assert_ok "policy show" rh_own policy show
        assert_ok "its output is JSON" jq -e .version <<<"$out"
        # the built-in policy, whatever is installed
        assert_ok "policy show --level baseline" rh_own policy show --level baseline
        printf '%s\n' "$out" >"$TD/shown.json"
        assert_ok "its output is JSON" jq -e . "$TD/shown.json"
        assert_eq 1 "$(jq .version "$TD/shown.json")" "version 1"
        assert_eq '"enforce"' "$(jq .mode "$TD/shown.json")" "mode enforce"
        assert_eq "$FOUNDATION_RULES" "$(jq -c --argjson f "$FOUNDATION_RULES" '[$f[] as $r | .rules | keys[] | select(. == $r)]' "$TD/shown.json")" \
                "every foundation rule is shown"
        assert_eq '"deny deny deny fix fix"' \
                "$(jq -c '[.rules["spec-invalid", "host-namespace", "engine-socket", "readonly-rootfs", "no-new-privileges"].action] | join(" ")' "$TD/shown.json")" \
                "the foundation's built-in actions"
        assert_eq true "$(jq '.rules["readonly-rootfs"].exemptible' "$TD/shown.json")" "readonly-rootfs is exemptible"
        assert_ok "the shown policy passes policy check" rh_own policy check "$TD/shown.json"
}

test_policy_show_of_a_file_shows_the_files_settings() {
        assert_ok "policy show --policy FILE" rh_own policy show --policy "$RH_TEST_DATA/valid.policy.json"
        assert_eq '["/tmp","/run"]' "$(jq -c '.rules["readonly-rootfs"].params.tmpfs' <<<"$out")" \
                "the file's tmpfs list is shown"
        assert_ok "policy show --policy=FILE" rh_own policy show --policy="$RH_TEST_DATA/valid.policy.json"
        assert_fails "policy show --policy of a corrupt file" rh_own policy show --policy "$RH_TEST_DATA/garbage.policy.json"
}

test_policy_check_accepts_a_valid_policy() {
        assert_status 0 "policy check of a valid policy" rh_own policy check "$RH_TEST_DATA/valid.policy.json"
        assert_contains "$out" "valid" "it says so"
        assert_status 0 "policy check of the foundation policy" rh_own policy check "$T/policy.json"
}

# expect_invalid FILE WORD WHAT: policy check refuses FILE, naming WORD.
expect_invalid() {
        assert_fails "policy check: $3" rh_own policy check "$1"
        assert_ne "" "$err" "policy check: $3: there is a message"
        assert_contains "$err" "$2" "policy check: $3: the message names $2"
}

test_policy_check_refuses_invalid_policies() {
        expect_invalid "$RH_TEST_DATA/invalid-unknown-key.policy.json" colour "an unknown key"
        expect_invalid "$RH_TEST_DATA/invalid-action.policy.json" engine-socket.action "a bad action"
        expect_invalid "$RH_TEST_DATA/invalid-unknown-rule.policy.json" no-such-rule "an unknown rule"
        expect_invalid "$RH_TEST_DATA/invalid-version.policy.json" version "version 2"
        expect_invalid "$RH_TEST_DATA/invalid-spec-invalid-off.policy.json" spec-invalid "spec-invalid switched off"
        expect_invalid "$RH_TEST_DATA/garbage.policy.json" garbage.policy.json "truncated JSON"
        expect_invalid "$TD/no-such-file.json" no-such-file.json "a missing file"
        jq '.rules["readonly-rootfs"].params.tmpfs = "/tmp"' "$T/policy.json" >"$TD/bad-param.json"
        expect_invalid "$TD/bad-param.json" tmpfs "a parameter of the wrong type"
        jq '.rules["engine-socket"].params.colour = 1' "$T/policy.json" >"$TD/unknown-param.json"
        expect_invalid "$TD/unknown-param.json" colour "an unknown parameter"
        printf '{"version": 1, "version": 1, "rules": {}}\n' >"$TD/dup.json"
        expect_invalid "$TD/dup.json" version "a duplicate key"
        assert_status 2 "policy check without a file is a usage error" rh_own policy check
}

test_create_with_an_invalid_policy_fails_closed() {
        local id
        new_id id
        make_bundle "$TD/b"
        local f
        for f in invalid-unknown-key invalid-action garbage; do
                RH_POLICY=$RH_TEST_DATA/$f.policy.json
                assert_status 1 "create with $f.policy.json" rh create --bundle "$TD/b" "$id"
                assert_contains "$err" "$f.policy.json" "the message names the policy file"
                assert_eq absent "$(container_status "$id")" "no container was made"
        done
        RH_POLICY=$TD/no-such-policy.json
        assert_status 1 "create with a missing policy file" rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "no-such-policy.json" "the message names the missing file"
        assert_eq absent "$(container_status "$id")" "no container was made"
        RH_POLICY=$RH_TEST_DATA/garbage.policy.json
        assert_status 1 "run with a broken policy" rh run --bundle "$TD/b" "$id"
        assert_status 1 "create with a broken policy and a JSON log" \
                rh --log "$TD/log.json" --log-format json create --bundle "$TD/b" "$id"
        assert_contains "$(jq -r 'select(.level == "error") | .msg' "$TD/log.json")" "garbage.policy.json" \
                "the log's error names the policy file"
}

test_kill_and_delete_work_with_an_invalid_policy() {
        local id
        new_id id
        make_bundle "$TD/b"
        assert_ok "create with the good policy" rh create --bundle "$TD/b" "$id"
        assert_ok "start with the good policy" rh start "$id"
        RH_POLICY=$RH_TEST_DATA/invalid-action.policy.json
        assert_ok "state with an invalid policy" rh state "$id"
        assert_ok "kill with an invalid policy" rh kill "$id" KILL
        wait_status "$id" stopped || true
        assert_ok "delete with an invalid policy" rh delete "$id"
        assert_eq absent "$(container_status "$id")" "the container is gone"
}

test_an_action_set_to_off_lets_the_container_through() {
        local id
        new_id id
        jq '.rules["engine-socket"].action = "off"' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        add_bind "$TD/b" /run /host-run
        assert_ok "create with engine-socket off" rh create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "the container was made"
}

test_an_action_set_to_warn_logs_and_lets_through() {
        local id before
        new_id id
        jq '.rules["readonly-rootfs"].action = "warn" | .rules["host-namespace"].action = "warn"' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        spec_set "$TD/b" '.root.readonly = false | .linux.namespaces |= map(select(.type != "ipc"))'
        before=$(sha "$TD/b/config.json")
        assert_ok "create with warn actions" rh create --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" readonly-rootfs /root/readonly "readonly-rootfs warns"
        assert_finding "$err" "warning from policy" host-namespace /linux/namespaces "host-namespace warns"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
        assert_eq created "$(container_status "$id")" "the container was made"
}

test_a_fix_rule_set_to_deny_refuses() {
        local id
        new_id id
        jq '.rules["no-new-privileges"].action = "deny"' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        spec_set "$TD/b" '.process.noNewPrivileges = false'
        assert_status 1 "create without noNewPrivileges, rule at deny" rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: no-new-privileges: /process/noNewPrivileges" \
                "denied by no-new-privileges"
        assert_eq absent "$(container_status "$id")" "no container was made"
}

test_required_namespaces_come_from_the_policy() {
        local id
        new_id id
        jq '.rules["host-namespace"].params.required = ["network", "pid", "ipc", "uts", "mount", "user"]' \
                "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        assert_status 1 "create without a user namespace when the policy requires one" \
                rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "host-namespace: /linux/namespaces" "denied by host-namespace"
        assert_contains "$err" "user" "the message names the user namespace"
}

run_tests
