#!/bin/bash
# Names with control characters and bytes that are not UTF-8, fed through
# every output runc-harden has: stderr, runc's text and JSON log formats,
# syslog, the audit log, the dry-run and fix lines, lint (text, JSON,
# SARIF), audit and policy check. A text output shows them escaped (\x1b,
# \r, \n, \xff) and never raw; a JSON output stays valid JSON.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# What ctr and podman would print raw: erase the line, return to its start,
# and write a green "allowed" in place of the denial.
FORGED=$'\e[2K\r\e[32mrunc-harden: allowed\e[0m\nother.json: allow\n'
NOT_UTF8=$'\xff\xc0\x80'

# /bin/true, the runtime of most creates here, makes no container to verify
rh_own policy show --level baseline | jq --arg audit "$T/builtin-audit.log" '.["audit-log"] = $audit | .verify = false' \
        >"$T/builtin-policy.json"
jq '.verify = false' "$RH_POLICY" >"$T/unverified.policy.json"
RH_POLICY=$T/unverified.policy.json

# raw_controls FILE: how many bytes of FILE are C0 controls other than
# newline, or DEL; and no_bad_utf8 FILE: whether FILE is valid UTF-8.
raw_controls() {
        LC_ALL=C tr -d '\n' <"$1" | LC_ALL=C tr -cd '\000-\037\177' | wc -c
}

valid_utf8() {
        iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1
}

# save_capture: the last capture's output in $TD/out and $TD/err, where the
# next capture (assert_ok runs one) cannot overwrite them.
save_capture() {
        cp "$T/capture.out" "$TD/out"
        cp "$T/capture.err" "$TD/err"
}

# forged_bind_bundle DIR: a bundle that binds a symlink to /etc whose name
# carries the forged line: sensitive-mount quotes the name it was given.
forged_bind_bundle() {
        make_bundle "$1"
        FORGED_SRC="$TD/src$FORGED"
        ln -sfn /etc "$FORGED_SRC"
        add_bind "$1" "$FORGED_SRC" /x
}

test_a_denial_quoting_a_forged_name_is_one_escaped_line_on_stderr() {
        local id
        new_id id
        forged_bind_bundle "$TD/b"
        RH_POLICY=$T/builtin-policy.json
        capture rh create --bundle "$TD/b" "$id"
        save_capture
        assert_eq 1 "$rc" "refused"
        assert_eq 0 "$(raw_controls "$TD/err")" "no raw control character on stderr"
        assert_eq "" "$(grep -v '^runc-harden: ' "$TD/err" || true)" "every line is runc-harden's own"
        assert_eq 1 "$(grep -c 'denied by policy' "$TD/err")" "one denial line"
        assert_contains "$err" 'src\x1b[2K\r\x1b[32mrunc-harden: allowed\x1b[0m\nother.json: allow\n' \
                "the name is shown escaped"
        assert_eq absent "$(container_status "$id")" "no container"
}

test_a_bundle_path_that_is_not_utf8_is_escaped_in_every_log_format() {
        local id bad=$TD/nothing$FORGED$NOT_UTF8 fmt
        new_id id
        capture rh create --bundle "$bad" "$id"
        save_capture
        assert_contains "$err" 'nothing\x1b[2K\r' "stderr: the bundle is shown escaped"
        assert_contains "$err" '\xff\xc0\x80 cannot be opened' "stderr: bytes that are not UTF-8 as hex"
        assert_eq 0 "$(raw_controls "$TD/err")" "stderr: no raw control character"
        assert_ok "stderr: valid UTF-8" valid_utf8 "$TD/err"
        for fmt in text json; do
                rm -f "$TD/log.$fmt"
                capture rh --log "$TD/log.$fmt" --log-format "$fmt" create --bundle "$bad" "$id"
                save_capture
                assert_eq 1 "$(wc -l <"$TD/log.$fmt")" "$fmt log: one record, one line"
                assert_eq 0 "$(raw_controls "$TD/log.$fmt")" "$fmt log: no raw control character"
                assert_ok "$fmt log: valid UTF-8" valid_utf8 "$TD/log.$fmt"
        done
        assert_match "$(cat "$TD/log.text")" '^time="[^"]*" level=error msg="runc-harden: .*nothing\\x1b\[2K\\r.*\\xff' \
                "text log: logrus' quoting of the escaped message"
        assert_ok "json log: valid JSON" jq -e . "$TD/log.json"
        # containerd decodes msg and ctr prints it raw: the decoded text
        # must still be escaped.
        jq -j .msg "$TD/log.json" >"$TD/msg"
        assert_eq 0 "$(raw_controls "$TD/msg")" "json log: the decoded msg has no raw control character"
        assert_contains "$(cat "$TD/msg")" 'nothing\x1b[2K\r\x1b[32m' "json log: the decoded msg shows the escapes"
}

test_dry_run_and_fix_lines_are_escaped() {
        local id
        new_id id
        forged_bind_bundle "$TD/b"
        spec_set "$TD/b" '.root.readonly = false'
        RH_POLICY=$T/builtin-policy.json
        capture "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-mode dry-run --harden-runtime /bin/true \
                --root "$STATE" create --bundle "$TD/b" "$id"
        save_capture
        assert_eq 0 "$rc" "dry-run lets it through"
        assert_eq 0 "$(raw_controls "$TD/err")" "no raw control character"
        assert_contains "$err" 'dry-run: would deny: sensitive-mount' "the would-deny line"
        assert_eq "" "$(grep -v '^runc-harden: ' "$TD/err" || true)" "every line is runc-harden's own"
        assert_contains "$err" 'would fix: readonly-rootfs' "the would-fix line (the container's one line names both)"
}

test_the_audit_log_keeps_a_record_for_a_bundle_that_is_not_utf8() {
        local id b=$TD/bundle$NOT_UTF8$'\e'
        new_id id
        make_bundle "$b"
        rm -f "$T/audit.log" # the refusals of the tests before are audited too
        capture "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime /bin/true --root "$STATE" \
                create --bundle "$b" "$id"
        save_capture
        assert_eq 0 "$rc" "allowed"
        assert_eq 1 "$(grep -c . "$T/audit.log")" "one record"
        assert_ok "the record is valid JSON" jq -e . "$T/audit.log"
        assert_eq "$TD/bundle\\xff\\xc0\\x80"$'\e' "$(jq -j .bundle "$T/audit.log")" \
                "the bundle: not-UTF-8 bytes as \\xNN, the control character JSON-escaped"
        rm -f "$T/audit.log"
}

test_syslog_lines_are_escaped() {
        command -v python3 >/dev/null || { pass "skipped: no python3"; return; }
        local id
        new_id id
        forged_bind_bundle "$TD/b"
        # A private mount namespace whose /dev holds a socket of our own:
        # nothing on the host is touched.
        cat >"$TD/listen.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("/dev/log")
s.settimeout(3)
out = open(sys.argv[1], "wb")
open(sys.argv[2], "w").close()
try:
    while True:
        out.write(s.recv(65536) + b"\0")
        out.flush()
except socket.timeout:
    pass
EOF
        unshare -m --propagation private bash -c '
                mount -t tmpfs tmpfs /dev && mknod -m 666 /dev/null c 1 3 || exit 1
                python3 "$1" "$2" "$3" & L=$!
                for i in $(seq 50); do [ -e "$3" ] && break; sleep 0.1; done
                "$4" --harden-policy "$5" --harden-runtime /bin/true --root "$6" create --bundle "$7" "$8$9" >/dev/null 2>&1
                wait $L' _ "$TD/listen.py" "$TD/syslog" "$TD/ready" "$RUNC_HARDEN" "$T/builtin-policy.json" "$STATE" \
                "$TD/b" "$id" "$NOT_UTF8"
        assert_ne 0 "$(tr -cd '\0' <"$TD/syslog" | wc -c)" "syslog received lines"
        assert_eq 0 "$(tr -d '\0' <"$TD/syslog" | raw_controls /dev/stdin)" "no raw control character in a syslog line"
        assert_ok "syslog lines are valid UTF-8" valid_utf8 <(tr -d '\0' <"$TD/syslog")
        assert_contains "$(tr '\0' '\n' <"$TD/syslog")" "container=$id\\xff\\xc0\\x80 " "the container id is escaped"
        assert_contains "$(tr '\0' '\n' <"$TD/syslog")" "verdict=deny" "the decision line"
}

test_lint_text_cannot_be_given_a_forged_line() {
        forged_bind_bundle "$TD/b"
        capture rh_own lint --policy "$T/builtin-policy.json" "$TD/b/config.json"
        save_capture
        assert_eq 1 "$rc" "denied"
        assert_eq 0 "$(raw_controls "$TD/out")" "no raw control character"
        assert_eq "" "$(grep '^other.json' "$TD/out" || true)" "no forged other.json line"
        assert_eq 1 "$(grep -c '^[^ ]' "$TD/out")" "one item line"
        # A path given to lint is a name from outside too.
        local p=$TD/spec$FORGED$NOT_UTF8.json
        cp "$TD/b/config.json" "$p"
        capture rh_own lint --policy "$T/builtin-policy.json" "$p" "$TD/b/config.json"
        save_capture
        assert_eq 0 "$(raw_controls "$TD/out")" "a forged path: no raw control character"
        assert_eq 2 "$(grep -c '^[^ ]' "$TD/out")" "two item lines for two paths"
        assert_ok "valid UTF-8" valid_utf8 "$TD/out"
        local fmt
        for fmt in json sarif; do
                capture rh_own lint --policy "$T/builtin-policy.json" --format "$fmt" "$p"
                save_capture
                assert_eq 1 "$rc" "lint --format $fmt: denied, not an error"
                assert_ok "lint --format $fmt: valid JSON" jq -e . "$TD/out"
        done
        assert_eq "${p%"$NOT_UTF8.json"}\\xff\\xc0\\x80.json" \
                "$(jq -j '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri' <"$TD/out")" \
                "SARIF: the path, its not-UTF-8 bytes as \\xNN"
}

test_audit_text_and_notes_are_escaped() {
        local r=$TD/root
        mkdir -p "$r/proc/self"
        # daemon.json must be UTF-8 (the audit refuses it otherwise): the
        # forged line goes in there, the bytes that are not UTF-8 go into
        # the file's name.
        local cfg=$TD/daemon$FORGED$NOT_UTF8.json
        jq -n --arg d "/var/lib/docker$FORGED" '{"data-root": $d}' >"$cfg"
        printf '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n' >"$r/proc/self/mountinfo"
        capture rh_own audit --root-dir "$r" --daemon-config "$cfg"
        save_capture
        assert_eq 1 "$rc" "audit ran"
        assert_eq 0 "$(raw_controls "$TD/out")" "report: no raw control character"
        assert_eq 0 "$(raw_controls "$TD/err")" "notes: no raw control character"
        assert_eq "" "$(grep -E '^(other.json|runc-harden: allowed)' "$TD/out" || true)" "no forged line"
        assert_contains "$out" 'host-data-root-partition: /var/lib/docker\x1b[2K\r' "the data root is shown escaped"
        assert_contains "$out" 'daemon\x1b[2K\r' "the daemon.json item is shown escaped"
        assert_ok "valid UTF-8" valid_utf8 "$TD/out"
        capture rh_own audit --root-dir "$r" --daemon-config "$cfg" --format json
        save_capture
        assert_ok "audit --format json: valid JSON" jq -e . "$TD/out"
}

test_policy_check_messages_are_escaped() {
        local p=$TD/policy$FORGED$NOT_UTF8.json
        rh_own policy show --level baseline >"$p"
        capture rh_own policy check "$p"
        save_capture
        assert_eq 0 "$rc" "valid"
        assert_eq 0 "$(raw_controls "$TD/out")" "the valid line: no raw control character"
        assert_contains "$out" 'policy\x1b[2K\r' "the path is escaped"
        jq -n --arg k "x$FORGED" '{"version": 1, "rules": {($k): {}}}' >"$TD/bad.json"
        capture rh_own policy check "$TD/bad.json"
        save_capture
        assert_eq 1 "$rc" "invalid"
        assert_eq 0 "$(raw_controls "$TD/err")" "the error: no raw control character"
        assert_contains "$err" 'unknown rule "x\x1b[2K\r' "the unknown rule is escaped"
}

run_tests
