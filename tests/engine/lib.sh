# shellcheck shell=bash
# Sourced by every engine test: the integration suite's runner and
# assertions (tests/integration/lib.sh), plus the engines. The daemons come
# from services.sh (started by .ci/run, or by hand); a script skips (77)
# when they are not up.
#
# Everything a test changes is undone at exit, even after a failure: its
# containers (labelled rh-engine-test=$ENGINE_TAG), swarm services, images,
# dockerd's daemon.json (restored and reloaded).

RH_ENGINE_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../integration/lib.sh
source "$RH_ENGINE_SRC/tests/integration/lib.sh"

RH_ENGINE_DIR=${RH_ENGINE_DIR:-/run/rh-engine}
DOCKER=${DOCKER:-/usr/bin/docker} # Debian's client; /usr/local/bin may hold another
SERVICES=$RH_ENGINE_SRC/tests/engine/services.sh
DAEMON_JSON=$RH_ENGINE_DIR/daemon.json
RUNC_BIN=${RUNC_BIN:-/usr/sbin/runc}
ENGINE_TAG=$TEST_NAME-$$
IMAGE=rh-busybox:latest
CTR_NS=rh-$TEST_NAME

DAEMON_JSON_SAVED=
DOCKER_IMAGE=
PODMAN_IMAGE=
CTR_IMAGE=
SERVICES_MADE=()
SWARM_MADE=
CTR_IDS=()

# ---------------------------------------------------------------- cleanup

engine_cleanup() {
        local rc=$? s id
        set +e
        trap - ERR
        for s in "${SERVICES_MADE[@]}"; do
                "$DOCKER" service rm "$s" >/dev/null 2>&1
        done
        [ -z "$SWARM_MADE" ] || "$DOCKER" swarm leave --force >/dev/null 2>&1
        if [ -n "$DOCKER_IMAGE$DAEMON_JSON_SAVED" ]; then
                for id in $("$DOCKER" ps -aq --filter "label=rh-engine-test=$ENGINE_TAG" 2>/dev/null); do
                        "$DOCKER" rm -f "$id" >/dev/null 2>&1
                done
        fi
        [ -z "$DOCKER_IMAGE" ] || "$DOCKER" rmi -f "$IMAGE" >/dev/null 2>&1
        if [ -n "$DAEMON_JSON_SAVED" ]; then
                # A reload keeps the default runtime, the runtimes and live-restore
                # when the file no longer names them: name their defaults (unless
                # the original does), reload, then put the original back.
                jq '{"default-runtime": "runc", runtimes: {}, "live-restore": false} + .' "$DAEMON_JSON_SAVED" >"$DAEMON_JSON"
                docker_reload >/dev/null 2>&1
                sleep 0.5
                cp "$DAEMON_JSON_SAVED" "$DAEMON_JSON"
        fi
        if [ -n "$PODMAN_IMAGE" ]; then
                for id in $(podman_ ps -aq --filter "label=rh-engine-test=$ENGINE_TAG" 2>/dev/null); do
                        podman_ rm -f "$id" >/dev/null 2>&1
                done
                podman_ rmi -f "localhost/$IMAGE" >/dev/null 2>&1
        fi
        for id in "${CTR_IDS[@]}"; do
                ctr -n "$CTR_NS" task kill -s KILL "$id" >/dev/null 2>&1
                ctr -n "$CTR_NS" task rm -f "$id" >/dev/null 2>&1
                ctr -n "$CTR_NS" container rm "$id" >/dev/null 2>&1
        done
        if [ -n "$CTR_IMAGE" ]; then
                ctr -n "$CTR_NS" images rm "$CTR_IMAGE" >/dev/null 2>&1
                # The image's content is collected in the background; the
                # namespace can go once it is.
                for id in 1 2 3 4 5 6 7 8 9 10; do
                        ctr namespaces rm "$CTR_NS" >/dev/null 2>&1 && break
                        sleep 0.2
                done
        fi
        (exit "$rc")
        cleanup
}
trap engine_cleanup EXIT

# ---------------------------------------------------------------- policy

# The built-in policy, every rule at its default, except the LSM rules: the
# test machine may have neither AppArmor nor SELinux, and their findings
# would only add noise to the messages the tests read. Audited into $T.
RH_POLICY=$T/engine-policy.json
"$RUNC_HARDEN" policy show |
        jq --arg audit "$T/audit.log" '
                .["audit-log"] = $audit
                | .rules.apparmor.action = "off" | .rules.selinux.action = "off"' >"$RH_POLICY"

# policy_param RULE PARAM: a parameter of the test's policy.
policy_param() {
        jq -r --arg r "$1" --arg p "$2" '.rules[$r].params[$p]' "$RH_POLICY"
}

# The runtime arguments every engine gets: the policy and the real runc.
RUNTIME_ARGS=(--harden-policy "$RH_POLICY" --harden-runtime "$RUNC_BIN")

# ---------------------------------------------------------------- images

# make_rootfs DIR: busybox-static with every applet linked, and a passwd.
make_rootfs() {
        local r=$1 a
        mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev"
        cp /bin/busybox "$r/bin/busybox"
        for a in $("$r/bin/busybox" --list); do
                [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"
        done
        echo 'root:x:0:0:root:/:/bin/sh' >"$r/etc/passwd"
        echo 'root:x:0:' >"$r/etc/group"
}

# rootfs_tar: the image's file system as a tarball, made once per test.
rootfs_tar() {
        if [ ! -f "$T/rootfs.tar" ]; then
                make_rootfs "$T/rootfs"
                tar -C "$T/rootfs" -cf "$T/rootfs.tar" .
        fi
        echo "$T/rootfs.tar"
}

# There is no registry: the image is imported from the tarball.
docker_image() {
        DOCKER_IMAGE=1
        "$DOCKER" import -c 'ENV PATH=/bin' "$(rootfs_tar)" "$IMAGE" >/dev/null
}

podman_image() {
        PODMAN_IMAGE=1
        podman_ import -q -c 'ENV PATH=/bin' "$(rootfs_tar)" "$IMAGE" >/dev/null
}

# containerd imports image archives only: docker saves one.
ctr_image() {
        docker_image
        "$DOCKER" save "$IMAGE" >"$T/image.tar"
        CTR_IMAGE=docker.io/library/$IMAGE
        ctr -n "$CTR_NS" images import "$T/image.tar" >/dev/null
}

# ---------------------------------------------------------------- engines

require_engines() {
        if ! bash "$SERVICES" status >/dev/null 2>&1; then
                skip_all "containerd and dockerd are not running (bash tests/engine/services.sh start)"
        fi
}

# podman_ ARGS...: podman without systemd: cgroupfs and file events.
podman_() {
        timeout -k 5 120 podman --cgroup-manager=cgroupfs --events-backend=file "$@"
}

# docker_ ARGS...: the docker client, bounded in time.
docker_() {
        timeout -k 5 120 "$DOCKER" "$@"
}

# drun ARGS...: docker run, labelled for cleanup.
drun() {
        docker_ run --label "rh-engine-test=$ENGINE_TAG" "$@"
}

docker_reload() {
        bash "$SERVICES" reload
}

# docker_config JSON: dockerd's daemon.json becomes JSON (the original is
# restored at exit), dockerd reloads it; waits until the runtimes and the
# default runtime it names are in force.
docker_config() {
        local want_rt want_default i info
        if [ -z "$DAEMON_JSON_SAVED" ]; then
                DAEMON_JSON_SAVED=$T/daemon.json.orig
                cp "$DAEMON_JSON" "$DAEMON_JSON_SAVED"
        fi
        printf '%s\n' "$1" | jq . >"$DAEMON_JSON"
        want_rt=$(jq -c '.runtimes // {} | keys' "$DAEMON_JSON")
        want_default=$(jq -r '.["default-runtime"] // "runc"' "$DAEMON_JSON")
        docker_reload
        for i in $(seq 100); do
                info=$("$DOCKER" info --format '{{json .Runtimes}} {{.DefaultRuntime}}' 2>/dev/null) || info=
                if [ "${info##* }" = "$want_default" ] &&
                        jq -e --argjson want "$want_rt" '($want - keys) == []' <<<"${info% *}" >/dev/null 2>&1; then
                        return 0
                fi
                sleep 0.1
        done
        echo "# dockerd did not take the new daemon.json: $info" >&2
        return 1
}

# runtime_entry [EXTRA ARGS...]: a daemon.json runtimes entry for runc-harden.
runtime_entry() {
        jq -n --arg path "$RUNC_HARDEN" --argjson args "$(json_array "${RUNTIME_ARGS[@]}" "$@")" \
                '{path: $path, runtimeArgs: $args}'
}

# docker_cgroup CONTROLLER ID FILE: a cgroup v1 file of a Docker container,
# read from the host (cgroupfs driver: /sys/fs/cgroup/CONTROLLER/docker/ID).
docker_cgroup() {
        cat "/sys/fs/cgroup/$1/docker/$2/$3"
}

# shim_log ID: the runc log containerd's shim keeps for a Docker container.
shim_log() {
        cat "/run/containerd/io.containerd.runtime.v2.task/moby/$1/log.json" 2>/dev/null || true
}

# docker_wait_running ID: up to 10 s.
docker_wait_running() {
        local i
        for i in $(seq 100); do
                [ "$("$DOCKER" inspect -f '{{.State.Running}}' "$1" 2>/dev/null)" = true ] && return 0
                sleep 0.1
        done
        return 1
}
