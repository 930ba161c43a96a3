#!/bin/bash
# The engines the engine suite drives, run as plain background processes
# (CI machines and containers have no systemd):
#
#   services.sh install   apt-get installs docker.io, containerd, podman and
#                         what the images and the CRI and Swarm tests need
#                         (CNI plugins, python3-grpcio, protoc, iproute2)
#                         and the workload suite (debootstrap, curl), when
#                         something is missing
#   services.sh start     install, then start containerd and dockerd
#   services.sh stop      stop the daemons this script started, by pid
#   services.sh reload    SIGHUP dockerd (it rereads its daemon.json)
#   services.sh restart-dockerd
#                         stop the dockerd this script started and start it
#                         again, with the flags in $RH_DOCKERD_FLAGS (words)
#   services.sh status    exit 0 when both daemons answer
#
# dockerd reads a private daemon.json, $RH_ENGINE_DIR/daemon.json, which the
# tests rewrite and reload; /etc/docker/daemon.json is never touched. A
# containerd or dockerd that this script did not start is an error for
# start: the tests must own dockerd's configuration.
set -euo pipefail

RH_ENGINE_DIR=${RH_ENGINE_DIR:-/run/rh-engine}
CONTAINERD_SOCK=/run/containerd/containerd.sock
DOCKER_SOCK=/var/run/docker.sock
DOCKER=${DOCKER:-/usr/bin/docker} # /usr/local/bin may hold another client

log() { echo "services: $*" >&2; }

install() {
        local need=0 c
        for c in dockerd containerd ctr podman conmon runc busybox jq ip nsenter protoc debootstrap curl; do
                command -v "$c" >/dev/null 2>&1 || need=1
        done
        [ -x "$DOCKER" ] || need=1
        # test-cri.sh: a CNI bridge, and a CRI client in Debian's Python.
        [ -x /usr/lib/cni/bridge ] || need=1
        /usr/bin/python3 -c 'import grpc, google.protobuf' 2>/dev/null || need=1
        [ "$need" -eq 1 ] || return 0
        log "installing docker.io containerd podman and the CRI test's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # policy-rc.d on CI images refuses to start the services; that is
        # what we want, they are started below by hand.
        # debootstrap and curl: the workload suite builds Debian images and
        # asks their services over HTTP.
        apt-get install -y -qq docker.io containerd podman runc crun busybox-static jq \
                iproute2 util-linux containernetworking-plugins python3-grpcio python3-protobuf protobuf-compiler \
                debootstrap curl >/dev/null
}

pid_alive() {
        [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

containerd_up() {
        [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1
}

docker_up() {
        [ -S "$DOCKER_SOCK" ] && "$DOCKER" info >/dev/null 2>&1
}

# wait_for WHAT SECONDS CMD...
wait_for() {
        local what=$1 n=$(($2 * 5))
        shift 2
        while [ "$n" -gt 0 ]; do
                "$@" && return 0
                sleep 0.2
                n=$((n - 1))
        done
        log "$what did not come up; its log:"
        tail -20 "$RH_ENGINE_DIR/$what.log" >&2 || true
        return 1
}

# detached CMD...: CMD in a session of its own with only stdin, stdout and
# stderr open. The daemons outlive this script: an fd they inherited would
# stay open as long as they run, and the engine lock that `flock LOCK CMD`
# hands its command is one (every later flock on it would wait for ever).
detached() {
        local fd
        for fd in /proc/"$BASHPID"/fd/*; do
                fd=${fd##*/}
                [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null
        done
        exec setsid "$@"
}

start() {
        install
        mkdir -p "$RH_ENGINE_DIR"
        if pid_alive "$RH_ENGINE_DIR/containerd.pid"; then
                log "containerd already running (pid $(cat "$RH_ENGINE_DIR/containerd.pid"))"
        elif containerd_up; then
                log "a containerd this script did not start answers on $CONTAINERD_SOCK; stop it first"
                return 1
        else
                detached containerd >"$RH_ENGINE_DIR/containerd.log" 2>&1 </dev/null &
                echo $! >"$RH_ENGINE_DIR/containerd.pid"
                wait_for containerd 30 containerd_up
        fi

        if pid_alive "$RH_ENGINE_DIR/dockerd.pid"; then
                log "dockerd already running (pid $(cat "$RH_ENGINE_DIR/dockerd.pid"))"
        elif docker_up; then
                log "a dockerd this script did not start answers on $DOCKER_SOCK; stop it first"
                return 1
        else
                [ -f "$RH_ENGINE_DIR/daemon.json" ] || echo '{}' >"$RH_ENGINE_DIR/daemon.json"
                # shellcheck disable=SC2086 # RH_DOCKERD_FLAGS is a list of words
                detached dockerd --containerd="$CONTAINERD_SOCK" --config-file "$RH_ENGINE_DIR/daemon.json" \
                        ${RH_DOCKERD_FLAGS:-} >"$RH_ENGINE_DIR/dockerd.log" 2>&1 </dev/null &
                echo $! >"$RH_ENGINE_DIR/dockerd.pid"
                wait_for dockerd 60 docker_up
        fi
        log "containerd and dockerd are up (config $RH_ENGINE_DIR/daemon.json)"
}

# stop_one NAME: TERM, up to 30 s, then KILL; only the recorded pid.
stop_one() {
        local f=$RH_ENGINE_DIR/$1.pid pid n=150
        [ -f "$f" ] || return 0
        pid=$(cat "$f")
        if kill -0 "$pid" 2>/dev/null; then
                kill -TERM "$pid" 2>/dev/null || true
                while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
                        sleep 0.2
                        n=$((n - 1))
                done
                kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        fi
        rm -f "$f"
}

stop() {
        [ -d "$RH_ENGINE_DIR" ] || return 0
        if pid_alive "$RH_ENGINE_DIR/dockerd.pid"; then
                # A test that died in the middle may have left a swarm.
                "$DOCKER" swarm leave --force >/dev/null 2>&1 || true
        fi
        stop_one dockerd
        stop_one containerd
        # The shims of containers still running outlive containerd; they
        # are the tests' and end with their containers.
        rm -f "$RH_ENGINE_DIR/daemon.json" "$RH_ENGINE_DIR/daemon.json.bak" "$RH_ENGINE_DIR"/*.log
        rmdir "$RH_ENGINE_DIR" 2>/dev/null || true
}

reload() {
        pid_alive "$RH_ENGINE_DIR/dockerd.pid" || { log "dockerd is not running"; return 1; }
        kill -HUP "$(cat "$RH_ENGINE_DIR/dockerd.pid")"
}

restart_dockerd() {
        pid_alive "$RH_ENGINE_DIR/dockerd.pid" || { log "dockerd is not running"; return 1; }
        stop_one dockerd
        start
}

status() {
        containerd_up && docker_up && pid_alive "$RH_ENGINE_DIR/dockerd.pid"
}

case "${1:-}" in
install | start | stop | reload | status) "$1" ;;
restart-dockerd) restart_dockerd ;;
*)
        echo "usage: $0 install|start|stop|reload|restart-dockerd|status" >&2
        exit 2
        ;;
esac
