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

# A delegate runtime that records each argument vector it is given (one line
# per call in $TD/argv) and then runs the real runc.
make_recorder() {
        cat >"$TD/rec" <<EOF
#!/bin/sh
printf '%s\n' "\$*" >>"$TD/argv"
exec "$REAL_RUNC" "\$@"
EOF
        chmod +x "$TD/rec"
        : >"$TD/argv"
}

# runc_answers WHAT MODE-FLAGS... -- ARGS...: in dry-run, runc gets ARGS as
# they are and answers them: runc-harden exits as runc does, the recorder saw
# exactly --root STATE ARGS, and runc's own error is shown.
runc_answers() {
        local what=$1 a=0 b=0 modes=()
        shift
        while [ "$1" != -- ]; do
                modes+=("$1")
                shift
        done
        shift
        : >"$TD/argv"
        rh "${modes[@]}" --harden-runtime "$TD/rec" "$@" >"$T/rh.out" 2>"$T/rh.err" || a=$?
        runc_ "$@" >"$T/runc.out" 2>"$T/runc.err" || b=$?
        assert_ne 0 "$b" "$what: runc alone refuses it"
        assert_eq "$b" "$a" "$what: the exit status is runc's"
        assert_eq "--root $STATE $*" "$(cat "$TD/argv")" "$what: runc got the command line unchanged"
        assert_same_file "$T/runc.out" "$T/rh.out" "$what: stdout is runc's"
        # runc names itself by its argv[0]: the delegate's path here
        sed -i 's/time="[^"]*"//; s#/[^ ":]*/runc: #runc: #; s#[^ "]*/rec: #runc: #' "$T/rh.err" "$T/runc.err"
        assert_contains "$(cat "$T/rh.err")" "$(tail -1 "$T/runc.err")" "$what: runc's own error is shown"
}

test_dry_run_hands_runc_a_command_line_it_cannot_read() {
        make_recorder
        make_bundle "$TD/b"
        runc_answers "create without a container id" --harden-mode dry-run -- create --bundle "$TD/b"
        assert_contains "$(cat "$T/rh.err")" \
                "runc-harden: dry-run: would refuse: cannot read the create command line: runc create: requires exactly 1 argument" \
                "the dry run says what enforcing would do"
        runc_answers "create with two container ids" --harden-mode dry-run -- create --bundle "$TD/b" x y
        runc_answers "create with an unknown flag" --harden-mode dry-run -- create --no-such-flag --bundle "$TD/b" x
        runc_answers "run without a container id" --harden-mode dry-run -- run --bundle "$TD/b"
        runc_answers "exec without a command" --harden-mode dry-run -- exec x
        runc_answers "update with two container ids" --harden-mode dry-run -- update --pids-limit 10 x y
        runc_answers "an unknown global flag before create" --harden-mode dry-run -- --no-such-flag create x
        jq '.mode = "dry-run"' "$RH_POLICY" >"$TD/policy.json"
        runc_answers "a dry-run policy, create without a container id" --harden-policy "$TD/policy.json" -- \
                create --bundle "$TD/b"
}

test_enforcing_refuses_a_command_line_it_cannot_read() {
        local what
        make_recorder
        make_bundle "$TD/b"
        for what in "--harden-mode enforce" "--harden-mode sometimes"; do
                # shellcheck disable=SC2086 # two words
                assert_status 1 "$what: create without a container id" \
                        rh $what --harden-runtime "$TD/rec" create --bundle "$TD/b"
                assert_contains "$err" "runc-harden: cannot read the create command line: " "$what: says why"
                assert_contains "$err" "; refusing" "$what: says it refuses"
                assert_eq "" "$(cat "$TD/argv")" "$what: runc is never run"
        done
        assert_status 1 "enforce: an unknown global flag before create" \
                rh --harden-runtime "$TD/rec" --no-such-flag create x
        assert_contains "$err" "runc-harden: cannot read the command line: flag provided but not defined" "says why"
        assert_eq "" "$(cat "$TD/argv")" "runc is never run"
}

test_dry_run_hands_runc_what_it_cannot_open() {
        local id
        new_id id
        make_recorder
        runc_answers "create with a missing bundle" --harden-mode dry-run -- create --bundle "$TD/missing" "$id"
        assert_finding "$(cat "$T/rh.err")" "would deny" spec-invalid "" "config.json: the bundle $TD/missing cannot be opened" \
                "the dry run says what enforcing would do"
        assert_eq absent "$(container_status "$id")" "no container"
        runc_answers "update with a missing resources file" --harden-mode dry-run -- \
                update --resources "$TD/missing.json" "$id"
        assert_finding "$(cat "$T/rh.err")" "would deny" spec-invalid "" "the update resources: $TD/missing.json: open:" \
                "the dry run says what enforcing would do"

        : >"$TD/argv"
        assert_status 1 "enforce: create with a missing bundle" \
                rh --harden-runtime "$TD/rec" create --bundle "$TD/missing" "$id"
        assert_contains "$err" \
                "runc-harden: denied by policy: spec-invalid: config.json: the bundle $TD/missing cannot be opened" \
                "enforce: spec-invalid names the bundle"
        assert_eq "" "$(cat "$TD/argv")" "enforce: runc is never run"
        assert_eq "deny $TD/missing" "$(tail -1 "$T/audit.log" | jq -r '"\(.verdict) \(.bundle)"')" \
                "enforce: the refusal is audited, with the bundle as it was given"
}

run_tests
