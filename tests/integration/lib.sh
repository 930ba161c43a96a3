# shellcheck shell=bash
# Sourced by every integration test: drives the built runc-harden in front of
# the real runc, on busybox bundles, with a private state directory so that a
# test never sees another test's containers or an engine's.
#
# A test script defines functions named test_* (names read as sentences),
# then calls run_tests. Each test_* uses the assertions below; the script
# prints "N passed, M failed" and exits non-zero when M > 0 or when a
# command the test did not expect to fail aborts it.
set -euo pipefail
set -E # the ERR trap below also fires inside functions

: "${RUNC_HARDEN:?RUNC_HARDEN must name the runc-harden binary (meson test sets it)}"
RH_SRC=${RH_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
RH_TEST_DATA=${RH_TEST_DATA:-$RH_SRC/tests/data}
# The engines' real specs, copied into the tree (tests/data/corpus/README.md).
RH_CORPUS=${RH_CORPUS:-$RH_SRC/tests/data/corpus}
REAL_RUNC=${REAL_RUNC:-/usr/bin/runc}
TEST_NAME=$(basename "$0" .sh)
TEST_NAME=${TEST_NAME#test-}

# Nothing a container or runc inherits from us should be a terminal or a
# pipe a command substitution waits on.
exec </dev/null
# Bundles, root file systems and volumes are made here and read by
# containers running as other users (1000, nobody): a caller's umask of
# 077 would make them unreachable.
umask 022

T=$(mktemp -d "/tmp/rh-it-$TEST_NAME.XXXXXX")
STATE=$T/state
mkdir -p "$STATE"
PASSED=0
FAILED=0
FAILURES=
CURRENT_TEST=
SKIPPED=
ID_SEQ=0
CONTAINERS=()
EXTRA_ROOTS=() # other runtimes' state dirs: "runtime root"

# The rules of the foundation (the ones the integration suite is about).
# Rule families added later keep their own tests; here they are switched
# off so that a new family's default does not change what these tests see.
FOUNDATION_RULES='["spec-invalid","host-namespace","engine-socket","readonly-rootfs","no-new-privileges"]'

# ---------------------------------------------------------------- cleanup

cleanup() {
        local rc=$? id root rt
        set +e
        trap - ERR
        # Every container this test made (registered, or found in its private
        # state dirs): killed and deleted, whatever state it is in.
        for id in "${CONTAINERS[@]}" $("$REAL_RUNC" --root "$STATE" list -q 2>/dev/null); do
                "$REAL_RUNC" --root "$STATE" delete --force "$id" >/dev/null 2>&1
        done
        for root in "${EXTRA_ROOTS[@]}"; do
                rt=${root%% *}
                root=${root#* }
                for id in "${CONTAINERS[@]}" $("$rt" --root "$root" list -q 2>/dev/null); do
                        "$rt" --root "$root" delete --force "$id" >/dev/null 2>&1
                done
        done
        # dry-run's watches of this test's containers, when a plain runc
        # delete above did not take them
        rm -f /run/runc-harden/dry-run/"rh-$TEST_NAME-$$-"*.json 2>/dev/null
        if [ -n "${RH_KEEP:-}" ]; then
                echo "# kept $T"
        else
                remove_tree "$T"
        fi
        if [ -n "$SKIPPED" ]; then
                echo "SKIP: $SKIPPED"
                exit 77
        fi
        if [ "$rc" -ne 0 ]; then
                FAILED=$((FAILED + 1))
                echo "FAIL: ${CURRENT_TEST:-$TEST_NAME}: aborted (exit status $rc)"
        fi
        # CI shows only the tail of a long log: repeat every failure there.
        if [ -n "$FAILURES" ]; then
                echo "# the failures again:"
                printf '%s' "$FAILURES"
        fi
        echo "$PASSED passed, $FAILED failed"
        [ "$FAILED" -eq 0 ] || exit 1
        exit "$rc"
}
# remove_tree DIR: a test's scratch directory, never what is mounted in it.
# Tests bind host directories (/etc among them) into their scratch space;
# a plain rm -rf after a failed unmount would delete through the mount.
# So: detach every mount at or below DIR, deepest first, then remove only
# what is on DIR's own file system.
remove_tree() {
        local dir=$1 m
        [ -d "$dir" ] || return 0
        while read -r m; do
                umount -l "$m" 2>/dev/null
        done < <(awk -v d="$dir" '{ p = $5; gsub(/\\040/, " ", p)
                if (p == d || index(p, d "/") == 1) print length(p) "\t" p }' /proc/self/mountinfo |
                sort -rn | cut -f2-)
        rm -rf --one-file-system "$dir"
}
trap cleanup EXIT
trap 'echo "# ${CURRENT_TEST:-$TEST_NAME}: command failed (status $?) at ${BASH_SOURCE[0]}:$LINENO: $BASH_COMMAND" >&2' ERR

# ---------------------------------------------------------------- commands

# runc-harden with the test's policy (RH_POLICY; empty for none) and state dir.
rh() {
        timeout -k 5 60 "$RUNC_HARDEN" ${RH_POLICY:+--harden-policy "$RH_POLICY"} --root "$STATE" "$@"
}

# Plain runc on the same state dir.
runc_() {
        timeout -k 5 60 "$REAL_RUNC" --root "$STATE" "$@"
}

# runc-harden's own commands (lint, policy): no runc flags before them.
rh_own() {
        timeout -k 5 60 "$RUNC_HARDEN" "$@"
}

# capture CMD...: runs CMD with stdout and stderr in files (a container
# started by create keeps them open, so no pipe is waited on); sets $out,
# $err and $rc, and never fails.
capture() {
        rc=0
        "$@" >"$T/capture.out" 2>"$T/capture.err" || rc=$?
        out=$(cat "$T/capture.out")
        err=$(cat "$T/capture.err")
}

# new_id VAR: a container id unique to this test run, registered for cleanup.
new_id() {
        ID_SEQ=$((ID_SEQ + 1))
        local new="rh-$TEST_NAME-$$-$ID_SEQ"
        CONTAINERS+=("$new")
        printf -v "$1" '%s' "$new"
}

# container_status ID: runc's status, or "absent".
container_status() {
        local s
        s=$("$REAL_RUNC" --root "$STATE" state "$1" 2>/dev/null | jq -r .status) || s=absent
        echo "${s:-absent}"
}

# crun_prepare_host: crun 1.8 on cgroup v1 joins every controller the
# kernel has, hugetlb included, and fails every create on a host that has
# not mounted that hierarchy: mount it once (the scripts run in parallel,
# so under a lock; a directory someone else filled is left alone).
crun_prepare_host() {
        [ ! -f /sys/fs/cgroup/cgroup.controllers ] || return 0 # cgroup v2
        grep -qw hugetlb /proc/cgroups || return 0
        (
                flock 9
                mountpoint -q /sys/fs/cgroup/hugetlb && exit 0
                mkdir -p /sys/fs/cgroup/hugetlb
                [ -n "$(ls -A /sys/fs/cgroup/hugetlb)" ] || mount -t cgroup -o hugetlb cgroup /sys/fs/cgroup/hugetlb
        ) 9>/run/runc-harden-tests-hugetlb.lock
}

# crun on the script's own state directory ($CRUN, $CRUN_STATE).
crun_() {
        timeout -k 5 60 "$CRUN" --root "$CRUN_STATE" "$@"
}

# crun_status ID: the container's status as crun tells it, or absent.
crun_status() {
        local s
        s=$(crun_ state "$1" 2>/dev/null | jq -r .status) || s=absent
        echo "${s:-absent}"
}

# alive PID: yes while the process exists and is not a zombie (a killed
# init process waits there for its new parent to reap it).
alive() {
        local state
        state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || state=
        [ -n "$state" ] && [ "$state" != Z ] && echo yes || echo no
}

# wait_for COMMAND...: until COMMAND succeeds, up to 60 s. The suite runs
# its scripts in parallel on small CI machines: a process that starts in
# 0.1 s alone may take seconds there.
wait_for() {
        local _
        for _ in $(seq 600); do
                "$@" && return 0
                sleep 0.1
        done
        return 1
}

# wait_status ID STATUS: up to 60 s.
wait_status() {
        local _
        for _ in $(seq 600); do
                [ "$(container_status "$1")" = "$2" ] && return 0
                sleep 0.1
        done
        return 1
}

# ---------------------------------------------------------------- bundles

# make_bundle DIR [ARG...]: a bundle whose root file system is busybox-static
# and whose config.json comes from `runc spec` (not a terminal), running ARGs
# (default: sleep 1000). `runc spec` already makes the root read-only, sets
# noNewPrivileges and gives all five namespaces: it passes the foundation.
make_bundle() {
        local b=$1 a
        shift
        [ $# -gt 0 ] || set -- sleep 1000
        mkdir -p "$b/rootfs/bin"
        for a in proc sys dev tmp etc; do mkdir -p "$b/rootfs/$a"; done
        cp /bin/busybox "$b/rootfs/bin/busybox"
        for a in sh ls cat echo sleep touch grep mount id true false head wc ps; do
                ln -s busybox "$b/rootfs/bin/$a"
        done
        echo 'root:x:0:0:root:/:/bin/sh' >"$b/rootfs/etc/passwd"
        echo 'root:x:0:' >"$b/rootfs/etc/group"
        (cd "$b" && "$REAL_RUNC" spec)
        spec_set "$b" '.process.terminal = false | .process.args = $a' --argjson a "$(json_array "$@")"
}

# json_array WORD...: the words as a JSON array of strings (jq's --args
# would read words such as -c as its own options).
json_array() {
        local a
        for a in "$@"; do
                jq -n --arg a "$a" '$a'
        done | jq -sc .
}

# spec_set DIR FILTER [JQ ARGS...]: edits DIR/config.json with jq.
spec_set() {
        local b=$1 filter=$2
        shift 2
        jq "$filter" "$b/config.json" "$@" >"$b/config.json.new"
        mv "$b/config.json.new" "$b/config.json"
}

# spec_get DIR FILTER: prints a value of DIR/config.json (compact JSON).
spec_get() {
        jq -c "$2" "$1/config.json"
}

# add_bind DIR SOURCE DESTINATION: appends a bind mount.
add_bind() {
        spec_set "$1" '.mounts += [{"destination": $d, "type": "bind", "source": $s, "options": ["rbind", "rprivate"]}]' \
                --arg s "$2" --arg d "$3"
}

# prepared_runtime FILE SCRIPT [RUNTIME]: writes FILE, a runtime that is
# RUNTIME (default: runc) except that for create it first runs the shell
# SCRIPT, after runc-harden has judged the spec: what a test does there
# (edit config.json, bind something over a bind source) is what the spec
# layer could not see. SCRIPT runs in a mount namespace of runc's own, so a
# mount it makes is gone with that namespace and no cleanup (rm -rf of the
# test's directory) can ever reach through it.
prepared_runtime() {
        local rt=${3:-$REAL_RUNC}
        # engines run runtimes with a PATH of their own
        printf 'PATH=/usr/sbin:/usr/bin:/sbin:/bin\n%s\n' "$2" >"$1.pre"
        printf '%s\n' '#!/bin/sh' \
                'case " $* " in *" create "*)' \
                "        exec $(command -v unshare) -m --propagation private /bin/sh -c '. \"\$0\" && exec \"\$@\"' '$1.pre' '$rt' \"\$@\" ;;" \
                'esac' \
                "exec '$rt' \"\$@\"" >"$1"
        chmod +x "$1"
}

# aliasing_runtime FILE SOURCE ALIAS [RUNTIME]: a prepared runtime that binds
# SOURCE over ALIAS (a bind source of the spec) after the judgement.
aliasing_runtime() {
        prepared_runtime "$1" "mount --bind '$2' '$3'" "${4:-$REAL_RUNC}"
}

sha() {
        sha256sum "$1" | cut -d' ' -f1
}

# write_foundation_policy FILE: the built-in policy with every rule outside
# the foundation switched off, and the audit log in the test's temp dir.
write_foundation_policy() {
        "$RUNC_HARDEN" policy show --level baseline |
                jq --argjson keep "$FOUNDATION_RULES" --arg audit "$T/audit.log" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if (.key | IN($keep[])) then . else .value.action = "off" end)' >"$1"
}

RH_POLICY=$T/policy.json
write_foundation_policy "$RH_POLICY"

# ---------------------------------------------------------------- assertions

pass() {
        PASSED=$((PASSED + 1))
        echo "ok: ${CURRENT_TEST:+$CURRENT_TEST: }$1"
}

fail() {
        FAILED=$((FAILED + 1))
        local msg line
        msg="FAIL: ${CURRENT_TEST:+$CURRENT_TEST: }$1"$'\n'
        shift
        for line in "$@"; do
                msg+=$(printf '%s\n' "$line" | sed 's/^/  /')$'\n'
        done
        printf '%s' "$msg"
        FAILURES+=$msg
}

indent() {
        sed 's/^/  | /'
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
        if [ "$1" == "$2" ]; then
                pass "$3"
        else
                fail "$3" "expected:" "$(printf '%s\n' "$1" | indent)" "got:" "$(printf '%s\n' "$2" | indent)"
        fi
}

# assert_ne UNEXPECTED ACTUAL WHAT
assert_ne() {
        if [ "$1" != "$2" ]; then
                pass "$3"
        else
                fail "$3" "expected anything but:" "$(printf '%s\n' "$1" | indent)"
        fi
}

# assert_contains HAYSTACK NEEDLE WHAT
assert_contains() {
        if [[ "$1" == *"$2"* ]]; then
                pass "$3"
        else
                fail "$3" "expected to contain: $2" "got:" "$(printf '%s\n' "$1" | indent)"
        fi
}

# audit_log_of_policy: the audit log the test's policy (RH_POLICY) writes.
audit_log_of_policy() {
        local p
        if [ -n "${RH_POLICY:-}" ]; then
                p=$(jq -r '.["audit-log"] // empty' "$RH_POLICY")
        fi
        echo "${p:-/var/log/runc-harden/audit.log}"
}

# without_details LOG: LOG with the "(details: ..., or the audit log FILE)"
# of each one-line summary removed: the file's path may hold any word.
without_details() {
        sed 's/ (details: [^)]*)//' <<<"$1"
}

# assert_finding LOG WHAT RULE POINTER [TEXT] DESCRIPTION: a decision
# logged its findings the way runc-harden logs them: one line in the
# engine's log (LOG: the command's stderr, or the --log file's messages)
# names RULE after WHAT ("fixed by policy", "would fix", "would deny",
# "warning from policy", "exempt from policy"), and the audit log's last
# record has the finding itself at POINTER (a prefix), its message
# containing TEXT.
assert_finding() {
        local log=$1 what=$2 rule=$3 ptr=$4 text desc audit action exempted line
        if [ $# -ge 6 ]; then
                text=$5
                desc=$6
        else
                text=
                desc=$5
        fi
        case $what in
        "fixed by policy" | "would fix") action=fix exempted=false ;;
        "would deny") action=deny exempted=false ;;
        "warning from policy") action=warn exempted=false ;;
        "exempt from policy") action= exempted=true ;;
        *)
                fail "$desc" "assert_finding: unknown kind $what"
                return
                ;;
        esac
        line=$(grep -o "runc-harden: .*$what: [^;(]*" <<<"$log" | head -1)
        if [[ ", ${line#*"$what: "}, " != *", $rule, "* && ", ${line#*"$what: "}" != *", $rule "* ]]; then
                fail "$desc" "expected a line naming $rule after \"$what:\"" "got:" "$(printf '%s\n' "$log" | indent)"
                return
        fi
        audit=$(audit_log_of_policy)
        if tail -1 "$audit" | jq -e --arg r "$rule" --arg a "$action" --arg p "$ptr" --arg t "$text" \
                --argjson x "$exempted" '.findings | any(.rule == $r and ($a == "" or .action == $a) and
                        (.exempted // false) == $x and (.pointer | startswith($p)) and (.message | contains($t)))' \
                >/dev/null; then
                pass "$desc"
        else
                fail "$desc" "expected the audit record to have $rule ($what) at $ptr${text:+ saying \"$text\"}" \
                        "got:" "$(tail -1 "$audit" | jq -c '.findings[]? | {rule, action, exempted, pointer}' | indent)"
        fi
}

# assert_not_contains HAYSTACK NEEDLE WHAT
assert_not_contains() {
        if [[ "$1" != *"$2"* ]]; then
                pass "$3"
        else
                fail "$3" "expected not to contain: $2" "got:" "$(printf '%s\n' "$1" | indent)"
        fi
}

# assert_match HAYSTACK ERE WHAT
assert_match() {
        if [[ "$1" =~ $2 ]]; then
                pass "$3"
        else
                fail "$3" "expected to match: $2" "got:" "$(printf '%s\n' "$1" | indent)"
        fi
}

# assert_ok WHAT CMD...: CMD exits 0 ($out, $err, $rc set as by capture).
assert_ok() {
        local what=$1
        shift
        capture "$@"
        if [ "$rc" -eq 0 ]; then
                pass "$what"
        else
                fail "$what" "expected exit status 0, got $rc from: $*" "stdout:" "$(printf '%s\n' "$out" | indent)" \
                        "stderr:" "$(printf '%s\n' "$err" | indent)"
        fi
}

# assert_fails WHAT CMD...: CMD exits non-zero ($out, $err, $rc set).
assert_fails() {
        local what=$1
        shift
        capture "$@"
        if [ "$rc" -ne 0 ]; then
                pass "$what"
        else
                fail "$what" "expected a non-zero exit status from: $*" "stdout:" "$(printf '%s\n' "$out" | indent)" \
                        "stderr:" "$(printf '%s\n' "$err" | indent)"
        fi
}

# assert_status EXPECTED WHAT CMD...: CMD exits with EXPECTED.
assert_status() {
        local want=$1 what=$2
        shift 2
        capture "$@"
        if [ "$rc" -eq "$want" ]; then
                pass "$what"
        else
                fail "$what" "expected exit status $want, got $rc from: $*" "stdout:" "$(printf '%s\n' "$out" | indent)" \
                        "stderr:" "$(printf '%s\n' "$err" | indent)"
        fi
}

# assert_same_file EXPECTED_FILE ACTUAL_FILE WHAT: byte for byte.
assert_same_file() {
        if cmp -s "$1" "$2"; then
                pass "$3"
        else
                fail "$3" "differs from the expected ($1 vs $2):" "$(diff -u "$1" "$2" | head -40 | indent)"
        fi
}

# same_as_runc WHAT ARGS...: `rh ARGS` and `runc_ ARGS` exit alike, with
# byte-identical stdout and the same stderr once runc's timestamps are
# taken out.
same_as_runc() {
        local what=$1 a=0 b=0
        shift
        rh "$@" >"$T/rh.out" 2>"$T/rh.err" || a=$?
        runc_ "$@" >"$T/runc.out" 2>"$T/runc.err" || b=$?
        assert_eq "$b" "$a" "$what: exit status is runc's"
        assert_same_file "$T/runc.out" "$T/rh.out" "$what: stdout is runc's, byte for byte"
        sed -i 's/time="[^"]*"//' "$T/rh.err" "$T/runc.err"
        assert_same_file "$T/runc.err" "$T/rh.err" "$what: stderr is runc's"
}

# skip_all REASON: the whole script is skipped (meson shows SKIP).
skip_all() {
        SKIPPED=$1
        exit 77
}

# ---------------------------------------------------------------- runner

# run_tests: every test_* function of the script, each in a fresh directory
# $TD under $T and with the policy RH_POLICY named when run_tests was called
# (the foundation's unless the script chose another).
run_tests() {
        local t policy=$RH_POLICY tests
        # Without a single test the script would report "0 passed" as a
        # success (it did once, when a broken host had no awk).
        tests=$(declare -F | awk '$3 ~ /^test_/ {print $3}')
        if [ -z "$tests" ]; then
                echo "FAIL: $TEST_NAME: no test_* function found"
                FAILED=$((FAILED + 1))
                return 0
        fi
        for t in $tests; do
                CURRENT_TEST=$t
                TD=$T/$t
                RH_POLICY=$policy
                mkdir -p "$TD"
                echo "# $t"
                "$t"
        done
        CURRENT_TEST=
}
