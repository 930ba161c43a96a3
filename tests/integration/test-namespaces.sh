#!/bin/bash
# Namespaces on the real runc: a relative namespace path is refused (runc
# opens it from the container's root file system, where it can name the
# host's namespace while the bundle and runc-harden's working directory
# name another); a
# user namespace that maps host root is the host's; a namespace that may not
# be read is refused as what happened; root-user counts group root. The
# test shell stands in for the host (/proc/1/ns is unreadable here):
# runc-harden takes its own namespaces, which are the shell's, for the
# host's. Effects are read inside: namespace inodes, uid_map, id.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

HOST_NET=$(readlink /proc/self/ns/net)
HOST_USER=$(readlink /proc/self/ns/user)
STANDINS=()

# Keeps the exit status for lib.sh's cleanup.
cleanup_standins() {
        local st=$? p
        for p in "${STANDINS[@]}"; do
                kill "$p" 2>/dev/null || true
        done
        return "$st"
}
trap 'cleanup_standins; cleanup' EXIT

# standin VAR [UNSHARE FLAGS...]: a sleeping process of this test, in new
# namespaces if flags are given; its pid in VAR.
standin() {
        local -n _pid=$1
        shift
        if [ $# -gt 0 ]; then
                unshare "$@" sleep 1000 &
        else
                sleep 1000 &
        fi
        _pid=$!
        STANDINS+=("$_pid")
        # unshare execs sleep once the namespaces are made
        for _ in $(seq 50); do
                [ "$(readlink "/proc/$_pid/exe" 2>/dev/null)" = "$(readlink -f "$(command -v sleep)")" ] && break
                sleep 0.1
        done
}

# set_netns DIR PATH: the network namespace entry of DIR's spec joins PATH.
set_netns() {
        spec_set "$1" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' --arg p "$2"
}

test_a_relative_namespace_path_is_refused_where_runc_would_reach_the_host() {
        local id other
        new_id id
        standin other -n
        make_bundle "$TD/b" sh -c "readlink /proc/self/ns/net"
        # runc checks the path exists from the bundle directory, then opens
        # it from the container's root file system (its init's working
        # directory): from there "nsx" is the host's network namespace;
        # from the bundle and from the directory runc-harden runs in,
        # another one.
        ln -s "/proc/$$/ns/net" "$TD/b/rootfs/nsx"
        ln -s "/proc/$other/ns/net" "$TD/b/nsx"
        ln -s "/proc/$other/ns/net" "$TD/nsx"
        set_netns "$TD/b" nsx
        cp -r "$TD/b" "$TD/control"
        capture bash -c 'cd "$1" && shift && "$@"' _ "$TD" timeout -k 5 60 "$REAL_RUNC" --root "$STATE" run \
                --bundle "$TD/control" "$id-control"
        assert_eq 0 "$rc" "plain runc runs the spec from $TD"
        assert_eq "$HOST_NET" "$out" "under plain runc the container is in the host's network namespace"
        capture bash -c 'cd "$1" && shift && "$@"' _ "$TD" "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                --root "$STATE" run --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "runc-harden refuses it (exit 1)"
        assert_contains "$err" "spec-invalid: /linux/namespaces/1/path: is not an absolute path" \
                "the message names the path and why"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # The same namespace by an absolute path runs, in that namespace.
        set_netns "$TD/b" "/proc/$other/ns/net"
        assert_ok "run with the absolute path" rh run --bundle "$TD/b" "$id"
        assert_eq "$(readlink "/proc/$other/ns/net")" "$out" "the container is in the stand-in's network namespace"
        assert_ne "$HOST_NET" "$out" "which is not the host's"
}

# write_userns_policy FILE: the foundation's, with user namespaces required
# and root-user denying (so that its verdict shows).
write_userns_policy() {
        "$RUNC_HARDEN" policy show |
                jq --argjson keep "$FOUNDATION_RULES" --arg audit "$T/audit.log" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if (.key | IN($keep[] , "root-user")) then . else .value.action = "off" end)
                        | .rules["host-namespace"].params.required += ["user"]
                        | .rules["root-user"].action = "deny"' >"$1"
}

# userns_bundle DIR HOSTID ARG...: a spec with a user namespace mapping
# container ids 0-65535 to HOSTID and up.
userns_bundle() {
        local b=$1 h=$2
        shift 2
        make_bundle "$b" "$@"
        spec_set "$b" '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": $h, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": $h, "size": 65536}]' --argjson h "$h"
}

test_a_user_namespace_that_maps_host_root_is_the_hosts() {
        local id probe='cat /proc/self/uid_map; readlink /proc/self/ns/user'
        new_id id
        write_userns_policy "$TD/policy.json"
        RH_POLICY=$TD/policy.json
        # Container root (host uid 100000) must reach the root file system.
        chmod 755 "$T" "$TD"
        userns_bundle "$TD/b" 0 sh -c "$probe"
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the identity-mapped spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "^ +0 +0 +65536" "under plain runc container root is host uid 0"
        assert_status 1 "runc-harden refuses it" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "host-namespace: /linux/uidMappings/0/hostID: maps host uid 0" \
                "the message points at the mapping"
        assert_contains "$err" "in effect the host's user namespace" "and says what it amounts to"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        userns_bundle "$TD/c" 100000 sh -c "$probe; id -u; id -g"
        assert_ok "a spec mapped to 100000 runs" rh run --bundle "$TD/c" "$id"
        assert_match "$out" "^ +0 +100000 +65536" "container root is host uid 100000"
        assert_not_contains "$out" "$HOST_USER" "in a user namespace of its own"
        assert_contains "$out" $'\n0\n0' "as root and group root inside, which root-user allows there"
}

test_a_namespace_that_may_not_be_read_is_refused_as_permission_denied() {
        local id p
        new_id id
        # The stand-in keeps CAP_SYS_PTRACE; runc-harden runs without it,
        # so the stand-in's namespaces may not be read (ptrace access).
        standin p
        make_bundle "$TD/b" true
        set_netns "$TD/b" "/proc/$p/ns/net"
        assert_status 1 "create refuses it" setpriv --bounding-set -sys_ptrace \
                "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" run --bundle "$TD/b" "$id"
        assert_contains "$err" "host-namespace: /linux/namespaces/1/path: the network namespace at /proc/$p/ns/net cannot be examined (Permission denied)" \
                "the message says what happened"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_status 1 "lint denies it too" setpriv --bounding-set -sys_ptrace \
                "$RUNC_HARDEN" lint --policy "$RH_POLICY" "$TD/b"
        assert_contains "$out" "Permission denied" "lint says what happened"
        assert_not_contains "$out" "does not exist" "not that it does not exist"
        # lint of a path that really does not exist here only warns
        set_netns "$TD/b" /run/netns/rh-test-nonexistent
        assert_ok "lint of a missing path passes with a warning" rh_own lint --policy "$RH_POLICY" "$TD/b"
        assert_contains "$out" "does not exist on this host" "saying it does not exist"
}

test_group_root_is_root_user() {
        local id
        new_id id
        write_userns_policy "$TD/policy.json"
        jq '.rules["host-namespace"].params.required -= ["user"]' "$TD/policy.json" >"$TD/p2.json"
        RH_POLICY=$TD/p2.json
        make_bundle "$TD/b" id
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [0]}'
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "groups=.*0\(root\)" "under plain runc the process holds group root"
        assert_status 1 "runc-harden refuses it (root-user set to deny)" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "root-user: /process/user/additionalGids/0: runs with group root (gid 0)" \
                "the message points at the group"
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [1000]}'
        assert_ok "without group root it runs" rh run --bundle "$TD/b" "$id"
        assert_eq "uid=1000 gid=1000 groups=1000" "$out" "as uid and gid 1000 only"
}

run_tests
