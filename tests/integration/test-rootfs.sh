#!/bin/bash
# The root file system as engines give it, on the real runc: an engine's
# storage directory or an image layer as root.path is refused even with
# readonly-rootfs exempted (podman --rootfs /var/lib/containers/storage/
# overlay ran on every image's layers and wrote into them), a root in an
# engine's per-container shape runs, and an overlay mounted at root.path
# (podman --rootfs DIR:O mounts in its state in /run) is judged by its
# layers and runs. And a bind of an mqueue instance (a Docker volume of
# type mqueue) is refused by the spec layer. Canaries prove each effect.
#
# The engine storage here is a stand-in under $M: the policy names it as
# engine state, its containers' roots and its layers, as the built-in
# policy names /var/lib/docker, overlay2/ID/merged and overlay2/ID/diff.
# Everything mounted is in a mount namespace of this script's own, on a
# tmpfs $M unmounted (lazily, recursively) before anything is removed.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
if [ -z "${RH_ROOTFS_NS:-}" ]; then
        export RH_ROOTFS_NS=1
        exec unshare --mount --propagation private bash "$0" "$@"
fi
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

M=$(mktemp -d /tmp/rh-it-rootfs-mnt.XXXXXX)
mount -t tmpfs -o size=32m rootfs-scratch "$M"
S=$M/storage

rootfs_cleanup() {
        local rc=$?
        set +e
        trap - ERR
        umount -R -l "$M" 2>/dev/null
        rmdir "$M" 2>/dev/null
        (exit "$rc")
        cleanup
}
trap rootfs_cleanup EXIT

# The built-in policy without the LSM rules, with $S as an engine's.
"$RUNC_HARDEN" policy show --level baseline |
        jq --arg audit "$T/audit.log" --arg s "$S" '
                .["audit-log"] = $audit
                | .rules.apparmor.action = "off" | .rules.selinux.action = "off"
                | .rules["sensitive-mount"].params.state += [$s + "/**"]
                | .rules["sensitive-mount"].params.rootfs = [$s + "/overlay/*/merged"]
                | .rules["sensitive-mount"].params.layers = [$s + "/overlay/*/diff", $s + "/overlay/*/work",
                        $s + "/oc/*/rootfs/upper", $s + "/oc/*/rootfs/work"]' >"$T/rootfs-policy.json"
RH_POLICY=$T/rootfs-policy.json

# An image layer L1 (busybox) in the stand-in storage, busybox at its top
# too (what the attack put there to have a shell).
mkdir -p "$S/overlay/L1/diff"
make_bundle "$T/img"
cp -a "$T/img/rootfs/." "$S/overlay/L1/diff/"
cp /bin/busybox "$S/overlay/sh"

# root_bundle DIR ROOT ARG...: a bundle on ROOT, writable, readonly-rootfs
# exempted as podman --annotation asks.
root_bundle() {
        local b=$1 root=$2
        shift 2
        make_bundle "$b" "$@"
        spec_set "$b" '.root = {path: $p, readonly: false}
                | .annotations["org.runc-harden.exempt"] = "readonly-rootfs"' --arg p "$root"
}

expect_refused() {
        local b=$1 rule=$2 pointer=$3 what=$4 id
        new_id id
        assert_status 1 "$what: run exits 1" rh run --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: $rule: $pointer" "$what: refused by $rule at $pointer"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
}

# overlay_root MERGE LOWER UPPER WORK
overlay_root() {
        mkdir -p "$1" "$3" "$4"
        mount -t overlay overlay -o "lowerdir=$2,upperdir=$3,workdir=$4" "$1"
}

test_the_storage_directory_as_the_root_is_refused_and_no_layer_is_written() {
        root_bundle "$TD/b" "$S/overlay" /sh -c 'echo planted >/L1/diff/planted'
        expect_refused "$TD/b" sensitive-mount /root/path "the storage directory"
        assert_contains "$err" "an engine's storage" "the message says what it is"
        assert_ok "the image layer is untouched" test ! -e "$S/overlay/L1/diff/planted"
        root_bundle "$TD/c" "$S" /overlay/sh -c 'echo planted >/overlay/L1/diff/planted'
        expect_refused "$TD/c" sensitive-mount /root/path "the storage above it"
        assert_ok "the image layer is still untouched" test ! -e "$S/overlay/L1/diff/planted"
}

test_an_image_layer_as_the_root_is_refused() {
        root_bundle "$TD/b" "$S/overlay/L1/diff" sh -c 'echo planted >/planted'
        expect_refused "$TD/b" sensitive-mount /root/path "the image layer itself"
        assert_ok "the layer is untouched" test ! -e "$S/overlay/L1/diff/planted"
}

test_a_containers_own_root_runs_and_writes_only_its_upper_layer() {
        local id
        overlay_root "$S/overlay/C1/merged" "$S/overlay/L1/diff" "$S/overlay/C1/diff" "$S/overlay/C1/work"
        root_bundle "$TD/b" "$S/overlay/C1/merged" sh -c 'echo mine >/planted && cat /planted'
        new_id id
        assert_ok "a root in the per-container shape runs" rh run --bundle "$TD/b" "$id"
        assert_eq mine "$out" "the container wrote its root"
        assert_eq mine "$(cat "$S/overlay/C1/diff/planted")" "the write is in its upper layer"
        assert_ok "the image layer is untouched" test ! -e "$S/overlay/L1/diff/planted"
        umount "$S/overlay/C1/merged"
}

test_podman_rootfs_dir_o_is_judged_by_its_layers() {
        local id
        # podman --rootfs DIR:O: the overlay of DIR at its state's
        # overlay-containers/ID/rootfs/merge, upper and work beside
        make_bundle "$TD/img"
        overlay_root "$S/oc/P1/rootfs/merge" "$TD/img/rootfs" "$S/oc/P1/rootfs/upper" "$S/oc/P1/rootfs/work"
        root_bundle "$TD/b" "$S/oc/P1/rootfs/merge" sh -c 'echo ran >/ran && cat /ran'
        new_id id
        assert_ok "a harmless DIR:O runs" rh run --bundle "$TD/b" "$id"
        assert_eq ran "$out" "the container ran and wrote its root"
        assert_ok "into the upper layer" test -s "$S/oc/P1/rootfs/upper/ran"
        assert_ok "not into DIR" test ! -e "$TD/img/rootfs/ran"
        umount "$S/oc/P1/rootfs/merge"
        # the same path without the overlay is the engine's state
        expect_refused "$TD/b" sensitive-mount /root/path "the merge directory unmounted"
        # the host's /etc as DIR is still the host's
        overlay_root "$S/oc/P2/rootfs/merge" /etc "$S/oc/P2/rootfs/upper" "$S/oc/P2/rootfs/work"
        root_bundle "$TD/c" "$S/oc/P2/rootfs/merge" cat /shadow
        expect_refused "$TD/c" sensitive-mount /root/path "DIR:O of /etc"
        assert_contains "$err" "an overlay with the layer /etc" "the message names the layer"
        umount "$S/oc/P2/rootfs/merge"
}

test_a_bind_of_an_mqueue_instance_is_refused_by_the_spec() {
        local n
        # a Docker volume of type mqueue: dockerd's mount (the host's IPC
        # namespace), bound into the container
        mkdir -p "$M/mq"
        mount -t mqueue mqueue "$M/mq"
        make_bundle "$TD/b" sh -c 'echo x >/q/rh-rootfs-canary'
        n=$(spec_get "$TD/b" '.mounts | length')
        add_bind "$TD/b" "$M/mq" /q
        expect_refused "$TD/b" kernel-mounts "/mounts/$n/source" "a bind of the host's mqueue"
        assert_contains "$err" "message queues" "the message says what it exposes"
        assert_ok "no queue was made on the host" test ! -e "$M/mq/rh-rootfs-canary"
        rm -f "$M/mq/rh-rootfs-canary" # a queue outlives the mount
        umount "$M/mq"
}

run_tests
