#!/bin/bash
# Host paths through the engines, as their users reach them (issues 14 and
# 21): a named volume that is a bind of /etc (docker volume create, --mount
# volume-opt, podman volume create), a read-only bind of /sys/fs/cgroup,
# containerd's shim sockets, runc's state, /var/lib/dpkg, and an overlay
# mount through ctr. Plain volumes, tmpfs, the engines' own files and an
# operator's data directory still run.
#
# Safety: a volume of /etc is mounted by the engine on the host, below
# /var/lib/docker/volumes or /var/lib/containers/storage/volumes. Before a
# volume is removed (here, or by the cleanup) its _data is checked and
# unmounted if still mounted: removing it while /etc is bound there would
# empty the host's /etc.
# $-expressions in single quotes are the container shell's.
# shellcheck disable=SC2016
source "$(dirname "$0")/lib.sh"

require_engines
docker_image
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}}')"

VOL=rh-hostpath-$$
DATA=/srv/rh-hostpath-data-$$
DOCKER_VOLUMES=()
PODMAN_VOLUMES=()

# unmount_data DIR: DIR (a volume's _data) is no mount point afterwards.
unmount_data() {
        local i
        for i in 1 2 3 4 5; do
                mountpoint -q "$1" 2>/dev/null || return 0
                umount -l "$1" 2>/dev/null
                sleep 0.2
        done
        ! mountpoint -q "$1"
}

docker_volume_rm() {
        unmount_data "/var/lib/docker/volumes/$1/_data" && docker_ rm -f "$(docker_ ps -aq --filter "volume=$1")" \
                >/dev/null 2>&1
        unmount_data "/var/lib/docker/volumes/$1/_data" && docker_ volume rm -f "$1" >/dev/null 2>&1
}

podman_volume_rm() {
        unmount_data "/var/lib/containers/storage/volumes/$1/_data" && podman_ volume rm -f "$1" >/dev/null 2>&1
}

hostpath_engine_cleanup() {
        local rc=$? v
        set +e
        trap - ERR
        for v in "${DOCKER_VOLUMES[@]}"; do
                docker_volume_rm "$v"
        done
        for v in "${PODMAN_VOLUMES[@]}"; do
                podman_volume_rm "$v"
        done
        rm -rf --one-file-system "$DATA"
        rm -f "/var/lib/containers/storage/overlay/rh-hostpath-sh-$$" \
                "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/rh-hostpath-sh-$$"
        rmdir "/sys/fs/cgroup/pids/rh-hostpath-probe-$$" 2>/dev/null
        (exit "$rc")
        engine_cleanup
}
trap hostpath_engine_cleanup EXIT

# refused WHAT RULE DOCKER-RUN-ARGS...: docker run is refused with RULE's
# message, and the container never ran.
refused() {
        local what=$1 rule=$2 name=rh-hostpath-$$-$RANDOM
        shift 2
        assert_fails "$what is refused" drun --name "$name" --runtime=hardened "$@" "$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy:" "$what: docker run shows the policy's message"
        assert_contains "$err" "$rule: " "$what: the message names $rule"
        assert_eq created "$("$DOCKER" inspect -f '{{.State.Status}}' "$name")" "$what: the container never started"
        docker_ rm -f "$name" >/dev/null
}

# --------------------------------------------------------- volumes of /etc

test_a_named_volume_that_binds_etc_is_refused() {
        docker_ volume create --opt type=none --opt o=bind --opt device=/etc "$VOL-a" >/dev/null
        DOCKER_VOLUMES+=("$VOL-a")
        refused "a volume of /etc" sensitive-mount -v "$VOL-a:/x"
        assert_contains "$err" "the host's /etc (the path is a bind mount of it)" "the message says it is /etc"
        assert_ok "the volume is no longer mounted" unmount_data "/var/lib/docker/volumes/$VOL-a/_data"
        refused "a --mount volume-opt of /etc" sensitive-mount \
                --mount "type=volume,src=$VOL-b,dst=/x,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc"
        DOCKER_VOLUMES+=("$VOL-b")
        # read-only it runs, and cannot write
        DOCKER_VOLUMES+=("$VOL-c")
        assert_ok "read-only it runs" drun --rm --runtime=hardened \
                --mount "type=volume,src=$VOL-c,dst=/x,readonly,volume-opt=type=none,volume-opt=o=bind,volume-opt=device=/etc" \
                "$IMAGE" sh -c 'test -s /x/passwd && echo readable; touch /x/rh-probe 2>&1; true'
        assert_contains "$out" "readable" "it reads /etc"
        assert_contains "$out" "Read-only file system" "and cannot write it"
        assert_ok "no probe on the host" test ! -e /etc/rh-probe
}

test_a_podman_named_volume_that_binds_etc_is_refused() {
        command -v podman >/dev/null || return 0
        podman_image
        local wrapper=$T/podman-wrapper
        printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$wrapper"
        chmod +x "$wrapper"
        podman_ volume create --opt type=none --opt o=bind --opt device=/etc "$VOL-p" >/dev/null
        PODMAN_VOLUMES+=("$VOL-p")
        assert_fails "podman run -v VOLUME-OF-/etc is refused" podman_ --runtime "$wrapper" run --rm \
                --ulimit nofile=1024:4096 --ulimit nproc=512:512 -v "$VOL-p:/x" "localhost/$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "podman shows the policy's message"
        assert_contains "$err" "bind mount of it" "the message says it is /etc"
        podman_ volume create "$VOL-q" >/dev/null
        PODMAN_VOLUMES+=("$VOL-q")
        assert_ok "a plain podman volume runs" podman_ --runtime "$wrapper" run --rm \
                --ulimit nofile=1024:4096 --ulimit nproc=512:512 -v "$VOL-q:/x" "localhost/$IMAGE" \
                sh -c 'echo ok >/x/f && cat /x/f'
        assert_eq ok "$out" "and writes its volume"
}

test_podman_overlay_volumes_and_rootfs_are_judged_by_their_layers() {
        command -v podman >/dev/null || return 0
        podman_image
        local wrapper=$T/podman-wrapper2
        printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$wrapper"
        chmod +x "$wrapper"
        local limits=(--ulimit nofile=1024:4096 --ulimit nproc=512:512)
        # an upper layer in /run (protected as a whole; a scratch directory
        # of this test, so that nothing of the host's is touched whatever
        # podman mounts before asking the runtime)
        local run=/run/rh-hostpath-$$
        mkdir -p "$T/pov/src" "$run/u" "$run/w"
        assert_fails "podman -v SRC:DST:O,upperdir=/run/... is refused" podman_ --runtime "$wrapper" run --rm \
                "${limits[@]}" -v "$T/pov/src:/x:O,upperdir=$run/u,workdir=$run/w" "localhost/$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy:" "podman shows the policy's message"
        assert_contains "$err" "$run/u" "it names the upper layer"
        umount -l "$run/u" 2>/dev/null || true
        rm -rf --one-file-system "$run"
        # /etc as the lower layer of podman's own overlay: read-only, runs,
        # and what the container writes stays in podman's upper layer
        assert_ok "podman -v /etc:/x:O runs" podman_ --runtime "$wrapper" run --rm "${limits[@]}" \
                -v /etc:/x:O "localhost/$IMAGE" sh -c 'test -s /x/passwd && echo readable; echo x >/x/rh-probe && echo wrote'
        assert_contains "$out" "readable" "it reads /etc"
        assert_ok "the write did not reach the host's /etc" test ! -e /etc/rh-probe
        # the host's root through an overlay as the root file system
        assert_fails "podman --rootfs /:O is refused" podman_ --runtime "$wrapper" run --rm "${limits[@]}" \
                --rootfs /:O true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount: /root/path" \
                "podman shows the policy's message about the root"
}

# ------------------------------------------------ recursive read-only

test_a_read_only_bind_of_the_cgroup_tree_is_read_only_all_the_way_down() {
        local probe=rh-hostpath-probe-$$
        capture drun --rm --runtime=hardened -v /sys/fs/cgroup:/cg:ro "$IMAGE" \
                sh -c 'grep " /cg/" /proc/self/mountinfo | cut -d" " -f5,6; mkdir /cg/pids/'"$probe"' 2>&1 || true'
        if [ "$rc" -ne 0 ]; then
                assert_contains "$err" "runc-harden: denied by policy:" "refused by the policy"
        else
                assert_not_contains "$out" " rw," "every mount below /cg is read-only in the container"
                assert_match "$out" "/cg/memory ro," "the memory hierarchy among them"
                assert_contains "$out" "Read-only file system" "no cgroup can be made"
                assert_contains "$(tail -n 200 "$T/audit.log")" "recursive-readonly" "the audit log has the rro fix"
        fi
        assert_ok "no cgroup was made on the host" test ! -e "/sys/fs/cgroup/pids/$probe"
}

# ---------------------------------------------------------- engine state

test_engine_state_and_dpkg_are_refused() {
        refused "containerd's shim sockets" sensitive-mount -v /run/containerd/s:/s
        refused "the shim sockets read-only" sensitive-mount -v /run/containerd/s:/s:ro
        refused "runc's state directory" sensitive-mount -v /run/docker/runtime-runc:/rr
        refused "containerd's task directory" sensitive-mount -v /run/containerd/io.containerd.runtime.v2.task:/t:ro
        refused "libnetwork" sensitive-mount -v /run/docker/libnetwork:/n
        refused "/var/lib/dpkg" sensitive-mount -v /var/lib/dpkg:/d
        assert_ok "/var/lib/dpkg read-only runs" drun --rm --runtime=hardened -v /var/lib/dpkg:/d:ro "$IMAGE" \
                sh -c 'touch /d/rh-probe 2>&1; true'
        assert_contains "$out" "Read-only file system" "and cannot write it"
        assert_ok "no probe in /var/lib/dpkg" test ! -e /var/lib/dpkg/rh-probe
}

# ----------------------------------------------------- what must still run

test_volumes_tmpfs_engine_files_and_data_directories_still_run() {
        mkdir -p "$DATA"
        assert_ok "a plain named volume, a tmpfs and a data directory" drun --rm --runtime=hardened \
                -v "$VOL-plain:/v" --tmpfs /t -v "$DATA:/data" "$IMAGE" \
                sh -c 'echo v >/v/f && echo t >/t/f && echo d >/data/f && cat /etc/hostname /etc/resolv.conf >/dev/null &&
                        grep -q localhost /etc/hosts && echo all-ok'
        DOCKER_VOLUMES+=("$VOL-plain")
        assert_eq all-ok "$out" "each is written, and Docker's own files are there"
        assert_eq d "$(cat "$DATA/f")" "the data directory got the write"
        assert_ok "docker run --read-only with a volume" drun --rm --runtime=hardened --read-only \
                -v "$VOL-plain:/v" "$IMAGE" cat /v/f
        assert_eq v "$out" "the volume kept its content"
}

# ------------------------------------------------------------ ctr overlay

test_a_ctr_overlay_mount_is_judged_by_its_layers() {
        ctr_image
        local wrapper=$T/ctr-wrapper
        printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$wrapper"
        chmod +x "$wrapper"
        mkdir -p "$T/ov/u" "$T/ov/w"
        CTR_IDS+=("rh-ov-a-$$" "rh-ov-b-$$")
        assert_fails "an upper layer on /var/lib/dpkg is refused" timeout -k 5 60 ctr -n "$CTR_NS" run \
                --runc-binary "$wrapper" --rm \
                --mount "type=overlay,src=overlay,dst=/o,options=lowerdir=$T/ov/w:upperdir=/var/lib/dpkg:workdir=$T/ov/w" \
                "$CTR_IMAGE" "rh-ov-a-$$" true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "ctr shows the policy's message"
        assert_contains "$err" "has the upperdir /var/lib/dpkg" "the message names the upper layer"
        assert_ok "/etc as a lower layer runs" timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$wrapper" --rm \
                --mount "type=overlay,src=overlay,dst=/o,options=lowerdir=/etc:upperdir=$T/ov/u:workdir=$T/ov/w" \
                "$CTR_IMAGE" "rh-ov-b-$$" sh -c 'test -s /o/passwd && echo readable; echo x >/o/rh-probe && echo wrote'
        assert_contains "$out" "readable" "it reads /etc through the overlay"
        assert_contains "$out" "wrote" "its writes"
        assert_ok "land in the upper layer" test -e "$T/ov/u/rh-probe"
        assert_ok "not in the host's /etc" test ! -e /etc/rh-probe
}

# ------------------------------------------------ the root file system

# rh_wrapper FILE: runc-harden with this test's arguments, for podman and ctr.
rh_wrapper() {
        printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$1"
        chmod +x "$1"
}

test_podman_rootfs_of_a_plain_directory_with_O_runs() {
        command -v podman >/dev/null || return 0
        local wrapper=$T/podman-wrapper3
        rh_wrapper "$wrapper"
        # podman mounts the overlay in its state in /run: judged by the layers
        make_rootfs "$T/prf"
        echo from-dir >"$T/prf/rh-marker"
        assert_ok "podman --rootfs DIR:O runs" podman_ --runtime "$wrapper" run --rm \
                --ulimit nofile=1024:4096 --ulimit nproc=512:512 --rootfs "$T/prf:O" \
                /bin/sh -c 'cat /rh-marker; echo x >/rh-probe 2>/dev/null || echo read-only'
        assert_contains "$out" "from-dir" "the container ran on DIR"
        assert_contains "$out" "read-only" "readonly-rootfs's fix applies to it"
        assert_ok "DIR is not written" test ! -e "$T/prf/rh-probe"
}

test_an_engines_storage_as_the_root_is_refused_even_exempted() {
        command -v podman >/dev/null || return 0
        podman_image
        local wrapper=$T/podman-wrapper4 S=/var/lib/containers/storage/overlay layer rel
        local C=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots
        local sh=rh-hostpath-sh-$$ canary=rh-hostpath-planted-$$
        rh_wrapper "$wrapper"
        layer=$(podman_ image inspect -f '{{.GraphDriver.Data.UpperDir}}' "localhost/$IMAGE")
        rel=${layer#"$S"}
        # a shell at the top of the storage, as an attacker would need
        cp /bin/busybox "$S/$sh"
        cp /bin/busybox "$C/$sh"
        assert_fails "podman --rootfs on podman's storage directory is refused" podman_ --runtime "$wrapper" run \
                --rm --ulimit nofile=1024:4096 --ulimit nproc=512:512 \
                --annotation org.runc-harden.exempt=readonly-rootfs --rootfs "$S" "/$sh" -c "echo x >$rel/$canary"
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount: /root/path" \
                "podman shows the policy's message about the root"
        assert_ok "the image's layer was not written" test ! -e "$layer/$canary"
        assert_fails "podman --rootfs on the image's layer is refused" podman_ --runtime "$wrapper" run --rm \
                --ulimit nofile=1024:4096 --ulimit nproc=512:512 \
                --annotation org.runc-harden.exempt=readonly-rootfs --rootfs "$layer" /bin/sh -c "echo x >/$canary"
        assert_contains "$err" "sensitive-mount: /root/path" "the layer is refused as the root"
        assert_ok "the image's layer is still clean" test ! -e "$layer/$canary"
        ctr_image
        CTR_IDS+=("rh-st-$$")
        assert_fails "ctr --rootfs on containerd's snapshots is refused" timeout -k 5 60 ctr -n "$CTR_NS" run \
                --runc-binary "$wrapper" --rm --annotation org.runc-harden.exempt=readonly-rootfs --rootfs "$C" \
                "rh-st-$$" "/$sh" -c "echo x >/$canary"
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount: /root/path" "ctr shows the message"
        assert_ok "containerd's snapshots were not written" test ! -e "$C/$canary"
        rm -f "$S/$sh" "$C/$sh" "$layer/$canary" "$C/$canary"
}

run_tests
