#!/bin/bash
# runtime-annotations in front of crun 1.8: crun acts on run.oci.*
# annotations after the judgement; run.oci.seccomp_bpf_data replaces the
# judged linux.seccomp with raw BPF. The effect is shown with the rule off
# (an allow-all filter: unshare(CLONE_NEWUSER) works in the container), then
# refused with it on. Verification under crun, which loads the filter only
# at start, compares the spec crun kept in its state directory with the
# judged one.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CRUN=${CRUN:-/usr/bin/crun}
[ -x "$CRUN" ] || skip_all "crun is not installed ($CRUN)"

crun_prepare_host

CRUN_STATE=$T/crun-state
mkdir -p "$CRUN_STATE"
EXTRA_ROOTS+=("$CRUN $CRUN_STATE")

# One BPF instruction, BPF_RET|BPF_K SECCOMP_RET_ALLOW: no filtering at all.
ALLOW_ALL=$(printf '\x06\x00\x00\x00\x00\x00\xff\x7f' | base64)

# The built-in policy (seccomp fixed in, no-new-privileges, verify on) with
# runtime-annotations at ACTION; the audit log in the test's directory.
annotations_policy() {
        "$RUNC_HARDEN" policy show |
                jq --arg audit "$T/audit.log" --arg a "$1" '.["audit-log"] = $audit
                        | .rules["runtime-annotations"].action = $a'
}
annotations_policy deny >"$T/on.policy.json"
annotations_policy off >"$T/off.policy.json"
RH_POLICY=$T/on.policy.json

# probe_bundle DIR: a bundle whose program reports its seccomp mode and
# whether it can make a user namespace (the default profile refuses it).
probe_bundle() {
        make_bundle "$1" sh -c 'grep "^Seccomp:" /proc/self/status; if unshare -U true; then echo userns: made; else echo userns: refused; fi'
        ln -s busybox "$1/rootfs/bin/unshare"
}

# run_crun POLICY ID DIR [RUNTIME]: create through runc-harden in front of
# crun (or RUNTIME), then start and wait; the program's output in
# $TD/ID.out, runc-harden's in $err, create's status in $rc.
run_crun() {
        local policy=$1 id=$2 b=$3 rt=${4:-$CRUN}
        rc=0
        STATE=$CRUN_STATE RH_POLICY=$policy rh --harden-runtime "$rt" create --bundle "$b" "$id" \
                >"$TD/$id.out" 2>"$TD/$id.err" || rc=$?
        err=$(cat "$TD/$id.err")
        [ "$rc" = 0 ] || return 0
        crun_ start "$id"
        wait_for sh -c "[ \"\$(\"$CRUN\" --root \"$CRUN_STATE\" state \"$id\" | jq -r .status)\" = stopped ]"
        crun_ delete "$id"
}

test_a_bpf_annotation_lifts_the_filter_when_the_rule_is_off() {
        local id
        new_id id
        probe_bundle "$TD/b"
        spec_set "$TD/b" '.annotations["run.oci.seccomp_bpf_data"] = $x' --arg x "$ALLOW_ALL"
        run_crun "$T/off.policy.json" "$id" "$TD/b"
        assert_eq 0 "$rc" "created with the rule off: $err"
        assert_contains "$(cat "$TD/$id.out")" "userns: made" "crun loaded the annotation's BPF: unshare -U works"
        assert_eq seccomp "$(spec_get "$TD/b" '.linux.seccomp | keys | map(select(. == "defaultAction")) | .[0]' |
                jq -r 'if . == "defaultAction" then "seccomp" else "none" end')" \
                "while the spec holds the judged profile"
}

test_a_bpf_annotation_is_refused_before_crun_runs() {
        local id before
        new_id id
        probe_bundle "$TD/b"
        spec_set "$TD/b" '.annotations["run.oci.seccomp_bpf_data"] = $x' --arg x "$ALLOW_ALL"
        before=$(sha "$TD/b/config.json")
        run_crun "$RH_POLICY" "$id" "$TD/b"
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "runc-harden: denied by policy: runtime-annotations: /annotations/run.oci.seccomp_bpf_data:" \
                "the rule names the annotation"
        assert_eq absent "$(crun_status "$id")" "crun made no container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
}

test_the_same_container_without_the_annotation_is_filtered() {
        local id
        new_id id
        probe_bundle "$TD/b"
        run_crun "$RH_POLICY" "$id" "$TD/b"
        assert_eq 0 "$rc" "created: $err"
        assert_contains "$(cat "$TD/$id.out")" "Seccomp:	2" "the filter is loaded at start"
        assert_contains "$(cat "$TD/$id.out")" "userns: refused" "unshare -U is refused"
}

test_every_run_oci_key_is_refused_unknown_ones_too() {
        local id k
        for k in run.oci.seccomp.receiver run.oci.seccomp.plugins run.oci.hooks.stdout run.oci.pidfd_receiver \
                run.oci.keep_original_groups run.oci.handler run.oci.some_future_key RUN.OCI.handler \
                org.systemd.property.DeviceAllow module.wasm.image/variant; do
                new_id id
                rm -rf "$TD/b"
                make_bundle "$TD/b" true
                spec_set "$TD/b" '.annotations[$k] = "/tmp/x"' --arg k "$k"
                run_crun "$RH_POLICY" "$id" "$TD/b"
                assert_eq 1 "$rc" "$k: create exits 1"
                # a JSON pointer: "/" in a key is "~1"
                assert_contains "$err" "denied by policy: runtime-annotations: /annotations/${k//\//\~1}:" \
                        "$k: refused by name"
        done
        new_id id
        rm -rf "$TD/b"
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.annotations["io.kubernetes.cri-o.TTY"] = "false" | .annotations["org.opencontainers.image.stopSignal"] = "15"'
        run_crun "$RH_POLICY" "$id" "$TD/b"
        assert_eq 0 "$rc" "annotations no runtime reads pass: $err"
}

test_an_allowed_key_passes_and_the_policy_cannot_weaken_the_rule() {
        local id
        new_id id
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.annotations["run.oci.keep_original_groups"] = "1"'
        jq '.rules["runtime-annotations"].params.allowed = ["run.oci.keep_original_groups"]' "$RH_POLICY" >"$TD/p.json"
        run_crun "$TD/p.json" "$id" "$TD/b"
        assert_eq 0 "$rc" "allowed by the policy: $err"
        jq '.rules["runtime-annotations"].action = "warn"' "$RH_POLICY" >"$TD/warn.json"
        capture rh_own policy check "$TD/warn.json"
        assert_ne 0 "$rc" "warn is refused"
        assert_contains "$err" "runtime-annotations denies or is off" "it says why"
        jq '.rules["runtime-annotations"].exemptible = true' "$RH_POLICY" >"$TD/ex.json"
        capture rh_own policy check "$TD/ex.json"
        assert_ne 0 "$rc" "exemptible is refused"
        jq '.rules["runtime-annotations"].params.allowed = ["run.oci.seccomp_bpf_data"]' "$RH_POLICY" >"$TD/bpf.json"
        capture rh_own policy check "$TD/bpf.json"
        assert_ne 0 "$rc" "allowing the BPF annotation is refused"
        assert_contains "$err" "run.oci.seccomp_bpf_data cannot be allowed" "it names the key"
}

# A runtime in front of crun that edits config.json after the judgement:
# what crun reads is not what was judged.
mutating_crun() {
        prepared_runtime "$1" "jq '$3' '$2/config.json' >'$2/config.json.mut' && mv '$2/config.json.mut' '$2/config.json'" \
                "$CRUN"
}

test_an_annotation_added_after_the_judgement_is_refused_by_verification() {
        local id
        new_id id
        probe_bundle "$TD/b"
        mutating_crun "$TD/rt" "$TD/b" ".annotations[\"run.oci.seccomp_bpf_data\"] = \"$ALLOW_ALL\""
        jq '.verify = false' "$RH_POLICY" >"$TD/noverify.json"
        run_crun "$TD/noverify.json" "$id" "$TD/b" "$TD/rt"
        assert_eq 0 "$rc" "without verification it is created: $err"
        assert_contains "$(cat "$TD/$id.out")" "userns: made" "and runs without a filter"
        new_id id
        rm -rf "$TD/b"
        probe_bundle "$TD/b"
        mutating_crun "$TD/rt" "$TD/b" ".annotations[\"run.oci.seccomp_bpf_data\"] = \"$ALLOW_ALL\""
        run_crun "$RH_POLICY" "$id" "$TD/b" "$TD/rt"
        assert_eq 1 "$rc" "create exits 1"
        assert_match "$err" "runc-harden: container $id: /proc/[0-9]+/status: the runtime read another spec" \
                "the verification says crun read another spec"
        assert_not_contains "$err" "denied by policy" "the spec layer let it through"
        assert_eq absent "$(crun_status "$id")" "the container is deleted"
        assert_eq "" "$(cat "$TD/$id.out")" "the program never ran"
}

test_a_profile_removed_after_the_judgement_is_refused_under_crun() {
        local id
        new_id id
        probe_bundle "$TD/b"
        mutating_crun "$TD/rt" "$TD/b" 'del(.linux.seccomp)'
        run_crun "$RH_POLICY" "$id" "$TD/b" "$TD/rt"
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "the runtime has loaded none (Seccomp: 0), nor left one to load at start" \
                "no pending filter in crun's state directory"
        assert_eq absent "$(crun_status "$id")" "the container is deleted"
}

run_tests
