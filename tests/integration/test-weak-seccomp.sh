#!/bin/bash
# A seccomp profile that leaves open a call of the seccomp rule's "refuse"
# list counts as no profile on the real runc: the built-in profile replaces
# it. Seen from inside: `Seccomp: 2` either way, but unshare(2), which the
# built-in profile refuses and the weak one allows, fails only after the
# fix. A profile that refuses the list is kept as it is. errno values are
# compared as runc truncates them.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PROBE='grep Seccomp: /proc/self/status; unshare -U true 2>/dev/null && echo unshare=open || echo unshare=refused'
LIST='["bpf","delete_module","finit_module","init_module","ioperm","iopl","kexec_file_load","kexec_load",
"open_by_handle_at","perf_event_open","userfaultfd"]'

# write_seccomp_policy FILE [JQ FILTER]: only seccomp (and spec-invalid) on.
write_seccomp_policy() {
        "$RUNC_HARDEN" policy show --level baseline |
                jq --arg audit "$T/audit.log" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if (.key | IN("seccomp", "spec-invalid")) then . else .value.action = "off" end)
                        | '"${2:-.}" >"$1"
}

RH_POLICY=$T/seccomp-policy.json
write_seccomp_policy "$RH_POLICY"

# seccomp_bundle DIR PROFILE: a bundle running the probe under PROFILE.
seccomp_bundle() {
        make_bundle "$1" sh -c "$PROBE"
        spec_set "$1" '.linux.seccomp = $p' --argjson p "$2"
}

test_a_denylist_of_an_unimplemented_call_is_replaced_by_the_built_in_profile() {
        local id
        new_id id
        seccomp_bundle "$TD/b" '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["nfsservctl"],"action":"SCMP_ACT_ERRNO"}]}'
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "Seccomp:[[:space:]]+2" "under plain runc a filter is installed"
        assert_contains "$out" "unshare=open" "but it lets unshare(2) through"
        assert_ok "run through runc-harden" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" seccomp /linux/seccomp "leaves open bpf (defaultAction)" \
                "the fix is logged, naming what was open"
        assert_match "$out" "Seccomp:[[:space:]]+2" "a filter is installed"
        assert_contains "$out" "unshare=refused" "and it refuses unshare(2): the built-in profile is in force"
        assert_eq '"SCMP_ACT_ERRNO"' "$(spec_get "$TD/b" .linux.seccomp.defaultAction)" \
                "config.json holds the built-in profile"
}

test_a_denylist_that_refuses_the_list_is_kept() {
        local id before
        new_id id
        seccomp_bundle "$TD/b" "$(jq -cn --argjson l "$LIST" \
                '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":$l,"action":"SCMP_ACT_ERRNO"}]}')"
        before=$(sha "$TD/b/config.json")
        assert_ok "run through runc-harden" rh run --bundle "$TD/b" "$id"
        assert_eq "" "$err" "nothing is logged"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
        assert_match "$out" "Seccomp:[[:space:]]+2" "its filter is installed"
        assert_contains "$out" "unshare=open" "the container's own profile is in force (it allows unshare)"
}

test_the_list_is_the_policys() {
        local id
        new_id id
        write_seccomp_policy "$TD/policy.json" '.rules.seccomp.params.refuse += ["unshare"]'
        RH_POLICY=$TD/policy.json
        seccomp_bundle "$TD/b" "$(jq -cn --argjson l "$LIST" \
                '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":$l,"action":"SCMP_ACT_ERRNO"}]}')"
        assert_ok "run through runc-harden" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" seccomp /linux/seccomp "leaves open unshare (defaultAction)" \
                "with unshare in the list, the profile is weak"
        assert_contains "$out" "unshare=refused" "and the built-in profile refuses unshare inside"
}

# An allowlist that looks as if it refused the list (and unshare) with an
# errno of its own, then allows them: runc 1.1 cuts errnoRet to 16 bits
# (int16, then libseccomp-golang's SetReturnCode), so 65537 is EPERM, the
# default's errno, and runc skips the refusal as redundant. Allowed: what
# the built-in profile allows (busybox's shell needs), the list, unshare.
truncated_profile() {
        jq -c --argjson l "$LIST" --argjson rule "$1" --argjson top "$2" '
                ([.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] + $l + ["unshare", "clone3"] | unique) as $all
                | {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"],
                   "syscalls": [({"names": ($l + ["unshare"]), "action": "SCMP_ACT_ERRNO"} + $rule),
                                {"names": $all, "action": "SCMP_ACT_ALLOW"}]} + $top' "$RH_SRC/data/seccomp-default.json"
}

test_an_errno_that_runc_truncates_to_the_defaults_refuses_nothing() {
        local id rule top
        write_seccomp_policy "$TD/policy.json" '.rules.seccomp.params.refuse += ["unshare"]'
        RH_POLICY=$TD/policy.json
        for rule in '{"errnoRet":65537} {"defaultErrnoRet":1}' '{} {"defaultErrnoRet":65537}' '{"errnoRet":65537} {}'; do
                top=${rule#* }
                rule=${rule%% *}
                new_id id
                seccomp_bundle "$TD/b" "$(truncated_profile "$rule" "$top")"
                cp -r "$TD/b" "$TD/control"
                assert_ok "$rule $top: plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
                assert_match "$out" "Seccomp:[[:space:]]+2" "$rule $top: under plain runc a filter is installed"
                assert_contains "$out" "unshare=open" "$rule $top: but runc skipped the refusal: unshare(2) runs"
                assert_ok "$rule $top: run through runc-harden" rh run --bundle "$TD/b" "$id"
                assert_finding "$err" "fixed by policy" seccomp /linux/seccomp "leaves open bpf (syscalls/1)" \
                        "$rule $top: the refusal is judged as runc installs it, the allow after it as what counts"
                assert_contains "$out" "unshare=refused" "$rule $top: and the built-in profile refuses unshare inside"
                rm -rf "$TD/b" "$TD/control"
        done
        # An errno that differs in its low 16 bits is a refusal of its own.
        new_id id
        seccomp_bundle "$TD/b" "$(truncated_profile '{"errnoRet":65574}' '{"defaultErrnoRet":1}')"
        assert_ok "errnoRet 65574 (ENOSYS to runc): run through runc-harden" rh run --bundle "$TD/b" "$id"
        assert_eq "" "$err" "nothing is logged"
        assert_contains "$out" "unshare=refused" "the container's own profile refuses unshare"
}

run_tests
