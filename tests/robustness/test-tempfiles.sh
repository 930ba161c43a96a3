#!/bin/bash
# Temporary files of the atomic rewrite (issue 19): SIGKILL at random
# moments of creates that fix the spec, all in one bundle. Every round
# leaves config.json whole (the old or the fixed version); once the next
# create has run, no temporary file of runc-harden's naming is left, while
# files of another naming, and one a live writer holds, are kept.
# shellcheck source=../integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"
# shellcheck source=kill.sh
source "$(dirname "$0")/kill.sh"

KILL_ROUNDS=${RH_KILL_ROUNDS:-200}
# /bin/true, the runtime here, makes no container to verify
jq '.verify = false' "$RH_POLICY" >"$T/unverified.policy.json"
RH_POLICY=$T/unverified.policy.json
# spec_write_atomic leaves a temporary file younger than this alone (the
# instant between naming and locking it where O_TMPFILE is missing).
STALE_AFTER=2

make_fixable() {
        make_bundle "$1"
        spec_set "$1" '.root.readonly = false | del(.process.noNewPrivileges)'
}

# temps DIR: the temporary files of runc-harden's own naming in DIR.
temps() {
        find "$1" -maxdepth 1 -regextype posix-extended -regex '.*/\.config\.json\.runc-harden-[0-9a-f]{8}' \
                -printf '%f\n' | sort
}

create() {
        "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime /bin/true --root "$STATE" \
                create --bundle "$1" "$2"
}

test_sigkill_at_random_points_leaves_config_json_whole_and_the_next_create_no_temporary_file() {
        local i old new n_old=0 n_new=0 n_bad=0 n_left=0 held_pid
        make_fixable "$TD/proto"
        rm -rf "$TD/proto/rootfs" # /bin/true is the runtime: no root file system needed
        old=$(sha "$TD/proto/config.json")
        cp -r "$TD/proto" "$TD/ref"
        create "$TD/ref" ref >/dev/null 2>&1
        new=$(sha "$TD/ref/config.json")
        assert_ne "$old" "$new" "the spec is fixable"
        cp -r "$TD/proto" "$TD/k"
        # What must survive every create: another program's files, and a
        # temporary file of our naming that a live writer holds.
        local others=(.config.json.runc-harden-1234567 .config.json.runc-harden-ABCDEF01
                .other.json.runc-harden-12345678 config.json.runc-harden-12345678 .config.json.swp)
        for f in "${others[@]}" .config.json.runc-harden-0000beef; do
                echo '{"half":' >"$TD/k/$f"
                touch -d '-1 hour' "$TD/k/$f"
        done
        # flock -o: the lock stays with flock itself, not its child.
        flock -o "$TD/k/.config.json.runc-harden-0000beef" sleep 600 &
        held_pid=$!
        # And one a killed writer left an hour ago.
        echo '{"half":' >"$TD/k/.config.json.runc-harden-deadbeef"
        touch -d '-1 hour' "$TD/k/.config.json.runc-harden-deadbeef"
        for i in $(seq "$KILL_ROUNDS"); do
                cp "$TD/proto/config.json" "$TD/k/config.json"
                killed_create "$TD/k" "kill-$i"
                count_config "$TD/k" "$i"
                comm -23 <(temps "$TD/k") <(printf '%s\n' .config.json.runc-harden-0000beef \
                        .config.json.runc-harden-deadbeef) >>"$TD/left"
        done
        n_left=$(sort -u "$TD/left" | grep -c . || true)
        echo "# SIGKILL rounds: $KILL_ROUNDS: old $n_old, new $n_new, torn $n_bad, temporary files left by kills $n_left"
        assert_eq 0 "$n_bad" "no round left a torn config.json (old $n_old, new $n_new)"
        assert_eq "$KILL_ROUNDS" "$((n_old + n_new))" "every round left the old or the fixed file"
        # The next create, once the last kill's file is older than any
        # live writer could be.
        sleep $((STALE_AFTER + 1))
        cp "$TD/proto/config.json" "$TD/k/config.json"
        assert_ok "the next create succeeds" create "$TD/k" next
        assert_eq "$new" "$(sha "$TD/k/config.json")" "and writes the fixed config.json"
        assert_eq .config.json.runc-harden-0000beef "$(temps "$TD/k")" \
                "no temporary file is left but the one a live writer holds"
        for f in "${others[@]}"; do
                assert_ok "another's $f is kept" test -f "$TD/k/$f"
        done
        kill $(pgrep -P "$held_pid") "$held_pid" 2>/dev/null || true
        wait "$held_pid" 2>/dev/null || true
        cp "$TD/proto/config.json" "$TD/k/config.json"
        assert_ok "a create after the writer let go" create "$TD/k" last
        assert_eq "" "$(temps "$TD/k")" "its file is removed too"
}

run_tests
