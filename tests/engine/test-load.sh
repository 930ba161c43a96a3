#!/bin/bash
# Many containers at once through dockerd with runc-harden as a named
# runtime: concurrent starts all pass the policy and end, concurrent unsafe
# ones are all refused with the policy's message, and nothing is left over.
source "$(dirname "$0")/lib.sh"

require_engines
docker_image
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}}')"

ALLOWED_RUNS=50
DENIED_RUNS=10

# in_parallel N DIR ARGS...: N runs of `drun ARGS` at once, in the
# background; run I leaves its exit status in DIR/I.rc, its stderr in DIR/I.err.
in_parallel() {
        local n=$1 dir=$2 i
        shift 2
        mkdir -p "$dir"
        for i in $(seq "$n"); do
                (
                        rc=0
                        drun "$@" >"$dir/$i.out" 2>"$dir/$i.err" || rc=$?
                        echo "$rc" >"$dir/$i.rc"
                ) &
        done
        wait
}

# count_rc DIR STATUS: how many runs in DIR exited with STATUS (any non-zero
# status for "fail").
count_rc() {
        local f n=0 s
        for f in "$1"/*.rc; do
                s=$(cat "$f")
                if [ "$2" = fail ]; then
                        [ "$s" -eq 0 ] || n=$((n + 1))
                else
                        [ "$s" -ne "$2" ] || n=$((n + 1))
                fi
        done
        echo "$n"
}

# count_err DIR TEXT: how many runs in DIR have TEXT in their stderr.
count_err() {
        { grep -lF -- "$2" "$1"/*.err 2>/dev/null || true; } | wc -l
}

# count_files GLOB...: how many files the glob matched.
count_files() {
        local f n=0
        for f in "$@"; do
                [ -e "$f" ] && n=$((n + 1))
        done
        echo "$n"
}

# our_containers [LABEL=VALUE]: ids of this test's containers left in dockerd.
our_containers() {
        "$DOCKER" ps -aq --filter "label=rh-engine-test=$ENGINE_TAG" ${1:+--filter "label=$1"}
}

test_fifty_concurrent_hardened_runs_all_exit_zero() {
        local dir=$TD/runs start elapsed
        start=$SECONDS
        in_parallel "$ALLOWED_RUNS" "$dir" --rm --label rh-load=allowed --runtime=hardened "$IMAGE" true
        elapsed=$((SECONDS - start))
        echo "# $ALLOWED_RUNS runs in ${elapsed}s"
        assert_eq "$ALLOWED_RUNS" "$(count_files "$dir"/*.rc)" "every run finished"
        assert_eq "$ALLOWED_RUNS" "$(count_rc "$dir" 0)" "every run exits 0"
        assert_eq 0 "$(count_err "$dir" "denied by policy")" "no run is denied"
        assert_eq "" "$(our_containers rh-load=allowed)" "--rm removed every container"
        assert_ok "the runs' starts are in the audit log" test -s "$T/audit.log"
        assert_eq "$ALLOWED_RUNS" "$(jq -r 'select(.verdict != "deny") | .container' "$T/audit.log" | sort -u | wc -l)" \
                "runc-harden decided on each of the $ALLOWED_RUNS containers"
}

test_ten_concurrent_docker_sock_runs_are_all_refused() {
        local dir=$TD/runs id
        in_parallel "$DENIED_RUNS" "$dir" --label rh-load=denied --runtime=hardened \
                -v /var/run/docker.sock:/s "$IMAGE" true
        assert_eq "$DENIED_RUNS" "$(count_files "$dir"/*.rc)" "every run finished"
        assert_eq "$DENIED_RUNS" "$(count_rc "$dir" fail)" "every run fails"
        assert_eq "$DENIED_RUNS" "$(count_err "$dir" "runc-harden: denied by policy:")" \
                "every run shows the policy's message"
        assert_eq "$DENIED_RUNS" "$(count_err "$dir" "engine-socket: ")" "every message names engine-socket"
        assert_eq "$DENIED_RUNS" \
                "$(jq -r 'select(.verdict == "deny") | select(any(.findings[]; .rule == "engine-socket")) | .container' \
                        "$T/audit.log" | sort -u | wc -l)" \
                "the audit log records the $DENIED_RUNS denials, one per container"
        assert_eq "$DENIED_RUNS" "$(our_containers rh-load=denied | wc -l)" \
                "the refused containers stay created, never started"
        for id in $(our_containers rh-load=denied); do
                docker_ rm -f "$id" >/dev/null
        done
        assert_eq "" "$(our_containers)" "no container of this test is left"
}

run_tests
