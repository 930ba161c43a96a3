#!/bin/bash
# Fixes: a writable root becomes read-only with a tmpfs at /tmp, and
# noNewPrivileges is set, in config.json before runc reads it; nothing else
# in the file changes. An exemption the policy allows keeps the root writable.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PROBE='touch /x 2>/dev/null && echo root=writable || echo root=read-only
touch /tmp/y && echo tmp=writable || echo tmp=read-only
grep " /tmp " /proc/mounts || echo "no /tmp mount"
grep NoNewPrivs /proc/self/status'

# make_unsafe DIR: what engines write by default: a writable root and no
# noNewPrivileges.
make_unsafe() {
        make_bundle "$1" sh -c "$PROBE"
        spec_set "$1" '.root.readonly = false | del(.process.noNewPrivileges)'
}

# The spec without what the two fixes may touch, keys sorted.
without_fixed() {
        jq -S 'del(.root.readonly, .process.noNewPrivileges) | .mounts |= map(select(.destination != "/tmp"))' "$1"
}

test_a_writable_root_is_made_read_only_with_a_tmpfs_at_tmp() {
        local id
        new_id id
        make_unsafe "$TD/b"
        without_fixed "$TD/b/config.json" >"$TD/before.json"
        assert_ok "run of a writable container" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "root=read-only" "touch /x fails: the root is read-only"
        assert_contains "$out" "tmp=writable" "/tmp is writable"
        assert_match "$out" "tmpfs /tmp tmpfs [^ ]*rw" "/tmp is a tmpfs"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "NoNewPrivs is 1"
        assert_finding "$err" "fixed by policy" readonly-rootfs /root/readonly "the root fix is logged"
        assert_finding "$err" "fixed by policy" no-new-privileges /process/noNewPrivileges \
                "the noNewPrivileges fix is logged"
        assert_eq true "$(spec_get "$TD/b" .root.readonly)" "config.json: root.readonly is true"
        assert_eq true "$(spec_get "$TD/b" .process.noNewPrivileges)" "config.json: process.noNewPrivileges is true"
        assert_eq 1 "$(spec_get "$TD/b" '[.mounts[] | select(.destination == "/tmp" and .type == "tmpfs")] | length')" \
                "config.json: one tmpfs at /tmp"
        without_fixed "$TD/b/config.json" >"$TD/after.json"
        assert_same_file "$TD/before.json" "$TD/after.json" "config.json: every other key is preserved"
        assert_eq "fix" "$(tail -1 "$T/audit.log" | jq -r .verdict)" "the audit record says fix"
}

test_create_fixes_config_json_before_runc_reads_it() {
        local id
        new_id id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.root.readonly = false | .process.noNewPrivileges = false'
        without_fixed "$TD/b/config.json" >"$TD/before.json"
        assert_ok "create of a writable container" rh create --bundle "$TD/b" "$id"
        assert_eq true "$(spec_get "$TD/b" .root.readonly)" "root.readonly is true after create"
        assert_eq true "$(spec_get "$TD/b" .process.noNewPrivileges)" "noNewPrivileges is true after create"
        without_fixed "$TD/b/config.json" >"$TD/after.json"
        assert_same_file "$TD/before.json" "$TD/after.json" "every other key is preserved"
        assert_ok "exec into it" runc_ exec "$id" sh -c 'touch /x 2>/dev/null && echo writable || echo read-only'
        assert_eq read-only "$out" "runc made the root read-only"
}

test_fixes_with_a_json_log_are_warnings() {
        local id
        new_id id
        make_unsafe "$TD/b"
        assert_ok "run with --log --log-format json" \
                rh --log "$TD/log.json" --log-format json run --bundle "$TD/b" "$id"
        assert_eq "" "$(jq -r 'select(.msg | startswith("runc-harden: fixed")) | select(.level != "warning") | .msg' \
                "$TD/log.json")" "every fix line is at level warning"
        assert_eq 1 "$(jq -r 'select(.level == "warning") | .msg' "$TD/log.json" | grep -c '^runc-harden: fixed by policy: ')" \
                "one line for the container"
        assert_finding "$(jq -r .msg "$TD/log.json")" "fixed by policy" readonly-rootfs /root/readonly "it names the root fix"
        assert_finding "$(jq -r .msg "$TD/log.json")" "fixed by policy" no-new-privileges /process/noNewPrivileges \
                "and the noNewPrivileges fix"
        assert_not_contains "$err" "runc-harden:" "nothing of runc-harden's on stderr"
}

test_an_existing_tmp_mount_is_kept() {
        local id
        new_id id
        make_unsafe "$TD/b"
        spec_set "$TD/b" '.mounts += [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m"]}]'
        assert_ok "run with a tmpfs of its own at /tmp" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "root=read-only" "the root is read-only"
        assert_eq '[{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["size=1m"]}]' \
                "$(spec_get "$TD/b" '[.mounts[] | select(.destination == "/tmp")]')" "the spec's own /tmp mount is the only one"
}

test_a_policy_tmpfs_list_gives_each_path_a_tmpfs() {
        local id
        new_id id
        jq '.rules["readonly-rootfs"].params.tmpfs = ["/tmp", "/run"]' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" sh -c 'touch /run/y && echo run=writable'
        mkdir -p "$TD/b/rootfs/run"
        spec_set "$TD/b" '.root.readonly = false'
        assert_ok "run with tmpfs [/tmp, /run]" rh run --bundle "$TD/b" "$id"
        assert_eq run=writable "$out" "/run is writable"
        assert_eq '["/run","/tmp"]' "$(spec_get "$TD/b" '[.mounts[] | select(.type == "tmpfs") | .destination] | map(select(. == "/tmp" or . == "/run")) | sort')" \
                "config.json has a tmpfs at /tmp and /run"
}

test_an_exemption_the_policy_allows_keeps_the_root_writable() {
        local id
        new_id id
        make_unsafe "$TD/b"
        spec_set "$TD/b" '.annotations["org.runc-harden.exempt"] = "readonly-rootfs"'
        assert_ok "run with an exemption from readonly-rootfs" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "root=writable" "the root stays writable"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "noNewPrivileges is still fixed"
        assert_eq false "$(spec_get "$TD/b" .root.readonly)" "config.json: root.readonly stays false"
        assert_finding "$err" "exempt from policy" readonly-rootfs /annotations/org.runc-harden.exempt \
                "the exemption is logged"
        assert_eq "true" "$(tail -1 "$T/audit.log" | jq '.findings | any(.rule == "readonly-rootfs")')" \
                "the exemption is in the audit record"
}

test_an_exemption_the_policy_does_not_allow_is_ignored() {
        local id
        new_id id
        make_unsafe "$TD/b"
        spec_set "$TD/b" '.annotations["org.runc-harden.exempt"] = "no-new-privileges,engine-socket"'
        add_bind "$TD/b" /run /host-run
        assert_status 1 "create asking to be exempt from engine-socket is still denied" \
                rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "denied by policy: engine-socket:" "engine-socket still denies"
        make_unsafe "$TD/c"
        spec_set "$TD/c" '.annotations["org.runc-harden.exempt"] = "no-new-privileges"'
        new_id id
        assert_ok "run asking to be exempt from no-new-privileges" rh run --bundle "$TD/c" "$id"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "noNewPrivileges is set all the same"
        assert_finding "$err" "warning from policy" no-new-privileges /annotations/org.runc-harden.exempt \
                "the refused exemption is a warning"
        assert_eq true "$(spec_get "$TD/c" .process.noNewPrivileges)" "config.json: noNewPrivileges is true"
}

test_a_spec_that_needs_no_fix_is_left_byte_for_byte() {
        local id before
        new_id id
        make_bundle "$TD/b" true
        before=$(sha "$TD/b/config.json")
        assert_ok "run of a spec that passes" rh run --bundle "$TD/b" "$id"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
        assert_eq "" "$err" "nothing is logged"
}

run_tests
