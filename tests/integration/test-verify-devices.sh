#!/bin/bash
# Verification of devices (docs/verify.md): the nodes under the container's
# /dev and its devices cgroup (v1 devices.list) against linux.devices,
# linux.resources.devices and the runtime's defaults. A prepared runtime
# adds the host's /dev/hwrng (c 10:183) after the judgement; with
# verification off the container reads the device, with it on the
# container is refused, naming the node and the cgroup rule.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ -e /sys/fs/cgroup/devices/devices.list ] || skip_all "no cgroup v1 devices hierarchy"

# The built-in policy, verify on, audit log in the test's directory.
"$RUNC_HARDEN" policy show | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$T/builtin.policy.json"
RH_POLICY=$T/builtin.policy.json

ADD_NODE='.linux.devices += [{"path":"/dev/hostrng","type":"c","major":10,"minor":183,"fileMode":384,"uid":0,"gid":0}]'
ADD_RULE='.linux.resources.devices += [{"allow":true,"type":"c","major":10,"minor":183,"access":"rwm"}]'

mutating_runtime() {
        prepared_runtime "$1" "jq '$3' '$2/config.json' >'$2/config.json.mut' && mv '$2/config.json.mut' '$2/config.json'"
}

# device_bundle DIR: a container that reads 8 bytes from /dev/hostrng.
device_bundle() {
        make_bundle "$1" sh -c 'if head -c 8 /dev/hostrng >/dev/null 2>&1; then echo device: read; else echo device: none; fi'
}

# create_start POLICY ID DIR RUNTIME: create through runc-harden, then start
# and wait; the program's output in $TD/ID.out, runc-harden's in $err.
create_start() {
        local policy=$1 id=$2 b=$3 rt=$4
        rc=0
        RH_POLICY=$policy rh --harden-runtime "$rt" create --bundle "$b" "$id" >"$TD/$id.out" 2>"$TD/$id.err" || rc=$?
        err=$(cat "$TD/$id.err")
        [ "$rc" = 0 ] || return 0
        runc_ start "$id"
        wait_status "$id" stopped
        runc_ delete "$id"
}

test_a_device_added_after_the_judgement_is_usable_without_verification() {
        local id
        [ -c /dev/hwrng ] || { pass "no /dev/hwrng on this host: nothing to read"; return 0; }
        new_id id
        device_bundle "$TD/b"
        mutating_runtime "$TD/rt" "$TD/b" "$ADD_NODE | $ADD_RULE"
        jq '.verify = false' "$RH_POLICY" >"$TD/noverify.json"
        create_start "$TD/noverify.json" "$id" "$TD/b" "$TD/rt"
        assert_eq 0 "$rc" "created without verification: $err"
        assert_contains "$(cat "$TD/$id.out")" "device: read" "the container reads the host's device"
}

test_a_device_node_and_cgroup_rule_added_after_the_judgement_are_refused() {
        local id
        new_id id
        device_bundle "$TD/b"
        mutating_runtime "$TD/rt" "$TD/b" "$ADD_NODE | $ADD_RULE"
        create_start "$RH_POLICY" "$id" "$TD/b" "$TD/rt"
        assert_eq 1 "$rc" "create exits 1"
        assert_match "$err" "runc-harden: container $id: /proc/[0-9]+/root: /dev/hostrng is c 10:183, a device node the spec does not give" \
                "the node is named"
        assert_contains "$err" "devices.list allows c 10:183 rwm, which neither linux.resources.devices nor" \
                "the cgroup rule is named"
        assert_not_contains "$err" "denied by policy" "the spec layer let it through"
        assert_eq absent "$(container_status "$id")" "the container is deleted"
        assert_eq "" "$(cat "$TD/$id.out")" "the program never ran"
}

test_a_cgroup_rule_alone_is_refused() {
        local id
        new_id id
        device_bundle "$TD/b"
        mutating_runtime "$TD/rt" "$TD/b" '.linux.resources.devices += [{"allow":true,"type":"b","major":254,"access":"rw"}]'
        create_start "$RH_POLICY" "$id" "$TD/b" "$TD/rt"
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "devices.list allows b 254:* rw," "the block device rule is named"
}

test_a_node_swapped_at_a_listed_path_is_refused() {
        local id
        new_id id
        device_bundle "$TD/b"
        spec_set "$TD/b" '.linux.devices += [{"path":"/dev/hostrng","type":"c","major":1,"minor":8,"fileMode":420}]'
        mutating_runtime "$TD/rt" "$TD/b" '.linux.devices[-1].minor = 11'
        create_start "$RH_POLICY" "$id" "$TD/b" "$TD/rt"
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "/dev/hostrng is c 1:11, not the device linux.devices lists at that path" \
                "the swapped node is named"
}

test_ordinary_containers_pass_with_their_devices() {
        local id
        new_id id
        make_bundle "$TD/b" true
        assert_ok "runc spec's container" rh create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "created"
        new_id id
        make_bundle "$TD/t" sh -c 'ls /dev/console'
        spec_set "$TD/t" '.linux.devices += [{"path":"/dev/fuse","type":"c","major":10,"minor":229,"fileMode":384}]
                | .linux.resources.devices = [{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":10,"minor":229,"access":"rwm"}]'
        RH_POLICY=$T/nodevices.json
        jq '.rules.devices.action = "off"' "$T/builtin.policy.json" >"$RH_POLICY"
        assert_ok "a listed device with its cgroup rule" rh create --bundle "$TD/t" "$id"
        assert_eq created "$(container_status "$id")" "created"
}

run_tests
