#!/bin/bash
# Key spellings on the real runc 1.1.5 (built with Go 1.19): a key that is
# not a field's exact name but that some Go release could take for it is
# refused at create, exec and update. The controls show what such keys did
# before: Go 1.19 ignores "lınux" (dotless i), so plain runc ran the
# container in the host's network and pid namespaces, while a Go 1.21 fold
# (what runc-harden used to apply) read the section as "linux". Effects are
# read from inside the container: namespace inodes compared with this
# shell's (standing in for the host's: /proc/1/ns is unreadable here),
# NoNewPrivs, the uid.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

HOST_NET=$(readlink /proc/self/ns/net)
HOST_PID=$(readlink /proc/self/ns/pid)
NS_PROBE='readlink /proc/self/ns/net; readlink /proc/self/ns/pid'

# rename_key DIR PATH OLD NEW: renames key OLD of the object at jq PATH.
rename_key() {
        spec_set "$1" "$2"' |= with_entries(if .key == $old then .key = $new else . end)' \
                --arg old "$3" --arg new "$4"
}

# rh_private ARGS...: rh in a mount namespace of its own. A spec whose
# linux section runc does not see has no mount namespace either: should it
# ever get through, runc's mounts must not land in this shell's mount table
# (and under the test's temp dir, which cleanup removes).
rh_private() {
        timeout -k 5 60 unshare -m --propagation private \
                "$RUNC_HARDEN" ${RH_POLICY:+--harden-policy "$RH_POLICY"} --root "$STATE" "$@"
}

# expect_key_refused DIR KEY FIELD WHAT: run is refused as spec-invalid,
# naming KEY (as the message escapes it) and FIELD; runc made nothing.
expect_key_refused() {
        local b=$1 key=$2 field=$3 what=$4 id before
        new_id id
        before=$(sha "$b/config.json")
        assert_status 1 "$what: run exits 1" rh_private run --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "$what: denied as spec-invalid"
        assert_contains "$err" "the key \"$key\" could be taken for the field \"$field\"" \
                "$what: the message names the key and the field"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
        assert_eq "$before" "$(sha "$b/config.json")" "$what: config.json is unchanged"
}

test_a_linux_section_spelled_with_a_dotless_i_never_runs_in_the_hosts_namespaces() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c "$NS_PROBE"
        # Without its linux section the spec has no UTS namespace, and runc
        # refuses a hostname then; the control needs none.
        spec_set "$TD/b" 'del(.hostname)'
        rename_key "$TD/b" . linux $'l\u0131nux'
        # The control: plain runc ignores the section (its mounts go into a
        # mount namespace of its own here, which goes away with it).
        cp -r "$TD/b" "$TD/control"
        capture timeout -k 5 60 unshare -m --propagation private \
                "$REAL_RUNC" --root "$STATE" run --bundle "$TD/control" "$id-control"
        assert_eq 0 "$rc" "plain runc runs the spec"
        assert_contains "$out" "$HOST_NET" "under plain runc the container is in the host's network namespace"
        assert_contains "$out" "$HOST_PID" "under plain runc the container is in the host's pid namespace"
        expect_key_refused "$TD/b" 'l<U+0131>nux' linux "lınux"
        # Spelled exactly, the same spec runs in namespaces of its own.
        rename_key "$TD/b" . $'l\u0131nux' linux
        assert_ok "run of the exactly spelled spec" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "^net:\[[0-9]+\]" "the container shows its network namespace"
        assert_not_contains "$out" "$HOST_NET" "its network namespace is not the host's"
        assert_not_contains "$out" "$HOST_PID" "its pid namespace is not the host's"
}

test_a_linux_section_with_a_dotted_capital_i_or_in_capitals_is_refused() {
        make_bundle "$TD/b" true
        rename_key "$TD/b" . linux $'L\u0130NUX'
        expect_key_refused "$TD/b" 'L<U+0130>NUX' linux "LİNUX"
        make_bundle "$TD/c" true
        rename_key "$TD/c" . linux LINUX
        expect_key_refused "$TD/c" LINUX linux "LINUX (which every Go release reads as linux)"
}

test_namespaces_spelled_with_a_long_s_are_refused() {
        make_bundle "$TD/b" true
        rename_key "$TD/b" .linux namespaces $'namespace\u017f'
        expect_key_refused "$TD/b" 'namespace<U+017F>' namespaces "namespaceſ"
}

test_no_new_privileges_spelled_with_a_dotless_i_is_refused() {
        local id
        new_id id
        make_bundle "$TD/b" grep NoNewPrivs /proc/self/status
        rename_key "$TD/b" .process noNewPrivileges $'noNewPr\u0131vileges'
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "NoNewPrivs:[[:space:]]+0" "under plain runc the flag is not set (Go 1.19 ignores the key)"
        expect_key_refused "$TD/b" 'noNewPr<U+0131>vileges' noNewPrivileges "noNewPrıvileges"
        rename_key "$TD/b" .process $'noNewPr\u0131vileges' noNewPrivileges
        assert_ok "run of the exactly spelled spec" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "spelled exactly, the flag is set inside"
}

test_a_uid_spelled_with_a_dotted_capital_i_is_refused() {
        local id
        new_id id
        make_bundle "$TD/b" id -u
        spec_set "$TD/b" '.process.user = {($k): 1000, "gid": 1000}' --arg k $'u\u0130d'
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_eq 0 "$out" "under plain runc the process runs as uid 0 (Go 1.19 ignores the key)"
        expect_key_refused "$TD/b" 'u<U+0130>d' uid "uİd"
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000}'
        assert_ok "run of the exactly spelled spec" rh run --bundle "$TD/b" "$id"
        assert_eq 1000 "$out" "spelled exactly, the process runs as uid 1000"
}

# start_container VAR: a running `sleep 1000` container in cgroup
# /rh-test-<id>, made through runc-harden.
start_container() {
        local -n _id=$1
        new_id _id
        make_bundle "$TD/run"
        spec_set "$TD/run" '.linux.cgroupsPath = $p' --arg p "/rh-test-$_id"
        rh create --bundle "$TD/run" "$_id" >/dev/null 2>&1
        rh start "$_id"
        [ "$(container_status "$_id")" = running ]
}

test_an_exec_process_file_with_a_folded_key_is_refused() {
        local id
        start_container id
        jq '.process | .args = ["grep", "NoNewPrivs", "/proc/self/status"]
                | with_entries(if .key == "noNewPrivileges" then .key = "noNewPr\u0131vileges" else . end)' \
                "$TD/run/config.json" >"$TD/p.json"
        assert_ok "plain runc exec runs the process file" runc_ exec --process "$TD/p.json" "$id"
        assert_match "$out" "NoNewPrivs:[[:space:]]+0" "under plain runc the exec'd process has no NoNewPrivs"
        assert_status 1 "exec --process exits 1" rh exec --process "$TD/p.json" "$id"
        assert_contains "$err" "spec-invalid:" "denied as spec-invalid"
        assert_contains "$err" 'the key "noNewPr<U+0131>vileges" could be taken for the field "noNewPrivileges"' \
                "the message names the key and the field"
        jq '.noNewPrivileges = true | del(.["noNewPr\u0131vileges"])' "$TD/p.json" >"$TD/q.json"
        assert_ok "exec --process of the exactly spelled file" rh exec --process "$TD/q.json" "$id"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "spelled exactly, the exec'd process has NoNewPrivs 1"
}

test_an_update_document_with_a_folded_key_is_refused() {
        local id cg=/sys/fs/cgroup/pids
        start_container id
        [ -f /sys/fs/cgroup/cgroup.controllers ] && cg=/sys/fs/cgroup
        echo '{"pids":{"limit":200}}' | rh update --resources - "$id"
        assert_eq 200 "$(cat "$cg/rh-test-$id/pids.max")" "pids.max is 200"
        capture rh update --resources - "$id" < <(echo '{"PIDS":{"limit":300}}')
        assert_eq 1 "$rc" "update with \"PIDS\" exits 1"
        assert_contains "$err" 'spec-invalid: ' "denied as spec-invalid"
        assert_contains "$err" 'the key "PIDS" could be taken for the field "pids"' "the message names the key"
        assert_eq 200 "$(cat "$cg/rh-test-$id/pids.max")" "pids.max is unchanged"
        assert_eq 200 "$(runc_ exec "$id" cat /sys/fs/cgroup/pids/pids.max 2>/dev/null ||
                runc_ exec "$id" cat /sys/fs/cgroup/pids.max)" "inside, the container's pids.max is 200"
}

test_maps_keep_keys_that_differ_only_in_case() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c 'cat /proc/sys/net/ipv4/ip_forward'
        spec_set "$TD/b" '.annotations = {"Org.Example": "a", "org.example": "b"} | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
        assert_ok "run with annotations that differ in case" rh run --bundle "$TD/b" "$id"
        assert_eq 1 "$out" "the sysctl is set inside"
}

run_tests
