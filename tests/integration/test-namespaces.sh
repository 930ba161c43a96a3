#!/bin/bash
# Namespaces on the real runc: a relative namespace path is refused (runc
# opens it from the container's root file system, where it can name the
# host's namespace while the bundle and runc-harden's working directory
# name another), and so is one that depends on the process that opens it
# (/proc/self/cwd, /proc/thread-self, /dev/fd, /proc/<pid>/root); a joined
# user namespace is judged by its own maps; root-user resolves
# additionalGids as runc does and counts capabilities kept across execve; a
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
        for _ in $(seq 600); do
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
        "$RUNC_HARDEN" policy show --level baseline |
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

# runc-harden in DIR (as containerd's shim runs the runtime in the bundle
# directory): runc_in DIR ARGS... / rh_in DIR ARGS...
runc_in() {
        local d=$1
        shift
        capture bash -c 'cd "$1" && shift && "$@"' _ "$d" timeout -k 5 60 "$REAL_RUNC" --root "$STATE" "$@"
}
rh_in() {
        local d=$1
        shift
        capture bash -c 'cd "$1" && shift && "$@"' _ "$d" timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" \
                --root "$STATE" "$@"
}

test_a_path_through_proc_self_cwd_is_refused_where_runc_would_reach_the_host() {
        local id other p
        new_id id
        standin other -n
        make_bundle "$TD/b" sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc'
        # From the bundle directory, /proc/self/cwd/rootfs/ns-net is a plain
        # file of the image; runc init opens it from the root file system,
        # where rootfs/ns-net is the image's link to its own namespace.
        mkdir -p "$TD/b/rootfs/rootfs"
        for p in net ipc; do
                echo harmless >"$TD/b/rootfs/ns-$p"
                ln -s "/proc/self/ns/$p" "$TD/b/rootfs/rootfs/ns-$p"
        done
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/cwd/rootfs/ns-net"
                elif .type == "ipc" then .path = "/proc/self/cwd/rootfs/ns-ipc" else . end)'
        cp -r "$TD/b" "$TD/control"
        runc_in "$TD/control" run --bundle "$TD/control" "$id-control"
        assert_eq 0 "$rc" "plain runc runs the spec from its bundle directory"
        assert_eq "$HOST_NET
$(readlink /proc/self/ns/ipc)" "$out" "under plain runc the container is in the host's network and IPC namespaces"
        rh_in "$TD/b" run --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "runc-harden refuses it (exit 1)"
        assert_contains "$err" "host-namespace: /linux/namespaces/1/path: the network namespace path /proc/self/cwd/rootfs/ns-net goes through /proc other than as /proc/<pid>/ns/<type>" \
                "the message names the path and why"
        assert_contains "$err" "host-namespace: /linux/namespaces/2/path: the ipc namespace path" "and the IPC one"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # Other process-relative spellings, even of a harmless namespace.
        for p in "/proc/thread-self/cwd/rootfs/ns-net" "/dev/fd/../cwd/rootfs/ns-net" \
                "/proc/$$/root/proc/$other/ns/net" "/proc/self/ns/net" "/proc/self/../$other/ns/net"; do
                set_netns "$TD/b" "$p"
                spec_set "$TD/b" '.linux.namespaces |= map(if .type == "ipc" then del(.path) else . end)'
                rh_in "$TD/b" run --bundle "$TD/b" "$id"
                assert_eq 1 "$rc" "$p is refused"
                assert_contains "$err" "namespace path $p goes through /proc other than as" "$p: saying why"
        done
        assert_eq absent "$(container_status "$id")" "runc made no container"
}

test_engine_shaped_paths_still_run() {
        local id other
        new_id id
        standin other -n
        # podman's /run/netns/<name>, the CRI plugin's /var/run/netns/<name>
        # with /var/run a link to /run: a bind-mounted nsfs file that no
        # process holds, reached through an ordinary symbolic link.
        mkdir -p "$TD/run/netns" "$TD/var"
        ln -s ../run "$TD/var/run"
        touch "$TD/run/netns/cni-1"
        mount --bind "/proc/$other/ns/net" "$TD/run/netns/cni-1"
        make_bundle "$TD/b" sh -c 'readlink /proc/self/ns/net'
        set_netns "$TD/b" "$TD/var/run/netns/cni-1"
        assert_ok "a bind-mounted namespace file runs" rh run --bundle "$TD/b" "$id"
        assert_eq "$(readlink "/proc/$other/ns/net")" "$out" "in that namespace"
        umount "$TD/run/netns/cni-1"
        # Docker's --net=container: and a pod's /proc/<pid>/ns/<type>
        new_id id
        set_netns "$TD/b" "/proc/$other/ns/net"
        assert_ok "a /proc/<pid>/ns path runs" rh run --bundle "$TD/b" "$id"
        assert_eq "$(readlink "/proc/$other/ns/net")" "$out" "in the stand-in's namespace"
        assert_ne "$HOST_NET" "$out" "not the host's"
}

# A FUSE server sees which process asks and may answer each one otherwise:
# a path through FUSE could name one file for runc-harden and another for
# runc init. It is refused, even when it names a harmless namespace.
test_a_path_through_fuse_is_refused() {
        local id other
        command -v fuse-overlayfs >/dev/null || {
                echo "# fuse-overlayfs is not installed: the FUSE case is not run"
                return 0
        }
        new_id id
        standin other -n
        mkdir -p "$TD/lower/netns" "$TD/upper" "$TD/work" "$TD/fuse"
        touch "$TD/lower/netns/n"
        fuse-overlayfs -o "lowerdir=$TD/lower,upperdir=$TD/upper,workdir=$TD/work" "$TD/fuse"
        assert_eq fuse.fuse-overlayfs "$(findmnt -no FSTYPE "$TD/fuse")" "the directory is a FUSE mount"
        mount --bind "/proc/$other/ns/net" "$TD/fuse/netns/n"
        make_bundle "$TD/b" sh -c 'readlink /proc/self/ns/net'
        set_netns "$TD/b" "$TD/fuse/netns/n"
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_eq "$(readlink "/proc/$other/ns/net")" "$out" "in the namespace bound there, for runc"
        assert_status 1 "runc-harden refuses it" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "namespace path $TD/fuse/netns/n goes through a FUSE file system" "saying why"
        umount "$TD/fuse/netns/n"
        fusermount -u "$TD/fuse"
}

# userns_holder VAR MAP: a stand-in in a user namespace of its own whose
# uid_map and gid_map are MAP ("" leaves them unwritten).
userns_holder() {
        local -n _h=$1
        standin _h -U
        if [ -n "$2" ]; then
                echo "$2" >"/proc/$_h/uid_map"
                echo "$2" >"/proc/$_h/gid_map"
        fi
}

test_a_joined_user_namespace_is_judged_by_its_own_maps() {
        local id h probe='cat /proc/self/uid_map; readlink /proc/self/ns/user; id -u'
        new_id id
        write_userns_policy "$TD/policy.json"
        RH_POLICY=$TD/policy.json
        chmod 755 "$T" "$TD"
        # The spec's mappings say 100000; runc 1.1 wants them, but applies
        # the joined namespace's own, which map host root.
        userns_holder h "0 0 65536"
        userns_bundle "$TD/b" 100000 sh -c "$probe"
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "user" then .path = $p else . end)' --arg p "/proc/$h/ns/user"
        assert_eq "\"/proc/$h/ns/user\"" "$(spec_get "$TD/b" '.linux.namespaces[] | select(.type == "user") | .path')" \
                "the spec joins the holder's user namespace"
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "^ +0 +0 +65536" "under plain runc container root is host uid 0, whatever the spec maps"
        assert_contains "$out" "$(readlink "/proc/$h/ns/user")" "in the joined namespace"
        assert_status 1 "runc-harden refuses it" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "host-namespace: /linux/namespaces/5/path: joins a user namespace (/proc/$h/ns/user) whose uid_map maps host uid 0" \
                "host-namespace says what the maps are"
        assert_contains "$err" "root-user: /process/user/uid: runs as root (uid 0)" "and root-user that root is root"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # Maps not written yet: whoever holds it may still write host root.
        userns_holder h ""
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "user" then .path = $p else . end)' --arg p "/proc/$h/ns/user"
        assert_status 1 "a user namespace without maps is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "that has no uid_map yet" "saying so"
        # Mapped elsewhere, it runs in that namespace.
        userns_holder h "0 100000 65536"
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "user" then .path = $p else . end)' --arg p "/proc/$h/ns/user"
        assert_ok "a user namespace mapped to 100000 runs" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "^ +0 +100000 +65536" "container root is host uid 100000"
        assert_contains "$out" "$(readlink "/proc/$h/ns/user")" "in the holder's namespace"
}

test_an_image_group_named_like_an_id_is_group_root() {
        local id
        new_id id
        write_userns_policy "$TD/policy.json"
        jq '.rules["host-namespace"].params.required -= ["user"]' "$TD/policy.json" >"$TD/p2.json"
        RH_POLICY=$TD/p2.json
        make_bundle "$TD/b" sh -c 'grep ^Groups: /proc/self/status; id'
        # runc matches additionalGids against group names too: "1000" is a
        # group of the image whose gid is 0.
        printf 'root:x:0:0:root:/:/bin/sh\nu:x:1000:1000::/:/bin/sh\n' >"$TD/b/rootfs/etc/passwd"
        printf '1000:x:0:\nroot:x:0:\n' >"$TD/b/rootfs/etc/group"
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [1000]}'
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" $'Groups:\t0 ' "under plain runc the process holds group 0"
        assert_status 1 "runc-harden refuses it (root-user set to deny)" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "root-user: /process/user/additionalGids/0: runs with group root (gid 0): runc resolves 1000 through the image's /etc/group" \
                "the message names the group and the file"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # The same through a bind of a host file at /etc/group (podman's
        # --read-only way), over a harmless image file.
        printf 'users:x:1000:\n' >"$TD/b/rootfs/etc/group"
        printf '1000:x:0:\n' >"$TD/group"
        add_bind "$TD/b" "$TD/group" /etc/group
        cp -r "$TD/b" "$TD/control2"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control2" "$id-control2"
        assert_match "$out" $'Groups:\t0 ' "under plain runc the bound file gives group 0"
        assert_status 1 "runc-harden refuses it" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "runc resolves 1000 through $TD/group (bound at /etc/group)" "naming the bound file"
        # A harmless file runs, with the group it names.
        printf 'users:x:1000:\n' >"$TD/group"
        assert_ok "with a harmless group file it runs" rh run --bundle "$TD/b" "$id"
        assert_match "$out" $'Groups:\t1000 ' "holding group 1000 only"
}

# A static program that makes itself uid 0 and gid 0 if it can.
BECOMEROOT_SRC='#include <grp.h>
#include <stdio.h>
#include <unistd.h>
int main(void)
{
        gid_t none[1] = {0};
        int g = setgid(0), s = setgroups(0, none), u = setuid(0);
        printf("setgid=%d setgroups=%d setuid=%d uid=%d gid=%d\n", g, s, u, (int)getuid(), (int)getgid());
        return 0;
}
'

test_ambient_setuid_makes_a_user_root() {
        local id
        new_id id
        write_userns_policy "$TD/policy.json"
        jq '.rules["host-namespace"].params.required -= ["user"]' "$TD/policy.json" >"$TD/p2.json"
        RH_POLICY=$TD/p2.json
        printf '%s' "$BECOMEROOT_SRC" >"$T/becomeroot.c"
        "${CC:-cc}" -static -O1 -o "$T/becomeroot" "$T/becomeroot.c"
        make_bundle "$TD/b" sh -c 'grep ^CapAmb: /proc/self/status; /bin/becomeroot'
        cp "$T/becomeroot" "$TD/b/rootfs/bin/becomeroot"
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000}
                | .process.capabilities |= (.bounding += ["CAP_SETUID", "CAP_SETGID"]
                        | .permitted += ["CAP_SETUID", "CAP_SETGID"] | .inheritable = ["CAP_SETUID", "CAP_SETGID"]
                        | .ambient = ["CAP_SETUID", "CAP_SETGID"])'
        assert_eq true "$(spec_get "$TD/b" .process.noNewPrivileges)" "no_new_privs is set (it does not help)"
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_contains "$out" "setgid=0 setgroups=0 setuid=0 uid=0 gid=0" "under plain runc uid 1000 makes itself root"
        assert_status 1 "runc-harden refuses it (root-user set to deny)" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "root-user: /process/capabilities/ambient: does not run as root but keeps CAP_SETUID and CAP_SETGID across execve" \
                "the message names the set and the capabilities"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        # Docker's way for --user 1000: the bounding set only, which does
        # not survive execve.
        spec_set "$TD/b" '.process.capabilities |= (.permitted -= ["CAP_SETUID", "CAP_SETGID"]
                | .effective -= ["CAP_SETUID", "CAP_SETGID"] | del(.inheritable) | del(.ambient))'
        assert_ok "with CAP_SETUID in the bounding set only it runs" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "setgid=-1 setgroups=-1 setuid=-1 uid=1000 gid=1000" "and cannot become root"
}

run_tests
