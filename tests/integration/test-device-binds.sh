#!/bin/bash
# linux.devices as host bind sources, on the real runc. With a user
# namespace runc 1.1.5 makes no device nodes: it binds the host's file at
# each entry's path (writable) onto that path in the container. With the
# rules off and no verification, a host terminal and host files listed as
# devices are reached from inside; with the rules on the spec layer refuses
# them at create, and with the spec judged clean (the entries added after
# the judgement) the verification refuses what runc built.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

RULES='["spec-invalid", "devices", "kernel-mounts", "engine-socket", "sensitive-mount"]'

# dev_policy FILE ACTION VERIFY: the built-in policy with the rules above at
# their defaults (ACTION on) or off, verification VERIFY, every other rule
# off; engine-socket also guards $T/api.sock.
dev_policy() {
        "$RUNC_HARDEN" policy show |
                jq --arg a "$2" --argjson v "$3" --argjson keep "$RULES" --arg audit "$T/audit.log" \
                        --arg sock "$T/api.sock" '
                        .["audit-log"] = $audit | .verify = $v
                        | .rules["engine-socket"].params.sockets += [$sock]
                        | .rules |= with_entries(if (.key | IN($keep[])) then
                                (if $a == "off" and .key != "spec-invalid" then .value.action = "off" else . end)
                                else .value.action = "off" end)' >"$1"
}
dev_policy "$T/spec.json" on false
dev_policy "$T/verify.json" on true
dev_policy "$T/off.json" off false
dev_policy "$T/verify-only.json" off true
RH_POLICY=$T/spec.json

# userns_bundle DIR SCRIPT: a bundle running sh -c SCRIPT as host uid
# 100000 in a user namespace, without a devpts at /dev/pts (the container's
# /dev/pts/N is then a plain path on its /dev tmpfs).
userns_bundle() {
        chmod o+x "$T" "$TD"
        rm -rf "$1"
        make_bundle "$1" sh -c "$2"
        # runc makes the directories of a device's path as the container's root
        chown 100000:100000 "$1/rootfs/tmp"
        spec_set "$1" '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .mounts |= map(select(.destination != "/dev/pts"))'
}

# three_ways DIR DEVICES WHAT CHECK_EFFECT SPEC_WORDS HOW VERIFY_WORDS: with
# the rules off the bundle with DEVICES runs and CHECK_EFFECT (a function)
# shows what it reached; with the rules on, create is refused at
# /linux/devices/0/path with SPEC_WORDS; the verification refuses with
# VERIFY_WORDS when the spec layer did not see the entries (HOW "added":
# the entries are added after the judgement, the rules on) or did not
# judge them (HOW "rules-off": the rules off, what runc built is not what
# the spec says).
three_ways() {
        local b=$1 devs=$2 what=$3 effect=$4 swords=$5 how=$6 vwords=$7 id
        spec_set "$b" '.linux.devices = $d' --argjson d "$devs"
        new_id id
        RH_POLICY=$T/off.json assert_ok "$what: with the rules off it runs" rh run --bundle "$b" "$id"
        "$effect"
        new_id id
        assert_status 1 "$what: with the rules on, create exits 1" rh create --bundle "$b" "$id"
        assert_contains "$err" "denied by policy: " "$what: the spec layer refuses it"
        assert_contains "$err" "/linux/devices/0/path: " "$what: the message names the entry's path"
        assert_contains "$err" "$swords" "$what: the message says $swords"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
        new_id id
        if [ "$how" = added ]; then
                # the spec judged without the entries; runc gets them afterwards
                spec_set "$b" 'del(.linux.devices)'
                prepared_runtime "$TD/rt" "jq --argjson d '$devs' '.linux.devices = \$d' '$b/config.json' >'$b/c.new' && mv '$b/c.new' '$b/config.json'"
                capture rh --harden-policy "$T/verify.json" --harden-runtime "$TD/rt" create --bundle "$b" "$id"
        else
                capture rh --harden-policy "$T/verify-only.json" create --bundle "$b" "$id"
        fi
        assert_eq 1 "$rc" "$what: verified, create exits 1"
        assert_match "$err" "runc-harden: container [^:]+: /proc/[0-9]+/mountinfo: " "$what: the verification refuses it"
        assert_contains "$err" "$vwords" "$what: the verification says $vwords"
        assert_not_contains "$err" "denied by policy" "$what: the spec layer let it through"
        assert_eq absent "$(container_status "$id")" "$what: nothing of the container is left"
}

# ------------------------------------------------------------- terminals

# host_pty: opens a pty on the host as a login session of host uid 100000
# would have it; $PTS names its slave, and whatever the container writes
# into it lands in $T/pty.out (the master side).
host_pty() {
        rm -f "$T/pty.name" "$T/pty.out"
        python3 - "$T/pty" <<'PY' &
import os, pty, select, sys, time
m, s = pty.openpty()
name = os.ttyname(s)
os.chown(name, 100000, 5)
os.chmod(name, 0o620)
open(sys.argv[1] + '.name', 'w').write(name)
end, got = time.time() + 60, b''
while time.time() < end:
    if select.select([m], [], [], 0.2)[0]:
        got += os.read(m, 4096)
        open(sys.argv[1] + '.out', 'wb').write(got)
PY
        PTY_PID=$!
        wait_for test -s "$T/pty.name" || fail "the host pty was opened"
        PTS=$(cat "$T/pty.name")
}

pty_effect() {
        wait_for grep -q CONTAINER-WROTE-THIS "$T/pty.out" 2>/dev/null
        assert_contains "$out" "$PTS rw" "inside: $PTS is a writable mount (mountinfo)"
        assert_match "$out" " - devpts " "inside: it is the host's devpts"
        assert_contains "$(cat "$T/pty.out" 2>/dev/null)" CONTAINER-WROTE-THIS \
                "on the host: the pty's master read what the container wrote"
}

test_a_host_terminal_listed_as_a_device_is_written_and_is_refused() {
        host_pty
        local n=${PTS#/dev/pts/}
        userns_bundle "$TD/b" "grep \" $PTS \" /proc/self/mountinfo; echo CONTAINER-WROTE-THIS >$PTS"
        three_ways "$TD/b" "[{\"path\": \"$PTS\", \"type\": \"c\", \"major\": 136, \"minor\": $n}]" \
                "the host pty $PTS" pty_effect "kernel-mounts: /linux/devices/0/path: lists the device $PTS" added \
                "$PTS is the host's devpts, its node /$n (its terminals)"
        kill "$PTY_PID" 2>/dev/null || true
        wait "$PTY_PID" 2>/dev/null || true
}

# ------------------------------------------------------------ host files

file_effect() {
        assert_eq CONTAINER-WROTE-THIS "$(cat "$T/secret")" "on the host: the container overwrote $T/secret"
        assert_match "$out" "(^|$'\n')s[rwx-]{9} .*$T/api.sock" "inside: the host's API socket is there"
}

test_a_host_file_and_socket_listed_as_devices_are_reached_and_refused() {
        echo host-secret >"$T/secret"
        chown 100000:100000 "$T/secret"
        python3 -c 'import socket, sys, time; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(); time.sleep(60)' \
                "$T/api.sock" &
        local sock_pid=$!
        wait_for test -S "$T/api.sock" || fail "the host socket is there"
        userns_bundle "$TD/b" "echo CONTAINER-WROTE-THIS >$T/secret; ls -l $T/api.sock"
        three_ways "$TD/b" "[{\"path\": \"$T/secret\", \"type\": \"c\", \"major\": 1, \"minor\": 3},
                {\"path\": \"$T/api.sock\", \"type\": \"c\", \"major\": 1, \"minor\": 5}]" \
                "a host file and socket" file_effect \
                "devices: /linux/devices/0/path: names $T/secret, which is the host's $T/secret and no device node" \
                rules-off "$T/secret, a device of linux.devices (c 1:3), is another file in the container"
        assert_contains "$err" "$T/api.sock, a device of linux.devices (c 1:5), is another file" \
                "verified: the socket is refused too"
        kill "$sock_pid" 2>/dev/null || true
        wait "$sock_pid" 2>/dev/null || true
}

# Without a user namespace runc makes the node, but binds the host's file
# when mknod fails with EPERM: an mqueue mounted where the node goes takes
# the file (a queue) but not the node.
test_without_a_user_namespace_an_mqueue_makes_runc_bind_the_host_file() {
        local id
        mkdir -p "$T/q"
        echo host-queue-file >"$T/q/x"
        rm -rf "$TD/b"
        make_bundle "$TD/b" sh -c "grep \" $T/q/x \" /proc/self/mountinfo; cat $T/q/x"
        spec_set "$TD/b" '.mounts += [{"destination": $q, "type": "mqueue", "source": "mqueue"}]
                | .linux.devices = [{"path": $x, "type": "c", "major": 1, "minor": 3}]' --arg q "$T/q" --arg x "$T/q/x"
        new_id id
        RH_POLICY=$T/off.json assert_ok "with the rules off it runs" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "host-queue-file" "inside: the host's $T/q/x, bound over the queue runc made"
        new_id id
        assert_status 1 "with the rules on, create exits 1" rh create --bundle "$TD/b" "$id"
        assert_contains "$err" "devices: /linux/devices/0/path: names $T/q/x" "the devices rule refuses it"
        assert_contains "$err" "wherever mknod fails" "the message says when runc binds"
}

test_the_hosts_device_nodes_run_in_a_user_namespace() {
        local id
        userns_bundle "$TD/b" 'ls -l /dev/zero /dev/null; head -c 4 /dev/zero | wc -c'
        spec_set "$TD/b" '.linux.devices = [{"path": "/dev/zero", "type": "c", "major": 1, "minor": 5},
                {"path": "/dev/null", "type": "c", "major": 1, "minor": 3}]
                | .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rw"},
                        {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]'
        new_id id
        RH_POLICY=$T/verify.json assert_ok "zero and null, verified, run" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "crw-rw-rw- .* 1, +5 .*/dev/zero" "inside: /dev/zero is c 1:5"
        assert_contains "$out" $'\n4' "inside: it reads"
        assert_eq "" "$err" "nothing is reported"
}

run_tests
