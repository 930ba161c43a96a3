#!/bin/bash
# What an operator following the docs ran into (issue 20): the policy file
# written in place, an empty policy, a missing audit-log directory, setup
# docker run twice and undone, and --version.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

test_policy_show_output_writes_the_file_atomically() {
        rh_own policy show --level baseline >"$TD/want.json"
        assert_ok "policy show --output FILE" rh_own policy show --level baseline --output "$TD/policy.json"
        assert_same_file "$TD/want.json" "$TD/policy.json" "the file holds what policy show prints"
        assert_contains "$out" "runc-harden: the built-in level baseline written to $TD/policy.json" \
                "it says what and where"
        # In place, as the docs said to do with a redirection: the file is
        # read, then replaced, never emptied first.
        chmod 640 "$TD/policy.json"
        jq '.mode = "dry-run"' "$TD/policy.json" >"$TD/edited.json"
        cp "$TD/edited.json" "$TD/policy.json"
        assert_ok "policy show --policy FILE --output FILE" \
                rh_own policy show --policy "$TD/policy.json" --output "$TD/policy.json"
        assert_contains "$out" "runc-harden: the policy $TD/policy.json written to $TD/policy.json" \
                "a policy file is named as such"
        assert_eq '"dry-run"' "$(jq .mode "$TD/policy.json")" "the file's own settings are kept"
        assert_eq 640 "$(stat -c %a "$TD/policy.json")" "and its mode"
        # A reader never sees an empty or partial file while it is rewritten.
        local i bad=0
        (for i in $(seq 100); do rh_own policy show --level baseline --output "$TD/policy.json" >/dev/null; done) &
        local writer=$!
        while kill -0 "$writer" 2>/dev/null; do
                jq -e .version "$TD/policy.json" >/dev/null 2>&1 || bad=$((bad + 1))
        done
        wait "$writer"
        assert_eq 0 "$bad" "100 rewrites: every read found a whole policy"
        assert_eq "" "$(find "$TD" -maxdepth 1 -name '.policy.json.runc-harden-*')" "no temporary file is left"
        assert_status 1 "--output into a missing directory fails" rh_own policy show --level baseline --output "$TD/none/policy.json"
        assert_status 2 "an unknown option is a usage error" rh_own policy show --colour
}

test_an_empty_policy_file_says_so_and_the_way_out() {
        local id f
        new_id id
        make_bundle "$TD/b"
        for f in empty blank; do
                if [ "$f" = empty ]; then : >"$TD/$f.json"; else printf ' \n\t\n' >"$TD/$f.json"; fi
                RH_POLICY=$TD/$f.json
                capture rh create --bundle "$TD/b" "$id"
                assert_eq 1 "$rc" "$f policy: create is refused (fail closed)"
                assert_contains "$err" "policy $TD/$f.json is empty" "$f policy: the message says the file is empty"
                assert_contains "$err" "runc-harden policy show --level baseline --output $TD/$f.json" \
                        "$f policy: and how to write one"
                assert_eq absent "$(container_status "$id")" "$f policy: no container"
                capture rh_own policy check "$TD/$f.json"
                assert_eq 1 "$rc" "$f policy: policy check says invalid"
                assert_contains "$err" "is empty" "$f policy: and why"
                # The way out must not read the empty file itself, as
                # `policy show --output` of the default path would.
                local way_out
                way_out=$(grep -o 'runc-harden policy show [^,]*' <<<"$err" | head -n 1)
                way_out=${way_out#runc-harden }
                assert_contains "$way_out" "--output $TD/$f.json" "$f policy: the way out is a command"
                # shellcheck disable=SC2086 # the command as the message gives it
                assert_ok "$f policy: the way out works" rh_own $way_out
                assert_ok "$f policy: and leaves a valid policy" rh_own policy check "$TD/$f.json"
        done
}

test_every_subcommand_prints_its_usage_on_help() {
        local c
        for c in lint audit report policy "policy show" "policy check" "policy levels" setup "setup docker" \
                "setup system"; do
                # shellcheck disable=SC2086 # the subcommand's words
                capture rh_own $c --help
                assert_eq 0 "$rc" "$c --help: exit 0"
                assert_match "$out" "usage: runc-harden" "$c --help: the usage, on stdout"
                assert_eq "" "$err" "$c --help: nothing on stderr"
        done
}

# audit_log_policy FILE LOG: the foundation policy, its audit log at LOG.
# (/bin/true, the runtime of these creates, makes no container to verify)
audit_log_policy() {
        jq --arg l "$2" '.["audit-log"] = $l | .verify = false' "$T/policy.json" >"$1"
}

test_a_missing_audit_log_directory_is_created_and_reported() {
        local id
        new_id id
        make_bundle "$TD/b"
        audit_log_policy "$TD/p.json" "$TD/logs/runc-harden/audit.log"
        capture rh_own policy check "$TD/p.json"
        assert_eq 0 "$rc" "policy check: valid"
        assert_contains "$err" "the directory $TD/logs/runc-harden does not exist" "policy check names the directory"
        assert_contains "$err" "mkdir -m 0700 -p $TD/logs/runc-harden" "and how to make it"
        capture "$RUNC_HARDEN" --harden-policy "$TD/p.json" --harden-runtime /bin/true --root "$STATE" \
                create --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "create"
        assert_eq 700 "$(stat -c %a "$TD/logs/runc-harden")" "the directory is made, mode 0700"
        assert_eq 700 "$(stat -c %a "$TD/logs")" "and its parent"
        assert_eq "$id" "$(jq -r .container "$TD/logs/runc-harden/audit.log")" "the decision is recorded"
        assert_ok "policy check: no note once it exists" rh_own policy check "$TD/p.json"
        assert_eq "" "$err" "(nothing on stderr)"
}

test_an_audit_log_that_cannot_be_written_is_never_lost_silently() {
        local id
        new_id id
        make_bundle "$TD/b"
        echo "a file, not a directory" >"$TD/logs"
        audit_log_policy "$TD/p.json" "$TD/logs/audit.log"
        capture rh_own policy check "$TD/p.json"
        assert_eq 1 "$rc" "policy check: refused"
        assert_contains "$err" "$TD/logs is not a directory: no decision could be recorded" "it says why"
        capture "$RUNC_HARDEN" --harden-policy "$TD/p.json" --harden-runtime /bin/true --root "$STATE" \
                create --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "create goes on (the decision stands)"
        assert_contains "$err" "cannot append this decision (allow) to the audit log $TD/logs/audit.log" \
                "the runtime's log says the record was lost"
        capture "$RUNC_HARDEN" --harden-policy "$TD/p.json" --harden-runtime /bin/true --root "$STATE" \
                --log "$TD/runc.log" --log-format json create --bundle "$TD/b" "$id"
        assert_contains "$(jq -r 'select(.level == "warning") | .msg' "$TD/runc.log")" "cannot append this decision" \
                "in the JSON log too"
}

test_setup_docker_keeps_the_first_backup_and_numbers_the_others() {
        printf '{"icc": false}\n' >"$TD/daemon.json"
        cp "$TD/daemon.json" "$TD/orig.json"
        assert_ok "setup" rh_own setup docker --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_same_file "$TD/orig.json" "$TD/daemon.json.bak" "the first backup is the original"
        cp "$TD/daemon.json" "$TD/after-setup.json"
        assert_ok "setup again" rh_own setup docker --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_contains "$out" "already set up; nothing written" "the same setup changes nothing"
        assert_eq "" "$(compgen -G "$TD/daemon.json.bak.*" || true)" "and backs nothing up"
        assert_ok "setup --default" rh_own setup docker --default --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_same_file "$TD/orig.json" "$TD/daemon.json.bak" "the original backup is kept"
        assert_same_file "$TD/after-setup.json" "$TD/daemon.json.bak.1" "the version before is daemon.json.bak.1"
        assert_contains "$out" "the previous version is $TD/daemon.json.bak.1" "it says so"
        assert_contains "$out" "kill -HUP \$(pidof dockerd)" "the reload signal"
        assert_contains "$out" "systemctl reload docker" "and the systemd way"
}

test_setup_docker_without_a_daemon_json_never_calls_its_own_file_the_original() {
        assert_ok "setup, no daemon.json" rh_own setup docker --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_contains "$out" "there was no $TD/daemon.json: runc-harden created it, so there is no backup" \
                "it says there was no file"
        assert_eq "" "$(compgen -G "$TD/daemon.json.bak*" || true)" "and backs nothing up"
        cp "$TD/daemon.json" "$TD/created.json"
        assert_ok "setup --default" rh_own setup docker --default --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_eq "" "$(compgen -G "$TD/daemon.json.bak" || true)" \
                "runc-harden's own first version never becomes daemon.json.bak"
        assert_same_file "$TD/created.json" "$TD/daemon.json.bak.1" "it is daemon.json.bak.1"
        assert_contains "$out" "the previous version is $TD/daemon.json.bak.1; there is no $TD/daemon.json.bak" \
                "the message says so"
        assert_not_contains "$out" "as it was before runc-harden first changed it" "and claims no original"
}

test_setup_docker_undo_removes_what_setup_added() {
        printf '{"icc": false, "runtimes": {"crun": {"path": "/usr/bin/crun"}}}\n' >"$TD/daemon.json"
        rh_own setup docker --default --daemon-config "$TD/daemon.json" --path /opt/rh >/dev/null
        assert_ok "setup --undo --dry-run" rh_own setup docker --undo --dry-run --daemon-config "$TD/daemon.json"
        assert_contains "$out" '-    "hardened": {' "the dry run shows the entry going"
        assert_eq hardened "$(jq -r '.["default-runtime"]' "$TD/daemon.json")" "and writes nothing"
        assert_ok "setup --undo" rh_own setup docker --undo --daemon-config "$TD/daemon.json"
        assert_eq '{"icc":false,"runtimes":{"crun":{"path":"/usr/bin/crun"}},"default-runtime":"runc"}' \
                "$(jq -c . "$TD/daemon.json")" \
                "the entry is gone, the default runtime is runc again (written: dockerd keeps a removed one)"
        assert_ok "undo again" rh_own setup docker --undo --daemon-config "$TD/daemon.json"
        assert_contains "$out" 'has no runtime "hardened" to remove' "a second undo changes nothing"
        printf '{"runtimes": {"hardened": {"path": "/opt/rh"}}}\n' >"$TD/only.json"
        rh_own setup docker --undo --daemon-config "$TD/only.json" >/dev/null
        assert_eq '{}' "$(jq -c . "$TD/only.json")" "a runtimes object left empty goes too"
        assert_status 2 "--undo with --default is a usage error" rh_own setup docker --undo --default \
                --daemon-config "$TD/daemon.json"
}

# dockerd's reading of `RUNTIME --version` (daemon/info_unix.go,
# parseRuntimeVersion): every line containing "version" sets the runtime
# name and version, every "commit:" line the commit; the last one wins.
dockerd_parse() {
        awk '/version/ { n = split($0, s, "version"); rt = s[1]; v = s[n]; gsub(/^ +| +$/, "", rt); gsub(/^ +| +$/, "", v) }
                /^commit:/ { c = $0; sub(/^commit:/, "", c); gsub(/^ +| +$/, "", c) }
                END { print rt "|" v "|" c }'
}

test_version_names_runc_harden_first_and_dockerd_still_reads_runcs() {
        capture rh --version
        assert_eq 0 "$rc" "exit 0"
        assert_match "$(sed -n 1p <<<"$out")" '^runc-harden version [0-9]+\.[0-9]+\.[0-9]+$' "runc-harden's version"
        assert_match "$(sed -n 2p <<<"$out")" '^runc-harden build: apparmor (yes|no), selinux (yes|no), libseccomp ' \
                "its build options"
        assert_eq "runc-harden policy: $RH_POLICY (mode enforce)" "$(sed -n 3p <<<"$out")" "the policy and its mode"
        assert_eq "runc-harden delegate: /usr/bin/runc" "$(sed -n 4p <<<"$out")" "the runtime it hands off to"
        assert_eq 0 "$(sed -n 2,4p <<<"$out" | grep -c version || true)" \
                "no other line of runc-harden's says \"version\""
        local want
        want=$("$REAL_RUNC" --version | dockerd_parse)
        assert_eq "$want" "$(dockerd_parse <<<"$out")" "dockerd's parser reads runc's name, version and commit"
        capture rh --harden-policy "$RH_TEST_DATA/garbage.policy.json" --harden-mode dry-run --version
        assert_eq 0 "$rc" "a broken policy does not stop --version"
        assert_contains "$out" "(invalid: checked commands are refused" "it says the policy is invalid"
        capture rh --harden-mode dry-run --version
        assert_contains "$out" "(mode dry-run (--harden-mode))" "a mode given on the command line"
}

run_tests
