#!/bin/bash
# exec --process FILE and update --resources FILE|- are checked, then reach
# runc: the process runs, the resources land in the container's cgroup, and
# update's stdin gets to runc byte for byte after runc-harden has read it.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CG=/sys/fs/cgroup

# start_container VAR: a running `sleep 1000` container in cgroup
# /rh-test-<id>, made through runc-harden.
start_container() {
        local -n _id=$1
        new_id _id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.cgroupsPath = $p' --arg p "/rh-test-$_id"
        rh create --bundle "$TD/b" "$_id" >/dev/null 2>&1
        rh start "$_id"
        [ "$(container_status "$_id")" = running ]
}

# pids_max ID: the container's pids limit as the kernel has it.
pids_max() {
        if [ -f "$CG/cgroup.controllers" ]; then
                cat "$CG/rh-test-$1/pids.max"
        else
                cat "$CG/pids/rh-test-$1/pids.max"
        fi
}

# process_file DIR ARG...: the container's own process, running ARGs.
process_file() {
        local f=$1
        shift
        jq --argjson a "$(json_array "$@")" '.process | .args = $a' "$TD/b/config.json" >"$f"
}

test_exec_of_a_plain_process_file_runs() {
        local id before
        start_container id
        process_file "$TD/p.json" sh -c 'echo hello from exec; grep NoNewPrivs /proc/self/status'
        before=$(sha "$TD/p.json")
        assert_ok "exec --process" rh exec --process "$TD/p.json" "$id"
        assert_contains "$out" "hello from exec" "the process ran"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "with noNewPrivileges"
        assert_eq "$before" "$(sha "$TD/p.json")" "a process that passes is not rewritten"
        assert_eq "" "$err" "nothing is logged"
}

test_exec_of_dockers_process_file_gets_no_new_privileges() {
        local id
        start_container id
        cp "$RH_CORPUS/docker/exec-plain.process.json" "$TD/p.json"
        assert_eq null "$(jq .noNewPrivileges "$TD/p.json")" "docker's process file has no noNewPrivileges"
        assert_ok "exec --process (docker exec CONTAINER echo hi)" rh exec --process "$TD/p.json" "$id"
        assert_eq hi "$out" "the process ran"
        assert_finding "$err" "fixed by policy" no-new-privileges /noNewPrivileges "the fix is logged"
        assert_eq true "$(jq .noNewPrivileges "$TD/p.json")" "the process file was fixed before runc read it"
        assert_eq "$(jq -S 'del(.noNewPrivileges)' "$RH_CORPUS/docker/exec-plain.process.json")" \
                "$(jq -S 'del(.noNewPrivileges)' "$TD/p.json")" "nothing else in the process file changed"
        jq '.args = ["grep", "NoNewPrivs", "/proc/self/status"]' "$RH_CORPUS/docker/exec-plain.process.json" >"$TD/q.json"
        assert_ok "exec --process (grep NoNewPrivs)" rh exec --process "$TD/q.json" "$id"
        assert_match "$out" "NoNewPrivs:[[:space:]]+1" "the exec'd process has NoNewPrivs 1"
}

test_exec_of_an_unreadable_process_file_is_denied() {
        local id
        start_container id
        cp "$RH_TEST_DATA/not-json.json" "$TD/p.json"
        assert_status 1 "exec --process of a file that is not JSON" rh exec --process "$TD/p.json" "$id"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "denied as spec-invalid"
        assert_status 1 "exec --process of a missing file" rh exec --process "$TD/missing.json" "$id"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "denied as spec-invalid"
        assert_contains "$err" "missing.json" "the message names the file"
}

test_exec_in_detached_mode_with_a_pid_file_works() {
        local id pid
        start_container id
        process_file "$TD/p.json" sleep 1000
        # As dockerd calls it.
        assert_ok "exec --process FILE --detach --pid-file FILE" \
                rh exec --process "$TD/p.json" --detach --pid-file "$TD/exec.pid" "$id"
        pid=$(cat "$TD/exec.pid")
        assert_match "$pid" '^[0-9]+$' "the pid file holds a pid"
        assert_contains "$(runc_ ps "$id")" "$pid" "runc ps shows the exec'd process"
}

test_update_resources_from_stdin_reaches_runc() {
        local id
        start_container id
        capture rh update --resources - "$id" < <(echo '{"pids":{"limit":200}}')
        assert_eq 0 "$rc" "echo '{\"pids\":{\"limit\":200}}' | update --resources - exits 0"
        assert_eq "" "$err" "nothing on stderr"
        assert_eq 200 "$(pids_max "$id")" "pids.max is 200"
        # The pipe form, literally as engines do it.
        echo '{"pids":{"limit":250}}' | rh update --resources - "$id"
        assert_eq 250 "$(pids_max "$id")" "pids.max is 250 through a pipe"
}

test_update_resources_from_a_file_reaches_runc() {
        local id
        start_container id
        assert_ok "update --resources FILE" rh update --resources "$RH_TEST_DATA/resources-pids-300.json" "$id"
        assert_eq 300 "$(pids_max "$id")" "pids.max is 300"
        assert_ok "update ID --resources FILE (flags after the id)" \
                rh update "$id" --resources "$RH_CORPUS/docker/update-mem.resources.json"
        assert_eq 50 "$(pids_max "$id")" "docker's update (pids 50) applied"
}

test_update_with_unreadable_resources_is_denied() {
        local id
        start_container id
        echo '{"pids":{"limit":200}}' | rh update --resources - "$id"
        capture rh update --resources - "$id" < <(echo '{"pids": {"limit": 77}')
        assert_eq 1 "$rc" "update with truncated JSON on stdin exits 1"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "denied as spec-invalid"
        assert_eq 200 "$(pids_max "$id")" "pids.max is unchanged"
        capture rh update --resources - "$id" < <(printf '{"pids": {"limit": 77}} {"pids": {"limit": 78}}')
        assert_eq 1 "$rc" "update with trailing data after the document exits 1"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "denied as spec-invalid"
        assert_eq 200 "$(pids_max "$id")" "pids.max is still unchanged"
}

test_exec_and_update_with_a_broken_policy_fail_closed() {
        local id
        start_container id
        process_file "$TD/p.json" echo should not run
        RH_POLICY=$RH_TEST_DATA/garbage.policy.json
        assert_status 1 "exec with a broken policy" rh exec --process "$TD/p.json" "$id"
        assert_not_contains "$out" "should not run" "the process did not run"
        assert_contains "$err" "garbage.policy.json" "the message names the policy file"
        capture rh update --resources - "$id" < <(echo '{"pids":{"limit":123}}')
        assert_eq 1 "$rc" "update with a broken policy exits 1"
        assert_contains "$err" "garbage.policy.json" "the message names the policy file"
        assert_ne 123 "$(pids_max "$id")" "pids.max did not change"
}

run_tests
