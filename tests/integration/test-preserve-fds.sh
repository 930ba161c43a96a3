#!/bin/bash
# --preserve-fds N and LISTEN_FDS: runc hands the container fds 3 .. 3 +
# LISTEN_FDS + N - 1 of its own fd table. An fd there that the caller did
# not open is one runc opened for itself; runc 1.1.5's fd 3 is its O_PATH
# handle on the host's /sys/fs/cgroup, so /proc/self/fd/3/../../.. is the
# host's "/". runc-harden refuses a range that names an fd the caller did
# not pass, and puts /dev/null where the caller left stdio closed.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

CANARY=$T/host-canary
echo "host-canary-$$" >"$CANARY"
# How a container reads the host file through a directory fd of the host's
# cgroup tree (/sys/fs/cgroup: three levels below "/").
READ_CANARY="cat /proc/self/fd/3/../../..$CANARY"

# start_container VAR: a running container.
start_container() {
        local -n _id=$1
        new_id _id
        make_bundle "$TD/b" sleep 1000
        assert_ok "run -d" rh run -d --bundle "$TD/b" "$_id" 3>&- 4>&-
}

test_plain_runc_hands_its_own_fd_to_the_container() {
        local id
        start_container id
        # the attack, without runc-harden: no fd 3 in the caller
        capture runc_ exec --preserve-fds 1 "$id" sh -c "ls -l /proc/self/fd/3; $READ_CANARY" 3>&-
        assert_contains "$out" "/sys/fs/cgroup" "runc 1.1.5 hands the container its own fd on the host's cgroup tree"
        assert_contains "$out" "host-canary-$$" "through which the container reads a host file"
}

test_exec_preserve_fds_without_the_callers_fd_is_refused() {
        local id
        start_container id
        capture rh exec --preserve-fds 1 "$id" sh -c "$READ_CANARY > /dev/leaked; echo x >> /dev/leaked" 3>&-
        assert_eq 1 "$rc" "exec --preserve-fds 1 with no fd 3 is refused"
        assert_contains "$err" "runc-harden: refusing to exec: --preserve-fds 1 would hand the container fd 3," \
                "the message names the flag and the fd"
        assert_not_contains "$out$err" "host-canary" "no host file was read"
        capture runc_ exec "$id" sh -c "test -e /dev/leaked"
        assert_ne 0 "$rc" "the refused process never ran in the container"
        # the caller passes fd 3, not fd 4
        capture rh exec --preserve-fds 2 "$id" true 3<"$CANARY" 4>&-
        assert_eq 1 "$rc" "exec --preserve-fds 2 with only fd 3 is refused"
        assert_contains "$err" "--preserve-fds 2 would hand the container fd 4," "naming fd 4"
}

test_create_and_run_preserve_fds_without_the_callers_fd_are_refused() {
        local id id2
        new_id id
        make_bundle "$TD/b" sh -c "$READ_CANARY"
        capture rh run --preserve-fds 1 --bundle "$TD/b" "$id" 3>&-
        assert_eq 1 "$rc" "run --preserve-fds 1 with no fd 3 is refused"
        assert_contains "$err" "refusing to run: --preserve-fds 1 would hand the container fd 3," "naming the fd"
        assert_not_contains "$out" "host-canary" "the container never read the host file"
        assert_eq absent "$(container_status "$id")" "no container was made"
        new_id id2
        capture rh create --preserve-fds 1 --bundle "$TD/b" "$id2" 3>&-
        assert_eq 1 "$rc" "create --preserve-fds 1 with no fd 3 is refused"
        assert_contains "$err" "refusing to create: --preserve-fds 1" "saying so"
        assert_eq absent "$(container_status "$id2")" "no container was made"
}

test_fds_the_caller_passes_reach_the_container() {
        local id id2
        start_container id
        echo "passed-by-caller" >"$TD/three"
        capture rh exec --preserve-fds 1 "$id" cat /proc/self/fd/3 3<"$TD/three"
        assert_eq 0 "$rc" "exec --preserve-fds 1 with the caller's fd 3 runs"
        assert_eq "passed-by-caller" "$out" "the container reads the caller's fd 3"
        echo "fourth" >"$TD/four"
        new_id id2
        make_bundle "$TD/b2" cat /proc/self/fd/3 /proc/self/fd/4
        capture rh run --preserve-fds 2 --bundle "$TD/b2" "$id2" 3<"$TD/three" 4<"$TD/four"
        assert_eq 0 "$rc" "run --preserve-fds 2 with the caller's fds 3 and 4 runs"
        assert_eq "passed-by-caller"$'\n'"fourth" "$out" "the container's process reads both"
}

test_a_count_runc_and_crun_read_differently_is_refused() {
        local id
        start_container id
        # runc reads Go's base-0 syntax: 0x1 is 1; crun's strtoul reads 0
        capture runc_ exec --preserve-fds 0x1 "$id" cat /proc/self/fd/3 3<"$CANARY"
        assert_contains "$out" "host-canary" "runc reads --preserve-fds 0x1 as 1"
        capture rh exec --preserve-fds 0x1 "$id" cat /proc/self/fd/3 3<"$CANARY"
        assert_eq 1 "$rc" "runc-harden refuses --preserve-fds 0x1"
        assert_contains "$err" "--preserve-fds 0x1 cannot be judged" "as a value it cannot judge"
        capture rh exec --preserve-fds 010 "$id" true 3<"$CANARY"
        assert_eq 1 "$rc" "and 010 (8 to runc, 10 to crun)"
}

test_listen_fds_without_the_callers_fds_is_refused() {
        local id id2
        new_id id
        make_bundle "$TD/b" sh -c "ls -l /proc/self/fd/3; $READ_CANARY"
        # runc run passes LISTEN_FDS' fds when LISTEN_PID is its own pid
        capture sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' sh "$REAL_RUNC" --root "$STATE" run --bundle "$TD/b" \
                "$id" 3>&-
        assert_contains "$out" "/sys/fs/cgroup" "plain runc hands over its own fd for LISTEN_FDS=1"
        assert_contains "$out" "host-canary" "and the container reads a host file through it"
        new_id id2
        capture sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$@"' sh "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                --root "$STATE" run --bundle "$TD/b" "$id2" 3>&-
        assert_eq 1 "$rc" "runc-harden refuses run with LISTEN_FDS=1 and no fd 3"
        assert_contains "$err" "LISTEN_FDS=1 would hand the container fd 3," "naming the variable and the fd"
        assert_not_contains "$out" "host-canary" "the container never read the host file"
        capture env LISTEN_FDS=1 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" exec --preserve-fds 1 \
                "$id" true 3<"$CANARY" 4>&-
        assert_eq 1 "$rc" "LISTEN_FDS' fds come before --preserve-fds' ones"
        assert_contains "$err" "LISTEN_FDS=1 with --preserve-fds 1 would hand the container fd 4," "naming fd 4"
}

test_a_closed_stdin_does_not_become_a_runtime_fd() {
        local id
        start_container id
        runc_ exec -d "$id" sh -c 'ls -l /proc/self/fd/0 > /dev/runc-stdin' 0<&-
        wait_for runc_ exec "$id" sh -c "test -s /dev/runc-stdin"
        capture runc_ exec "$id" cat /dev/runc-stdin
        assert_contains "$out" "/sys/fs/cgroup" "plain runc gives a detached process its own fd as stdin"
        assert_ok "exec -d with stdin closed" rh exec -d "$id" sh -c 'ls -l /proc/self/fd/0 > /dev/rh-stdin' 0<&-
        wait_for runc_ exec "$id" sh -c "test -s /dev/rh-stdin"
        capture runc_ exec "$id" cat /dev/rh-stdin
        assert_contains "$out" "-> /dev/null" "through runc-harden its stdin is /dev/null"
}

test_the_same_check_holds_in_front_of_crun() {
        local id
        [ -x /usr/bin/crun ] || {
                pass "crun is not installed: nothing to check"
                return 0
        }
        crun_prepare_host
        mkdir -p "$T/crun-state"
        EXTRA_ROOTS+=("/usr/bin/crun $T/crun-state")
        new_id id
        make_bundle "$TD/b" sleep 1000
        assert_ok "create through crun" env STATE="$T/crun-state" bash -c \
                'exec "$0" --harden-policy "$1" --harden-runtime /usr/bin/crun --root "$STATE" run -d --bundle "$2" "$3"' \
                "$RUNC_HARDEN" "$RH_POLICY" "$TD/b" "$id"
        capture "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime /usr/bin/crun --root "$T/crun-state" \
                exec --preserve-fds 1 "$id" true 3>&-
        assert_eq 1 "$rc" "exec --preserve-fds 1 with no fd 3 is refused in front of crun too"
        capture "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime /usr/bin/crun --root "$T/crun-state" \
                exec --preserve-fds 1 "$id" cat /proc/self/fd/3 3<"$CANARY"
        assert_eq "host-canary-$$" "$out" "and the caller's fd 3 reaches a crun container"
}

run_tests
