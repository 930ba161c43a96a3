#!/bin/bash
# Host paths judged by what they are, on the real runc: bind mounts made on
# the host (aliases of /etc, a directory holding one), a read-only bind
# whose source has writable mounts below it (fixed with "rro", checked in
# the container's mountinfo and with canaries on the host), overlay mounts
# and an overlay of the host's root as the root file system, sources runc
# takes from the bundle or finds inside the rootfs, a symlink flipped by
# another user while containers start, and paths longer than the kernel
# takes.
#
# Safety: everything this script mounts is in a mount namespace of its own
# (it runs itself again under unshare -m), in a scratch directory $M on a
# tmpfs outside $T. A host directory bound there is first remounted
# read-only, and $M is unmounted (lazily, recursively) before anything is
# removed: rm's --one-file-system does not stop at a bind of the same file
# system, so a bind of /etc below a directory being removed would empty the
# host's /etc.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
if [ -z "${RH_HOSTPATH_NS:-}" ]; then
        export RH_HOSTPATH_NS=1
        exec unshare --mount --propagation private bash "$0" "$@"
fi
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

M=$(mktemp -d /tmp/rh-it-hostpath-mnt.XXXXXX)
mount -t tmpfs -o size=16m hostpath-scratch "$M"
CGROUP_PROBE=rh-hostpath-probe-$$

hostpath_cleanup() {
        local rc=$?
        set +e
        trap - ERR
        umount -R -l "$M" 2>/dev/null
        rmdir "$M" 2>/dev/null
        rmdir "/sys/fs/cgroup/pids/$CGROUP_PROBE" 2>/dev/null
        rm -f /etc/rh-hostpath-flip-canary
        (exit "$rc")
        cleanup
}
trap hostpath_cleanup EXIT

# The built-in policy, without the LSM rules (neither LSM is enabled here).
write_policy() {
        local file=$1 filter=${2:-.}
        shift $(($# < 2 ? $# : 2))
        "$RUNC_HARDEN" policy show --level baseline |
                jq --arg audit "$T/audit.log" "$@" '
                        .["audit-log"] = $audit
                        | .rules.apparmor.action = "off" | .rules.selinux.action = "off"
                        | '"$filter" >"$file"
}
RH_POLICY=$T/hostpath-policy.json
write_policy "$RH_POLICY"

FIRST_ADDED=$(cd "$T" && "$REAL_RUNC" spec && jq '.mounts | length' config.json && rm config.json)

# alias_of DIR NAME: DIR bound at $M/NAME, read-only on the host.
alias_of() {
        mkdir -p "$M/$2"
        mount --bind "$1" "$M/$2"
        mount -o remount,bind,ro "$M/$2"
}

# expect_refused DIR RULE POINTER WHAT: run exits 1, the message names RULE
# at POINTER, and runc never made the container.
expect_refused() {
        local b=$1 rule=$2 pointer=$3 what=$4 id
        new_id id
        assert_status 1 "$what: run exits 1" rh run --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy:" "$what: runc-harden refused it"
        assert_contains "$err" "$rule: $pointer" "$what: the message names $rule at $pointer"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
}

# add_mount DIR JSON: appends a mount object.
add_mount() {
        spec_set "$1" '.mounts += [$m]' --argjson m "$2"
}

# ------------------------------------------------------------- aliases

test_a_bind_alias_of_etc_made_on_the_host_is_refused() {
        alias_of /etc etc-alias
        make_bundle "$TD/b" true
        add_bind "$TD/b" "$M/etc-alias" /x
        expect_refused "$TD/b" sensitive-mount "/mounts/$FIRST_ADDED/source" "a bind of an alias of /etc"
        assert_contains "$err" "the host's /etc (the path is a bind mount of it)" "the message says what it is"
        # a file in it, and a bind of a directory below /etc
        make_bundle "$TD/c" true
        add_bind "$TD/c" "$M/etc-alias/passwd" /x
        expect_refused "$TD/c" sensitive-mount "/mounts/$FIRST_ADDED/source" "a file of the alias"
        alias_of /etc/default default-alias
        make_bundle "$TD/d" true
        add_bind "$TD/d" "$M/default-alias" /x
        expect_refused "$TD/d" sensitive-mount "/mounts/$FIRST_ADDED/source" "an alias of /etc/default"
}

test_a_read_only_bind_of_the_alias_runs_read_only() {
        local id
        alias_of /etc etc-alias
        new_id id
        make_bundle "$TD/b" sh -c 'test -s /x/passwd && echo readable; touch /x/rh-probe 2>&1 || true'
        spec_set "$TD/b" '.mounts += [{"destination": "/x", "type": "bind", "source": $s,
                "options": ["rbind", "rprivate", "ro"]}]' --arg s "$M/etc-alias"
        assert_ok "run with the alias bound read-only" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" sensitive-mount /mounts/ "it is a warning"
        assert_contains "$out" "readable" "the container reads it"
        assert_contains "$out" "Read-only file system" "and cannot write it"
        assert_ok "no probe file on the host" test ! -e /etc/rh-probe
}

test_a_directory_holding_a_mount_of_etc_is_refused() {
        # writable on the host this time (the cleanup unmounts $M first)
        mkdir -p "$M/data/inner"
        mount --bind /etc "$M/data/inner"
        make_bundle "$TD/b" true
        add_bind "$TD/b" "$M/data" /data
        expect_refused "$TD/b" sensitive-mount "/mounts/$FIRST_ADDED/source" "an rbind of a directory holding /etc"
        assert_contains "$err" "mounted below the path" "the message names the mount below"
}

test_binding_usr_names_usr() {
        make_bundle "$TD/b" true
        add_bind "$TD/b" /usr /x
        expect_refused "$TD/b" sensitive-mount "/mounts/$FIRST_ADDED/source" "a bind of /usr"
        assert_contains "$err" "exposes the host's /usr read-write" "the message names /usr"
        assert_not_contains "$err" "/bin" "and not /bin"
}

# ----------------------------------------------------- recursive read-only

# The probe: the mount flags of /x and below, and whether each can be written.
RO_PROBE='grep -E " /x(/| )" /proc/self/mountinfo | cut -d" " -f5,6
touch /x/top 2>/dev/null && echo top=writable || echo top=read-only
touch /x/sub/f 2>/dev/null && echo sub=writable || echo sub=read-only'

ro_bundle() {
        make_bundle "$1" sh -c "$RO_PROBE"
        spec_set "$1" '.mounts += [{"destination": "/x", "type": "bind", "source": $s,
                "options": ["rbind", "rprivate", "ro"]}]' --arg s "$M/src"
}

test_a_read_only_bind_with_a_writable_mount_below_is_read_only_all_the_way_down() {
        local id
        mkdir -p "$M/src/sub"
        mount -t tmpfs -o size=1m sub "$M/src/sub"
        # the control: runc's "ro" leaves the mount below writable
        write_policy "$TD/off.json" '.rules["recursive-readonly"].action = "off"'
        new_id id
        ro_bundle "$TD/control"
        RH_POLICY=$TD/off.json
        assert_ok "the control runs" rh run --bundle "$TD/control" "$id"
        assert_contains "$out" "sub=writable" "without rro the mount below is writable"
        assert_ok "the control's write reached the host" test -e "$M/src/sub/f"
        rm -f "$M/src/sub/f"
        RH_POLICY=$T/hostpath-policy.json
        new_id id
        ro_bundle "$TD/b"
        assert_ok "run of the read-only bind" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" recursive-readonly "/mounts/$FIRST_ADDED/options" \
                "the fix is logged"
        assert_eq true "$(spec_get "$TD/b" ".mounts[$FIRST_ADDED].options | index(\"rro\") != null")" \
                "config.json has rro"
        assert_match "$out" "/x ro," "mountinfo: /x is read-only"
        assert_match "$out" "/x/sub ro," "mountinfo: /x/sub is read-only"
        assert_contains "$out" "top=read-only" "the top cannot be written"
        assert_contains "$out" "sub=read-only" "the mount below cannot be written"
        assert_ok "no canary on the host" test ! -e "$M/src/sub/f"
}

test_a_read_only_bind_of_the_cgroup_tree_is_read_only_all_the_way_down_or_refused() {
        local id
        [ -d /sys/fs/cgroup/pids ] || skip_all "no cgroup v1 pids hierarchy"
        new_id id
        make_bundle "$TD/b" sh -c 'grep -E " /cg/" /proc/self/mountinfo | cut -d" " -f5,6
                mkdir /cg/pids/'"$CGROUP_PROBE"' 2>/dev/null && echo made || echo refused'
        spec_set "$TD/b" '.mounts += [{"destination": "/cg", "type": "bind", "source": "/sys/fs/cgroup",
                "options": ["rbind", "rprivate", "ro"]}]'
        capture rh run --bundle "$TD/b" "$id"
        if [ "$rc" -ne 0 ]; then
                assert_contains "$err" "runc-harden: denied by policy:" "refused, by the policy"
        else
                assert_contains "$err" "recursive-readonly" "the bind got rro"
                assert_not_contains "$out" " rw," "every mount below /cg is read-only"
                assert_match "$out" "/cg/pids ro," "the pids hierarchy is among them, read-only"
                assert_contains "$out" "refused" "a new cgroup cannot be made"
        fi
        assert_ok "no cgroup was made on the host" test ! -e "/sys/fs/cgroup/pids/$CGROUP_PROBE"
}

# The fix with a user namespace and on a minimal root (issue 13: every fix
# must give a spec runc runs there); tests/integration/test-fixes-run.sh
# leaves this rule to this test, since it needs a mount below the source.
test_the_rro_fix_runs_with_a_user_namespace_and_on_a_minimal_root() {
        local id kind
        chmod 755 "$T"
        mkdir -p "$M/usrc/sub"
        chmod 755 "$M" "$M/usrc"
        mount -t tmpfs -o size=1m,mode=1777 sub "$M/usrc/sub"
        for kind in minimal userns; do
                new_id id
                mkdir -p "$TD/$kind/rootfs/bin" "$TD/$kind/rootfs/x"
                cp /bin/busybox "$TD/$kind/rootfs/bin/busybox"
                (cd "$TD/$kind" && "$REAL_RUNC" spec)
                spec_set "$TD/$kind" '.process.terminal = false
                        | .process.args = ["/bin/busybox", "sh", "-c",
                                "/bin/busybox touch /x/sub/f 2>/dev/null && echo sub=rw || echo sub=ro"]
                        | .mounts += [{"destination": "/x", "type": "bind", "source": $s,
                                "options": ["rbind", "rprivate", "ro"]}]' --arg s "$M/usrc"
                if [ "$kind" = userns ]; then
                        mkdir -p "$TD/$kind/rootfs/proc" "$TD/$kind/rootfs/sys" "$TD/$kind/rootfs/dev"
                        spec_set "$TD/$kind" '.linux.namespaces += [{"type": "user"}]
                                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                                | .linux.gidMappings = .linux.uidMappings'
                fi
                assert_ok "$kind: runc runs what recursive-readonly fixed" rh run --bundle "$TD/$kind" "$id"
                assert_finding "$err" "fixed by policy" recursive-readonly /mounts/ "$kind: the fix was made"
                assert_eq sub=ro "$out" "$kind: the mount below is read-only inside"
        done
        assert_ok "no write reached the host" test ! -e "$M/usrc/sub/f"
}

# ---------------------------------------------------------------- overlay

overlay_json() {
        jq -nc --arg o "$1" '{destination: "/o", type: "overlay", source: "overlay", options: ($o | split("|"))}'
}

test_an_overlay_whose_upper_layer_is_protected_is_refused() {
        mkdir -p "$M/l" "$M/w"
        make_bundle "$TD/b" true
        add_mount "$TD/b" "$(overlay_json "lowerdir=$M/l|upperdir=/etc|workdir=$M/w")"
        expect_refused "$TD/b" sensitive-mount "/mounts/$FIRST_ADDED/options/1" "an upperdir of /etc"
        make_bundle "$TD/c" true
        add_mount "$TD/c" "$(overlay_json "lowerdir=$M/l,upperdir=/var/lib/dpkg,workdir=$M/w")"
        expect_refused "$TD/c" sensitive-mount "/mounts/$FIRST_ADDED/options/0" "layers joined in one option"
        make_bundle "$TD/d" true
        add_mount "$TD/d" "$(overlay_json "lowerdir=proc/1/root/etc:l2")"
        expect_refused "$TD/d" spec-invalid "/mounts/$FIRST_ADDED/options/0" "a relative lowerdir"
        assert_ok "the kernel wrote nothing in /etc" test ! -e /etc/work
}

test_an_overlay_of_its_own_layers_runs_and_writes_there() {
        local id
        mkdir -p "$M/l1" "$M/l2" "$M/u" "$M/w"
        echo lower >"$M/l1/f"
        new_id id
        make_bundle "$TD/b" sh -c 'cat /o/f; echo upper >/o/g && echo wrote'
        add_mount "$TD/b" "$(overlay_json "lowerdir=$M/l1:$M/l2|upperdir=$M/u|workdir=$M/w")"
        assert_ok "run with an overlay of the container's own" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "lower" "it reads the lower layer"
        assert_contains "$out" "wrote" "and writes"
        assert_eq upper "$(cat "$M/u/g")" "the write landed in the upper layer"
}

test_a_read_only_overlay_of_etc_warns_and_cannot_write() {
        local id
        mkdir -p "$M/l2"
        new_id id
        make_bundle "$TD/b" sh -c 'test -s /o/passwd && echo readable; touch /o/x 2>&1 || true'
        add_mount "$TD/b" "$(overlay_json "lowerdir=/etc:$M/l2")"
        assert_ok "run with /etc as a lower layer" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" sensitive-mount "/mounts/$FIRST_ADDED/options/0" \
                "a warning, at the option"
        assert_contains "$out" "readable" "it reads /etc"
        assert_contains "$out" "Read-only file system" "and cannot write"
}

test_an_overlay_of_the_host_root_as_the_root_is_refused() {
        mkdir -p "$M/t" "$M/merged"
        mount -t tmpfs -o size=1m t "$M/t"
        mkdir -p "$M/t/u" "$M/t/w"
        mount -t overlay overlay -o "lowerdir=/,upperdir=$M/t/u,workdir=$M/t/w" "$M/merged"
        make_bundle "$TD/b" cat /etc/shadow
        spec_set "$TD/b" '.root.path = $p' --arg p "$M/merged"
        expect_refused "$TD/b" sensitive-mount "/root/path" "podman --rootfs /:O"
        assert_contains "$err" "an overlay with the layer /" "the message names the layer"
        umount "$M/merged"
}

# ------------------------------------------------------- paths as runc takes them

test_a_relative_source_is_taken_from_the_bundle_not_the_working_directory() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c 'ls /x'
        mkdir -p "$TD/b/etc"
        echo bundle >"$TD/b/etc/from-the-bundle"
        spec_set "$TD/b" '.mounts += [{"destination": "/x", "type": "bind", "source": "etc",
                "options": ["rbind", "rprivate", "ro"]}]'
        capture bash -c 'cd / && "$0" ${1:+--harden-policy "$1"} --root "$2" run --bundle "$3" "$4"' \
                "$RUNC_HARDEN" "$RH_POLICY" "$STATE" "$TD/b" "$id"
        assert_eq 0 "$rc" "run from / with a relative source"
        assert_contains "$out" "from-the-bundle" "the container sees the bundle's etc"
        assert_not_contains "$out" "passwd" "not the host's"
}

test_a_source_inside_the_rootfs_is_refused() {
        make_bundle "$TD/b" true
        add_bind "$TD/b" rootfs/proc/self/root/etc /x
        expect_refused "$TD/b" spec-invalid "/mounts/$FIRST_ADDED/source" "rootfs/proc/self/root/etc"
        assert_contains "$err" "inside the container's own root file system" "the message says why"
        make_bundle "$TD/c" true
        add_bind "$TD/c" "$TD/c/rootfs" /x
        expect_refused "$TD/c" spec-invalid "/mounts/$FIRST_ADDED/source" "the rootfs itself"
}

test_a_source_through_a_symlink_others_flip_never_starts() {
        local i id refused=0 ran=0
        mkdir -p "$M/user" "$M/harmless"
        chown 65534:65534 "$M/user"
        ln -s "$M/harmless" "$M/user/link"
        # nobody flips the link between a harmless directory and /etc
        setpriv --reuid=65534 --regid=65534 --clear-groups bash -c '
                while :; do ln -sfn /etc "$1/link.new" && mv -T "$1/link.new" "$1/link"
                        ln -sfn "$2" "$1/link.new" && mv -T "$1/link.new" "$1/link"; done' _ "$M/user" "$M/harmless" &
        local flipper=$!
        for i in $(seq 20); do
                new_id id
                make_bundle "$TD/b$i" sh -c 'touch /x/rh-hostpath-flip-canary'
                add_bind "$TD/b$i" "$M/user/link" /x
                capture rh run --bundle "$TD/b$i" "$id"
                if [ "$rc" -ne 0 ] && [[ "$err" == *"spec-invalid"*"user other than root"* ]]; then
                        refused=$((refused + 1))
                else
                        ran=$((ran + 1))
                fi
        done
        kill "$flipper"
        wait "$flipper" 2>/dev/null || true
        assert_eq 20 "$refused" "all 20 starts through the flipping link were refused"
        assert_ok "/etc never got the canary" test ! -e /etc/rh-hostpath-flip-canary
        assert_eq "" "$(runc_ list -q)" "no container was made"
}

test_a_path_longer_than_the_kernel_takes_is_refused_at_once() {
        local long
        long=/tmp/$(printf 'a/%.0s' $(seq 40000))
        make_bundle "$TD/b" true
        add_bind "$TD/b" "$long" /x
        expect_refused "$TD/b" spec-invalid "/mounts/$FIRST_ADDED/source" "a source of 40,000 components"
        assert_contains "$err" "longer than the kernel accepts" "the message says why"
}

run_tests
