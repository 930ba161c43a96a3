#!/bin/bash
# shared-namespace and Kubernetes pods, on real runc: an app container that
# joins its own pod's sandbox namespaces, the way containerd's CRI plugin
# writes it (annotations naming the sandbox, /proc/<sandbox pid>/ns/<type>
# paths, the sandbox in the cgroup named after its id), is not reported;
# every claim that does not hold is. tests/engine/test-cri.sh shows the same
# through the CRI plugin itself.
source "$(dirname "$0")/lib.sh"

# The foundation with shared-namespace on at its built-in action (warn).
spec_set_policy() {
        jq "$1" "$RH_POLICY" >"$RH_POLICY.new"
        mv "$RH_POLICY.new" "$RH_POLICY"
}
spec_set_policy '.rules["shared-namespace"].action = "warn"'

CGROUP_PARENT=rh-it-pod-$$
SANDBOX_ID=$(echo "sandbox $$" | sha256sum | cut -d' ' -f1)
OTHER_ID=$(echo "another sandbox $$" | sha256sum | cut -d' ' -f1)
SANDBOXES=()

pod_cleanup() {
        local rc=$? d
        set +e
        trap - ERR
        for d in "${SANDBOXES[@]}"; do
                runc_ delete --force "$d" >/dev/null 2>&1
        done
        for d in /sys/fs/cgroup/*/"$CGROUP_PARENT" /sys/fs/cgroup/"$CGROUP_PARENT"; do
                [ -d "$d" ] && rmdir "$d" 2>/dev/null
        done
        (exit "$rc")
        cleanup
}
trap pod_cleanup EXIT

# start_sandbox ID CGROUP_LEAF: a sandbox ("pause") container as the CRI
# plugin makes it: annotated as sandbox ID, in the cgroup <pod parent>/LEAF
# (ID with the cgroupfs driver, cri-containerd-ID.scope with systemd's).
# Its runc id in $SANDBOX, its process in $SANDBOX_PID.
start_sandbox() {
        local b=$T/sandbox-$1
        new_id SANDBOX
        SANDBOXES+=("$SANDBOX")
        make_bundle "$b"
        spec_set "$b" '.linux.cgroupsPath = $cg
                | .annotations = {"io.kubernetes.cri.container-type": "sandbox", "io.kubernetes.cri.sandbox-id": $id}' \
                --arg cg "/$CGROUP_PARENT/$2" --arg id "$1"
        runc_ run -d --bundle "$b" "$SANDBOX" >/dev/null
        SANDBOX_PID=$(runc_ state "$SANDBOX" | jq .pid)
}

# app_bundle DIR ANNOTATIONS_JSON [PATH_PREFIX]: an app container joining the
# sandbox's ipc, uts and network namespaces at PATH_PREFIX/ns/<type>
# (default /proc/<sandbox pid>), printing its network namespace.
app_bundle() {
        local b=$1 prefix=${3:-/proc/$SANDBOX_PID}
        make_bundle "$b" sh -c 'readlink /proc/self/ns/net'
        spec_set "$b" '.annotations = $ann
                | .linux.namespaces |= map(
                        if .type == "network" then .path = $p + "/ns/net"
                        elif .type == "ipc" or .type == "uts" then .path = $p + "/ns/" + .type
                        else . end)' \
                --argjson ann "$2" --arg p "$prefix"
}

# claim TYPE SANDBOX_ID: the CRI plugin's annotations of an app container.
claim() {
        jq -nc --arg t "$1" --arg s "$2" '{"io.kubernetes.cri.container-type": $t, "io.kubernetes.cri.sandbox-id": $s}'
}

# expect_reported WHAT: the last run started and reported the three
# namespaces as shared.
expect_reported() {
        assert_eq 0 "$rc" "$1: the container runs (a warning)"
        assert_finding "$err" "warning from policy" shared-namespace /linux/namespaces/ "running process $SANDBOX_PID" \
                "$1: the namespaces are reported as shared, naming the sandbox's process"
        assert_eq 3 "$(tail -1 "$(audit_log_of_policy)" | jq '[.findings[] | select(.rule == "shared-namespace" and
                (.pointer | startswith("/linux/namespaces/")))] | length')" \
                "$1: its ipc, uts and network namespaces are reported as shared"
}

start_sandbox "$SANDBOX_ID" "$SANDBOX_ID"

test_an_app_container_joining_its_own_pods_sandbox_is_not_reported() {
        local id
        new_id id
        app_bundle "$TD/b" "$(claim container "$SANDBOX_ID")"
        capture rh run --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "the app container runs"
        assert_eq "$(readlink "/proc/$SANDBOX_PID/ns/net")" "$out" "inside: it is in the sandbox's network namespace"
        assert_not_contains "$err" "shared-namespace" "the pod's own sharing is not reported"
        assert_eq "allow []" "$(jq -c --arg id "$id" 'select(.container == $id) | "\(.verdict) \(.findings)"' -r "$T/audit.log")" \
                "the audit log has its decision: allowed, no finding"
}

test_a_claim_naming_another_sandbox_is_reported() {
        local id
        new_id id
        app_bundle "$TD/b" "$(claim container "$OTHER_ID")"
        capture rh run --bundle "$TD/b" "$id"
        expect_reported "the namespaces' process is not in that sandbox's cgroup"
}

test_a_sandbox_claiming_to_be_an_app_container_is_not_enough() {
        local id
        new_id id
        app_bundle "$TD/b" "$(claim sandbox "$SANDBOX_ID")"
        capture rh run --bundle "$TD/b" "$id"
        expect_reported "container-type sandbox"
        new_id id
        app_bundle "$TD/c" '{}'
        capture rh run --bundle "$TD/c" "$id"
        expect_reported "no annotations"
        new_id id
        app_bundle "$TD/d" "$(claim container "${SANDBOX_ID:0:12}")"
        capture rh run --bundle "$TD/d" "$id"
        expect_reported "a sandbox id that is not a full container id"
}

test_a_path_not_in_the_cri_plugins_form_is_reported() {
        local id
        new_id id
        # The same namespaces, reached another way than /proc/<pid>/ns/<type>.
        app_bundle "$TD/b" "$(claim container "$SANDBOX_ID")" "//proc/./$SANDBOX_PID/ns/.."
        capture rh run --bundle "$TD/b" "$id"
        expect_reported "//proc/./PID/ns/../ns/TYPE"
        # Through /proc/self: runc init would open its own, so it is refused.
        new_id id
        app_bundle "$TD/c" "$(claim container "$SANDBOX_ID")" "/proc/self/../$SANDBOX_PID"
        capture rh run --bundle "$TD/c" "$id"
        assert_ne 0 "$rc" "/proc/self/../PID: refused"
        assert_contains "$err" "denied by policy: host-namespace: /linux/namespaces/1/path: the network namespace path /proc/self/../$SANDBOX_PID/ns/net goes through /proc other than as" \
                "/proc/self/../PID: host-namespace says why"
}

test_pod_sharing_off_reports_the_pods_own_sharing() {
        local id
        new_id id
        jq '.rules["shared-namespace"].params["pod-sharing"] = false' "$RH_POLICY" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        app_bundle "$TD/b" "$(claim container "$SANDBOX_ID")"
        capture rh run --bundle "$TD/b" "$id"
        expect_reported "pod-sharing false"
}

test_a_sandbox_in_a_systemd_scope_is_recognised() {
        local id SANDBOX SANDBOX_PID
        start_sandbox "$OTHER_ID" "cri-containerd-$OTHER_ID.scope"
        new_id id
        app_bundle "$TD/b" "$(claim container "$OTHER_ID")"
        capture rh run --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "the app container runs"
        assert_not_contains "$err" "shared-namespace" "joining a sandbox in cri-containerd-ID.scope is not reported"
        new_id id
        app_bundle "$TD/c" "$(claim container "$SANDBOX_ID")"
        capture rh run --bundle "$TD/c" "$id"
        expect_reported "the id of another sandbox than the scope's"
}

run_tests
