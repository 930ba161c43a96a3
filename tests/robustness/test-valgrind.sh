#!/bin/bash
# Valgrind over the binary's create path (policy load, spec load, every
# rule, the fix and its atomic write, the deny message, the audit record)
# with /bin/true as the delegate runtime: a Docker spec that needs fixing,
# one that is denied, one that is spec-invalid, an exec process file and
# update resources. Any memory error or leak fails (exit 99 from valgrind).
# Skipped (77) when valgrind is missing.
# shellcheck source=../integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

command -v valgrind >/dev/null || skip_all "valgrind is not installed"

# memcheck needs a dynamically linked executable to watch malloc; the build
# makes a twin of the static runc-harden for it.
RUNC_HARDEN=${RUNC_HARDEN_MEMCHECK:-$RUNC_HARDEN}

# The built-in policy (every rule), auditing into the test's directory.
# The delegate below creates no container, so there is none to verify:
# verifying is off here, and on in the test of its own at the end.
"$RUNC_HARDEN" policy show --level baseline | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$T/verified.policy.json"
jq '.verify = false' "$T/verified.policy.json" >"$T/builtin.policy.json"
RH_POLICY=$T/builtin.policy.json

# The delegate is an empty executable file: it passes runc-harden's check
# of the runtime (a regular, executable file), then execve() fails with
# ENOEXEC and runc-harden returns from main, so valgrind sees the whole
# run, leaks included (an exec of a real runtime would end valgrind's view
# at execve without a leak check). Everything up to the exec is the same.
NO_RUNTIME=$T/unexecutable-runtime
: >"$NO_RUNTIME"
chmod 755 "$NO_RUNTIME"

# vg WHAT ARGS...: runc-harden ARGS under valgrind; the valgrind log must
# be clean. $rc, $err as for capture.
vg() {
        local what=$1
        shift
        rc=0
        timeout -k 5 300 valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
                --errors-for-leak-kinds=definite,indirect,possible --log-file="$T/vg.log" \
                "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$NO_RUNTIME" --root "$STATE" "$@" \
                >"$T/vg.out" 2>"$T/vg.err" || rc=$?
        err=$(cat "$T/vg.err")
        local summary
        summary=$(grep -E "ERROR SUMMARY" "$T/vg.log" | tail -1 || true)
        assert_ne 99 "$rc" "$what: valgrind's exit status is not 99"
        assert_contains "$summary" "ERROR SUMMARY: 0 errors" "$what: valgrind reports nothing"
        if [[ "$summary" != *"ERROR SUMMARY: 0 errors"* ]]; then
                sed 's/^/  vg| /' "$T/vg.log" | head -80
        fi
}

test_a_docker_spec_that_needs_fixing_is_clean() {
        mkdir -p "$TD/b"
        cp "$RH_CORPUS/docker/default.json" "$TD/b/config.json"
        vg "docker/default.json (fixed)" create --bundle "$TD/b" vg-fix
        assert_contains "$err" "runc-harden: fixed by policy:" "it was fixed"
        assert_contains "$err" "cannot execute the runtime" "and the failed hand-off reported"
        cp "$RH_CORPUS/docker/hardened.json" "$TD/b/config.json"
        vg "docker/hardened.json (fixed)" create --bundle "$TD/b" vg-fix2
}

test_a_denied_docker_spec_is_clean() {
        mkdir -p "$TD/b"
        cp "$RH_CORPUS/docker/docker-sock.json" "$TD/b/config.json"
        vg "docker/docker-sock.json (denied)" create --bundle "$TD/b" vg-deny
        assert_eq 1 "$rc" "exit status 1"
        assert_contains "$err" "denied by policy:" "it is denied"
        cp "$RH_CORPUS/docker/privileged.json" "$TD/b/config.json"
        vg "docker/privileged.json (denied)" create --bundle "$TD/b" vg-deny2
        assert_contains "$err" "denied by policy:" "it is denied"
}

test_a_spec_invalid_document_is_clean() {
        mkdir -p "$TD/b"
        printf '{"process":{"args":["sh"' >"$TD/b/config.json"
        vg "truncated config.json" create --bundle "$TD/b" vg-invalid
        assert_contains "$err" "spec-invalid" "it is spec-invalid"
        python3 -c 'import sys; sys.stdout.write("["*100000)' >"$TD/b/config.json"
        vg "deeply nested config.json" create --bundle "$TD/b" vg-deep
        assert_contains "$err" "spec-invalid" "it is spec-invalid"
}

test_exec_and_update_documents_are_clean() {
        cp "$RH_CORPUS/docker/exec-privileged.process.json" "$TD/p.json"
        vg "exec --process (docker exec --privileged)" exec --process "$TD/p.json" some-container
        cp "$RH_CORPUS/docker/exec-plain.process.json" "$TD/p2.json"
        vg "exec --process (docker exec)" exec --process "$TD/p2.json" some-container
        vg "update --resources FILE" update --resources "$RH_CORPUS/docker/update-mem.resources.json" some-container
        rc=0
        timeout -k 5 300 valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
                --log-file="$T/vg.log" "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$NO_RUNTIME" \
                --root "$STATE" update --resources - some-container \
                <"$RH_CORPUS/docker/update-unlimit.resources.json" >/dev/null 2>&1 || rc=$?
        assert_ne 99 "$rc" "update --resources - (stdin): valgrind reports nothing"
}

# Verifying a container the real runc created (its /proc files, the mount
# tables, the cgroup files) and refusing one (runc delete, the message):
# runc-harden under valgrind, runc not (it is a child). The second runtime
# binds the host's /etc over the bind source after the judgement, so only
# the verification can see it.
test_verifying_a_created_container_is_clean() {
        local id runtime
        make_bundle "$TD/b"
        mkdir -p "$TD/alias" "$TD/b/rootfs/hostetc"
        add_bind "$TD/b" "$TD/alias" /hostetc
        aliasing_runtime "$TD/aliasing-runc" /etc "$TD/alias"
        for id in vg-verify vg-verify-refused; do
                CONTAINERS+=("$id")
                runtime=$REAL_RUNC
                [ "$id" = vg-verify ] || runtime=$TD/aliasing-runc
                rc=0
                timeout -k 5 300 valgrind --error-exitcode=99 --leak-check=full \
                        --errors-for-leak-kinds=definite,indirect,possible --log-file="$T/vg.log" \
                        "$RUNC_HARDEN" --harden-policy "$T/verified.policy.json" --harden-runtime "$runtime" \
                        --root "$STATE" create --bundle "$TD/b" --pid-file "$TD/pid" "$id" >"$T/vg.out" 2>"$T/vg.err" ||
                        rc=$?
                assert_ne 99 "$rc" "$id: valgrind's exit status is not 99"
                assert_contains "$(grep -E "ERROR SUMMARY" "$T/vg.log" | tail -1)" "ERROR SUMMARY: 0 errors" \
                        "$id: valgrind reports nothing"
        done
        assert_eq created "$(container_status vg-verify)" "the first one was verified and kept"
        assert_contains "$(cat "$T/vg.err")" "/hostetc is a bind of the host's /etc" "the second one was refused"
        assert_eq absent "$(container_status vg-verify-refused)" "and deleted"
}

# vg_own WHAT ARGS...: one of runc-harden's own commands under valgrind.
vg_own() {
        local what=$1
        shift
        rc=0
        timeout -k 5 300 valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
                --errors-for-leak-kinds=definite,indirect,possible --log-file="$T/vg.log" "$RUNC_HARDEN" "$@" \
                >"$T/vg.out" 2>"$T/vg.err" || rc=$?
        out=$(cat "$T/vg.out")
        assert_ne 99 "$rc" "$what: valgrind's exit status is not 99"
        assert_contains "$(grep -E "ERROR SUMMARY" "$T/vg.log" | tail -1)" "ERROR SUMMARY: 0 errors" \
                "$what: valgrind reports nothing"
}

# Dry-run's watch at create, what delete reads from an overlay's upper
# directory, and the report over both; a policy with levels and entries.
test_a_dry_run_watch_its_delete_and_the_report_are_clean() {
        [ "$(id -u)" = 0 ] && grep -qw overlay /proc/filesystems || {
                echo "# no overlay here: skipped"
                return 0
        }
        jq '.mode = "dry-run" | .workloads = [{"name": "x", "match": {"image": "x"}, "rules": {}}]' "$RH_POLICY" \
                >"$TD/dry.json"
        local policy=$RH_POLICY
        RH_POLICY=$TD/dry.json
        make_bundle "$TD/img" true
        mkdir -p "$TD/b/upper" "$TD/b/work" "$TD/b/rootfs"
        jq '.root = {"path": "rootfs", "readonly": false}' "$TD/img/config.json" >"$TD/b/config.json"
        mount -t overlay overlay -o "lowerdir=$TD/img/rootfs,upperdir=$TD/b/upper,workdir=$TD/b/work" "$TD/b/rootfs"
        # valgrind does not know openat2(), which the readonly-rootfs fix
        # needs to look into the image: the watch is made without it
        capture "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$NO_RUNTIME" --root "$STATE" \
                create --bundle "$TD/b" vg-dry
        assert_ne "" "$(ls /run/runc-harden/dry-run/vg-dry.*.json 2>/dev/null)" "create in dry-run: it is watched"
        mkdir -p "$TD/b/rootfs/etc/app" "$TD/b/rootfs/newdir"
        echo x >"$TD/b/rootfs/etc/app/conf"
        rm -f "$TD/b/rootfs/etc/passwd"
        vg "delete of a watched container" delete vg-dry
        umount "$TD/b/rootfs"
        assert_eq '["/","/etc"]' "$(jq -c 'select(.command == "delete") | [.observed.writes[].dir] | sort' "$T/audit.log")" \
                "the delete record has what was written"
        vg_own "report (text)" report --policy "$RH_POLICY"
        assert_contains "$out" "would break under: readonly-rootfs" "the report says what would break"
        vg_own "report (json)" report --policy "$RH_POLICY" --format json --since 1d
        vg_own "policy show --level restricted" policy show --level restricted
        RH_POLICY=$policy
}

run_tests
