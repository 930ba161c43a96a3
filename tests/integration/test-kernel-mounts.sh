#!/bin/bash
# kernel-mounts on the real runc: with the rule off, a second proc, a
# writable cgroup mount, a remount, a bind of a proc "volume", an rbind of
# /sys/fs/cgroup and a cgroupsPath another process uses each show their
# effect from inside the container; with the rule on, runc-harden refuses
# each at create and runc makes no container. Docker's and podman's own
# default specs still run, and a proc at /proc still gets masked.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# kmounts_policy FILE ACTION [RULE...]: the built-in policy with
# kernel-mounts at ACTION, the RULEs at their defaults, every other rule
# off (spec-invalid cannot be).
kmounts_policy() {
        local file=$1 action=$2
        shift 2
        "$RUNC_HARDEN" policy show --level baseline |
                jq --arg a "$action" --arg audit "$T/audit.log" --argjson keep "$(json_array spec-invalid "$@")" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if .key == "kernel-mounts" then .value.action = $a
                                elif (.key | IN($keep[])) then . else .value.action = "off" end)' >"$file"
}
kmounts_policy "$T/on.json" deny
# The controls show what runc does: the post-create check (verify), which
# would find most of it in the container and kill it, is off there too.
kmounts_policy "$T/off.json" off
jq '.verify = false' "$T/off.json" >"$T/off.json.new" && mv "$T/off.json.new" "$T/off.json"
RH_POLICY=$T/on.json

# bundle DIR SCRIPT: a bundle running sh -c SCRIPT.
bundle() {
        rm -rf "$1"
        make_bundle "$1" sh -c "$2"
}

# add_mount DIR JSON: appends a mount.
add_mount() {
        spec_set "$1" '.mounts += [$m]' --argjson m "$2"
}

# shown_with_rule_off DIR WHAT: runs the bundle with the rule off ($out).
shown_with_rule_off() {
        local id
        new_id id
        RH_POLICY=$T/off.json assert_ok "$2: with the rule off, it runs" rh run --bundle "$1" "$id"
}

# refused DIR POINTER WORDS WHAT: with the rule on, run is refused by
# kernel-mounts at POINTER, and runc made no container.
refused() {
        local b=$1 pointer=$2 words=$3 what=$4 id
        new_id id
        assert_status 1 "$what: with the rule on, run exits 1" rh run --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: kernel-mounts: $pointer" "$what: stderr names the rule and $pointer"
        assert_contains "$err" "$words" "$what: the message says $words"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
}

# index of the mount that add_mount appends next
next_mount() {
        spec_get "$1" '.mounts | length'
}

# ------------------------------------------------------------------ proc

test_a_second_proc_exposes_core_pattern_and_is_refused() {
        # core_pattern is written back unchanged: proof of writing, no effect
        bundle "$TD/b" 'grep " /p " /proc/self/mountinfo
                v=$(cat /p/sys/kernel/core_pattern)
                printf "%s\n" "$v" >/p/sys/kernel/core_pattern && echo core_pattern=written
                printf "%s\n" "$v" 2>/dev/null >/proc/sys/kernel/core_pattern || echo proc_core_pattern=read-only
                printf "keys=%s\n" "$(wc -c </p/keys)"'
        local n
        n=$(next_mount "$TD/b")
        add_mount "$TD/b" '{"destination": "/p", "type": "proc", "source": "proc"}'
        shown_with_rule_off "$TD/b" "a second proc at /p"
        assert_match "$out" " /p rw[, ].* - proc " "inside: /p is a writable proc mount"
        assert_contains "$out" "core_pattern=written" "inside: the host's core_pattern was written through /p/sys"
        assert_contains "$out" "proc_core_pattern=read-only" "inside: /proc/sys/kernel/core_pattern is not"
        assert_match "$out" "keys=[1-9]" "inside: /p/keys shows the host's keys (unmasked)"
        refused "$TD/b" "/mounts/$n/destination" "second proc at /p" "a second proc"
}

test_a_proc_at_proc_spelled_otherwise_runs_and_is_masked() {
        # masked-paths on too: the proc the container gets is the masked one
        kmounts_policy "$T/masked.json" deny masked-paths
        bundle "$TD/b" 'printf "keys=%s\n" "$(wc -c </proc/keys)"
                grep -q " /proc/sys ro," /proc/self/mountinfo && echo sys=read-only'
        spec_set "$TD/b" '.mounts[0].destination = "//proc/./"'
        local id
        new_id id
        RH_POLICY=$T/masked.json assert_ok "proc at //proc/./ runs" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "keys=0" "inside: /proc/keys is masked"
        assert_contains "$out" "sys=read-only" "inside: /proc/sys is read-only"
        assert_not_contains "$(without_details "$err")" "kernel-mounts" "no kernel-mounts finding"
}

# ---------------------------------------------------------------- cgroups

CGROUP_PROBE='grep " /sys/fs/cgroup/memory " /proc/self/mountinfo
        cat /sys/fs/cgroup/memory/memory.limit_in_bytes
        echo 134217728 >/sys/fs/cgroup/memory/memory.limit_in_bytes && echo raised
        cat /sys/fs/cgroup/memory/memory.limit_in_bytes'

test_a_writable_cgroup_mount_lets_the_container_raise_its_limit_and_is_refused() {
        [ -d /sys/fs/cgroup/memory ] || { pass "no cgroup v1 memory hierarchy here: nothing to show"; return; }
        local opts n
        for opts in '["nosuid", "noexec", "nodev"]' '["ro", "rw"]' '["rro"]'; do
                bundle "$TD/b" "$CGROUP_PROBE"
                spec_set "$TD/b" '.linux.resources.memory = {"limit": 67108864}
                        | .mounts |= map(if .type == "cgroup" then .options = $o else . end)' --argjson o "$opts"
                n=$(spec_get "$TD/b" '.mounts | map(.type) | index("cgroup")')
                shown_with_rule_off "$TD/b" "cgroup with $opts"
                assert_match "$out" "/sys/fs/cgroup/memory rw," "inside ($opts): the memory cgroup is mounted writable"
                assert_contains "$out" $'67108864\nraised\n134217728' "inside ($opts): the container raised its own 64 MiB limit to 128 MiB"
                refused "$TD/b" "/mounts/$n/options" "read-write" "cgroup with $opts"
        done
}

test_a_read_only_cgroup_mount_runs_and_stays_read_only() {
        [ -d /sys/fs/cgroup/memory ] || { pass "no cgroup v1 memory hierarchy here"; return; }
        local id
        bundle "$TD/b" "$CGROUP_PROBE"
        spec_set "$TD/b" '.linux.resources.memory = {"limit": 67108864}'
        new_id id
        assert_ok "runc spec's cgroup mount (ro) runs" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "/sys/fs/cgroup/memory ro," "inside: the memory cgroup is read-only"
        assert_not_contains "$out" "raised" "inside: the limit cannot be raised"
}

test_a_writable_cgroup_in_a_user_namespace_runs_and_cannot_be_written() {
        [ -d /sys/fs/cgroup/memory ] || { pass "no cgroup v1 memory hierarchy here"; return; }
        local id
        # the container's root is host uid 100000: it must reach its rootfs
        chmod o+x "$T" "$TD"
        bundle "$TD/b" "$CGROUP_PROBE"
        # as Docker writes it under userns-remap: the cgroup mount without ro
        spec_set "$TD/b" '.linux.resources.memory = {"limit": 67108864}
                | .linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
                | .mounts |= map(if .type == "cgroup" then .options = ["nosuid", "noexec", "nodev"] else . end)'
        new_id id
        assert_ok "a writable cgroup mount under a user namespace runs" rh run --bundle "$TD/b" "$id"
        assert_match "$out" "/sys/fs/cgroup/memory rw," "inside: the memory cgroup is mounted writable"
        assert_not_contains "$out" "raised" "inside: the container's root (host uid 100000) cannot raise the limit"
        assert_contains "$err" "Permission denied" "inside: the write is refused by the file's owner"
}

test_a_remount_makes_sys_writable_and_is_refused() {
        local n
        bundle "$TD/b" 'grep " /sys " /proc/self/mountinfo'
        n=$(next_mount "$TD/b")
        add_mount "$TD/b" '{"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["remount", "rw"]}'
        shown_with_rule_off "$TD/b" "a remount of /sys"
        assert_match "$out" " /sys rw[, ].* - sysfs sysfs rw" "inside: /sys, mounted read-only, was made writable"
        refused "$TD/b" "/mounts/$n/options" 'remounts /sys (option "remount")' "a remount of /sys"
}

# ------------------------------------------------------------------ binds

# The probes below run with proc mounted under $T: in a mount namespace of
# their own, so that nothing is left mounted under $T when it is removed.
in_private_mounts() {
        unshare -m --propagation private "$@"
}

# with_proc_at DIR CMD...: CMD with a proc mounted at DIR.
with_proc_at() {
        in_private_mounts bash -c 'mount -t proc proc "$1" && shift && exec "$@"' _ "$@"
}

test_a_bind_of_a_proc_volume_shows_host_processes_and_is_refused() {
        local vol=$T/volumes/pv/_data n canary id
        mkdir -p "$vol"
        # a host process the container should never see
        (exec -a "rh-kmounts-canary-$$" sleep 1000) &
        canary=$!
        bundle "$TD/b" "grep -l rh-kmounts-canary-$$ /v/[0-9]*/cmdline 2>/dev/null | head -1
                v=\$(cat /v/sys/kernel/core_pattern); printf '%s\\n' \"\$v\" >/v/sys/kernel/core_pattern && echo core_pattern=written"
        n=$(next_mount "$TD/b")
        add_bind "$TD/b" "$vol" /v
        # what `docker volume create --opt type=proc --opt device=proc` makes
        new_id id
        capture with_proc_at "$vol" "$RUNC_HARDEN" --harden-policy "$T/off.json" --root "$STATE" run --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "with the rule off, a bind of the proc volume runs"
        assert_contains "$out" "/v/$canary/cmdline" "inside: the host's canary process (pid $canary) is visible"
        assert_contains "$out" "core_pattern=written" "inside: the host's core_pattern was written (back, unchanged)"
        new_id id
        capture with_proc_at "$vol" "$RUNC_HARDEN" --harden-policy "$T/on.json" --root "$STATE" run --bundle "$TD/b" "$id"
        assert_eq 1 "$rc" "with the rule on, run exits 1"
        assert_contains "$err" "kernel-mounts: /mounts/$n/source: binds $vol, which is the host's proc" \
                "the message names the volume's path and what it is"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        kill "$canary" 2>/dev/null || true
        wait "$canary" 2>/dev/null || true
        assert_eq "" "$(grep " $T/" /proc/self/mountinfo || true)" "nothing is left mounted under the test's directory"
}

test_an_rbind_of_sys_fs_cgroup_leaves_submounts_writable_and_is_refused() {
        [ -d /sys/fs/cgroup/memory ] || { pass "no cgroup v1 hierarchies below /sys/fs/cgroup here"; return; }
        local n id
        # moving itself into the host's root memory cgroup escapes its limit
        bundle "$TD/b" 'grep " /cg/memory " /proc/self/mountinfo
                echo $$ >/cg/memory/cgroup.procs && grep ":memory:" /proc/self/cgroup; true'
        n=$(next_mount "$TD/b")
        # docker run -v /sys/fs/cgroup:/cg:ro
        add_mount "$TD/b" '{"destination": "/cg", "type": "bind", "source": "/sys/fs/cgroup", "options": ["rbind", "ro"]}'
        cp -r "$TD/b" "$TD/rro"
        shown_with_rule_off "$TD/b" "an rbind of /sys/fs/cgroup, ro"
        assert_match "$out" " /cg/memory rw," "inside: the host's memory hierarchy below /cg is writable"
        assert_match "$out" $'\n''[0-9]+:memory:/$' "inside: the container moved itself into the host's root memory cgroup"
        # (the policy here has kernel-mounts alone: recursive-readonly, which
        # would add "rro", is off)
        refused "$TD/b" "/mounts/$n/options" "cgroup mounts from below it" "an rbind of /sys/fs/cgroup, ro"
        spec_set "$TD/rro" '.mounts[-1].options = ["rbind", "rro"]'
        new_id id
        assert_ok "with rro it runs" rh run --bundle "$TD/rro" "$id"
        assert_match "$out" " /cg/memory ro," "inside: with rro the hierarchy below is read-only"
        assert_not_contains "$out" ":memory:" "inside: it cannot move itself"
        assert_contains "$err" "Read-only file system" "inside: cgroup.procs is on a read-only mount"
}

# ------------------------------------------------------------ cgroupsPath

test_a_cgroups_path_another_process_uses_is_joined_and_is_refused() {
        local h=/sys/fs/cgroup/pids cg=rh-it-kmounts-$$ sleeper id
        [ -d "$h" ] || { pass "no cgroup v1 pids hierarchy here"; return; }
        mkdir "$h/$cg"
        sleep 1000 &
        sleeper=$!
        echo "$sleeper" >"$h/$cg/cgroup.procs"
        bundle "$TD/b" 'grep pids /proc/self/cgroup; sleep 1000'
        spec_set "$TD/b" '.linux.cgroupsPath = $p' --arg p "/$cg"
        new_id id
        RH_POLICY=$T/off.json assert_ok "with the rule off, create joins it" rh create --bundle "$TD/b" "$id"
        local pid
        pid=$(runc_ state "$id" | jq .pid)
        assert_eq "$(printf '%s\n' "$sleeper" "$pid" | sort -n)" "$(sort -n "$h/$cg/cgroup.procs")" \
                "on the host: the container's process is in the other process's cgroup"
        runc_ delete --force "$id" >/dev/null 2>&1 || true
        refused "$TD/b" "/linux/cgroupsPath" "a cgroup that 1 process already uses" "a cgroup in use"
        spec_set "$TD/b" '.linux.cgroupsPath = $p' --arg p "/$cg/nested"
        refused "$TD/b" "/linux/cgroupsPath" "count against their limits" "a cgroup below one in use"
        spec_set "$TD/b" '.linux.cgroupsPath = "/"'
        refused "$TD/b" "/linux/cgroupsPath" "the root cgroup of every hierarchy" "the root cgroup"
        spec_set "$TD/b" '.linux.cgroupsPath = "a/../.."'
        refused "$TD/b" "/linux/cgroupsPath" "its own cgroup, the engine's" "runc's own cgroup"
        kill "$sleeper"
        wait "$sleeper" 2>/dev/null || true
        rmdir /sys/fs/cgroup/*/"$cg" 2>/dev/null || true
        assert_eq "" "$(ls -d /sys/fs/cgroup/*/"$cg" 2>/dev/null || true)" "the test's cgroups are gone"
}

# ------------------------------------------------------------- engines

# corpus_bundle DIR FILE ID: the engine's spec on a busybox bundle: its mounts,
# masks and cgroup options as the engine wrote them; its own files (binds
# of the engine's state, hooks, the image path) replaced by the bundle's.
corpus_bundle() {
        rm -rf "$1"
        make_bundle "$1" sh -c 'grep -E " /(proc|sys|sys/fs/cgroup/memory|dev/mqueue|dev/pts) " /proc/self/mountinfo'
        jq --slurpfile b "$1/config.json" '
                .root = {"path": "rootfs", "readonly": true} | .process = $b[0].process | del(.hooks)
                | .process.noNewPrivileges = true | del(.process.apparmorProfile)
                | .linux.namespaces = $b[0].linux.namespaces | .linux.cgroupsPath = $cg
                | .mounts |= map(select(.type != "bind"))' --arg cg "/rh-it-kmounts-$$-$3" "$2" >"$1/config.json.new"
        mv "$1/config.json.new" "$1/config.json"
}

test_docker_and_podman_default_specs_run() {
        local f id
        for f in docker/default.json podman/default.json; do
                new_id id
                corpus_bundle "$TD/e" "$RH_CORPUS/$f" "$id"
                assert_ok "$f runs with the rule on" rh run --bundle "$TD/e" "$id"
                assert_not_contains "$(without_details "$err")" "kernel-mounts" "$f: no kernel-mounts finding"
                assert_match "$out" " /proc rw,[^ ]* - proc " "$f inside: proc at /proc"
                assert_match "$out" " /sys ro,[^ ]* - sysfs " "$f inside: sysfs at /sys, read-only"
                if [ -d /sys/fs/cgroup/memory ]; then
                        assert_match "$out" " /sys/fs/cgroup/memory ro," "$f inside: the cgroup mount is read-only"
                fi
                assert_match "$out" " /dev/mqueue [^ ]* - mqueue " "$f inside: mqueue at /dev/mqueue"
        done
}

run_tests
