# shellcheck shell=bash
# Sourced by the engine tests that run engines of their own as "nodes":
# daemons started in namespaces that only their processes hold (no name in
# /run/netns, nothing on the host's network, mounts that end with the mount
# namespace), and taken down by what they are, never by a process name.

# wait_own_netns PID: until PID (just started through unshare) is in a
# network namespace of its own; nothing may be moved into it before.
wait_own_netns() {
        local _
        for _ in $(seq 100); do
                [ "$(readlink "/proc/$1/ns/net")" != "$(readlink /proc/self/ns/net)" ] && return 0
                sleep 0.02
        done
        return 1
}

# netns_members NET_LINK: the pids whose network namespace is NET_LINK (as
# readlink /proc/PID/ns/net shows it: "net:[INODE]").
netns_members() {
        local p
        for p in /proc/[0-9]*; do
                [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
        done
        return 0
}

# stop_pid PID SECONDS: TERM, then KILL after SECONDS.
stop_pid() {
        local pid=$1 n=$(($2 * 10))
        kill -TERM "$pid" 2>/dev/null || return 0
        while kill -0 "$pid" 2>/dev/null && [ "$n" -gt 0 ]; do
                sleep 0.1
                n=$((n - 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
}

# stop_netns NET_LINK: every process in that network namespace stopped,
# those a dying daemon forked after the first look too (a loaded machine
# showed one).
stop_netns() {
        local p _
        [ -n "$1" ] || return 0
        for _ in 1 2 3 4 5 6 7 8 9 10; do
                for p in $(netns_members "$1"); do
                        stop_pid "$p" 5
                done
                [ -z "$(netns_members "$1")" ] && return 0
                sleep 0.5
        done
        return 0 # what is left, the caller's assertion shows
}

# cgroup_dirs NAME: the cgroup directories named NAME at the top of each
# hierarchy (cgroup v1) or of the unified one, and all below them, deepest
# first.
cgroup_dirs() {
        find /sys/fs/cgroup -maxdepth 2 -type d -name "$1" 2>/dev/null |
                while read -r d; do find "$d" -depth -type d; done
}

# remove_cgroups NAME: the processes left in those cgroups (containers whose
# shim is gone) killed, the directories removed.
remove_cgroups() {
        local d p _
        [ -n "$1" ] || return 0
        for _ in 1 2 3 4 5; do
                for d in $(cgroup_dirs "$1"); do
                        for p in $(cat "$d/cgroup.procs" 2>/dev/null); do
                                kill -KILL "$p" 2>/dev/null || true
                        done
                        rmdir "$d" 2>/dev/null || true
                done
                [ -z "$(cgroup_dirs "$1")" ] && return 0
                sleep 0.5
        done
        return 1
}

# An interrupted test (meson's timeout sends TERM) still cleans up: the
# scripts' EXIT traps run on exit, not on a signal that kills the shell.
trap 'exit 143' TERM
trap 'exit 130' INT
