#!/bin/bash
# Faults around a fix: a delegate runtime that cannot run, a policy that
# cannot be read, a bundle that cannot be written (read-only, full), and
# SIGKILL at any moment of the rewrite. Each fails with a clear message and
# leaves config.json byte-identical, or (SIGKILL) complete: the old or the
# fixed version, never a mix.
# shellcheck source=../integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"
# shellcheck source=kill.sh
source "$(dirname "$0")/kill.sh"

KILL_ROUNDS=${RH_KILL_ROUNDS:-200}

# /bin/true and the broken runtimes below create no container: verifying
# one after the hand-off is not what these faults are about.
jq '.verify = false' "$RH_POLICY" >"$T/unverified.policy.json"
RH_POLICY=$T/unverified.policy.json

# make_fixable DIR: a busybox bundle whose root is writable and which lacks
# noNewPrivileges: the foundation policy fixes both.
make_fixable() {
        make_bundle "$1"
        spec_set "$1" '.root.readonly = false | del(.process.noNewPrivileges)'
}

# no_temp_files DIR WHAT: the atomic writer left nothing behind.
no_temp_files() {
        assert_eq "" "$(find "$1" -maxdepth 1 -name '.config.json.runc-harden-*' -printf '%f\n')" \
                "$2: no temporary file is left"
}

test_a_missing_or_non_executable_runtime_fails_and_leaves_config_json_alone() {
        local id kind runtime before
        printf 'not a program\n' >"$TD/prog-not-executable"
        chmod 0644 "$TD/prog-not-executable"
        for kind in missing not-executable directory; do
                case $kind in
                missing) runtime=$TD/no-such-runtime ;;
                not-executable) runtime=$TD/prog-not-executable ;;
                directory) runtime=$TD ;;
                esac
                new_id id
                make_fixable "$TD/$kind"
                before=$(sha "$TD/$kind/config.json")
                capture rh --harden-runtime "$runtime" create --bundle "$TD/$kind" "$id"
                assert_ne 0 "$rc" "runtime $kind: exit status is not 0"
                assert_contains "$err" "$runtime" "runtime $kind: the message names the runtime"
                assert_eq "$before" "$(sha "$TD/$kind/config.json")" "runtime $kind: config.json is byte-identical"
                no_temp_files "$TD/$kind" "runtime $kind"
                assert_eq absent "$(container_status "$id")" "runtime $kind: no container"
        done
}

test_an_unreadable_policy_fails_closed_for_create_but_not_for_kill_and_delete() {
        local id before kind
        new_id id
        make_bundle "$TD/b"
        # A container made by plain runc, before the policy broke.
        runc_ create --bundle "$TD/b" "$id" >/dev/null 2>&1
        assert_eq created "$(container_status "$id")" "a container exists"
        mkdir "$TD/policy-dir"
        printf '{"version":1,' >"$TD/policy-truncated.json"
        for kind in policy-dir policy-truncated.json no-such-policy.json; do
                local other
                new_id other
                make_fixable "$TD/$kind-bundle"
                before=$(sha "$TD/$kind-bundle/config.json")
                RH_POLICY=$TD/$kind capture rh create --bundle "$TD/$kind-bundle" "$other"
                assert_eq 1 "$rc" "$kind: create exits 1"
                assert_contains "$err" "cannot load the policy, refusing to create (fail closed)" "$kind: fails closed"
                assert_eq "$before" "$(sha "$TD/$kind-bundle/config.json")" "$kind: config.json is byte-identical"
                assert_eq absent "$(container_status "$other")" "$kind: no container"
                RH_POLICY=$TD/$kind assert_ok "$kind: state works" rh state "$id"
        done
        RH_POLICY=$TD/policy-dir assert_ok "kill works with a broken policy" rh kill "$id" KILL
        RH_POLICY=$TD/policy-dir assert_ok "delete --force works with a broken policy" rh delete --force "$id"
        assert_eq absent "$(container_status "$id")" "the container is gone"
}

# in_private_mounts SCRIPT: runs bash -c SCRIPT in a new mount namespace
# with the test's variables; its output goes to $out/$err, status to $rc.
in_private_mounts() {
        capture unshare -m --propagation private env RUNC_HARDEN="$RUNC_HARDEN" STATE="$STATE" RH_POLICY="$RH_POLICY" \
                bash -c "$1"
}

test_a_read_only_bundle_gives_a_clear_error_and_an_unchanged_config_json() {
        local id before
        command -v unshare >/dev/null || { pass "unshare missing: skipped"; return; }
        new_id id
        make_fixable "$TD/b"
        before=$(sha "$TD/b/config.json")
        in_private_mounts "mount --bind '$TD/b' '$TD/b' && mount -o remount,bind,ro '$TD/b' &&
                exec \"\$RUNC_HARDEN\" --harden-policy \"\$RH_POLICY\" --harden-runtime /bin/true --root \"\$STATE\" \
                        create --bundle '$TD/b' '$id'"
        assert_eq 1 "$rc" "create exits 1"
        assert_contains "$err" "cannot write the fixed config.json" "the error says the fix could not be written"
        assert_contains "$err" "Read-only file system" "and why"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is byte-identical"
        no_temp_files "$TD/b" "read-only"
}

test_a_full_bundle_file_system_gives_a_clear_error_and_an_unchanged_config_json() {
        local id before
        command -v unshare >/dev/null || { pass "unshare missing: skipped"; return; }
        new_id id
        make_fixable "$TD/src"
        mkdir -p "$TD/b"
        # config.json inside a 16 KiB tmpfs, the rest filled: the fixed file
        # (larger) cannot be written.
        in_private_mounts "mount -t tmpfs -o size=16k tmpfs '$TD/b' && cp '$TD/src/config.json' '$TD/b/' &&
                ln -s '$TD/src/rootfs' '$TD/b/rootfs' &&
                (dd if=/dev/zero of='$TD/b/filler' bs=1k count=64 2>/dev/null || true) &&
                sha256sum '$TD/b/config.json' | cut -d' ' -f1 >'$TD/before' &&
                { \"\$RUNC_HARDEN\" --harden-policy \"\$RH_POLICY\" --harden-runtime /bin/true --root \"\$STATE\" \
                        create --bundle '$TD/b' '$id'; echo \$? >'$TD/rc'; } ;
                sha256sum '$TD/b/config.json' | cut -d' ' -f1 >'$TD/after';
                find '$TD/b' -maxdepth 1 -name '.config.json.runc-harden-*' >'$TD/temps'"
        assert_eq 1 "$(cat "$TD/rc")" "create exits 1"
        assert_contains "$err" "cannot write the fixed config.json" "the error says the fix could not be written"
        assert_contains "$err" "No space left on device" "and why"
        assert_eq "$(cat "$TD/before")" "$(cat "$TD/after")" "config.json is byte-identical"
        assert_eq "" "$(cat "$TD/temps")" "no temporary file is left"
}

# SIGKILL at a random moment (0-3 ms) of create: config.json is always
# complete, the old or the fixed version. Temporary files a kill leaves
# before the rename are counted (they are the price of atomicity).
test_sigkill_during_a_fix_leaves_the_old_or_the_new_config_json() {
        local i id old new n_old=0 n_new=0 n_bad=0 n_tmp=0
        make_fixable "$TD/proto"
        rm -rf --one-file-system "$TD/proto/rootfs" # /bin/true is the runtime: no root file system needed
        old=$(sha "$TD/proto/config.json")
        cp -r "$TD/proto" "$TD/ref"
        rh --harden-runtime /bin/true create --bundle "$TD/ref" ref >/dev/null 2>&1
        new=$(sha "$TD/ref/config.json")
        assert_ne "$old" "$new" "the spec is fixable"
        for i in $(seq "$KILL_ROUNDS"); do
                rm -rf --one-file-system "$TD/k"
                cp -r "$TD/proto" "$TD/k"
                killed_create "$TD/k" "kill-$i"
                count_config "$TD/k" "$i"
                if [ -n "$(find "$TD/k" -maxdepth 1 -name '.config.json.runc-harden-*')" ]; then
                        n_tmp=$((n_tmp + 1))
                fi
        done
        echo "# SIGKILL rounds: $KILL_ROUNDS: old $n_old, new $n_new, torn $n_bad, temporary file left $n_tmp"
        assert_eq 0 "$n_bad" "no round left a torn config.json (old $n_old, new $n_new)"
        assert_eq "$KILL_ROUNDS" "$((n_old + n_new))" "every round left the old or the new file"
}

run_tests
