#!/bin/bash
# Every fix produces a spec that runc runs, on the root file systems where
# fixes used to break: a minimal one (busybox alone, no /tmp, no /run) and
# one that a user namespace does not own (runc cannot create mountpoints
# in it). Each rule with a fix runs alone on a spec that needs it, and the
# effect is read from inside the container; then all of them together.
# Where a fix cannot work (an image whose /run a user namespace cannot
# copy), the container is refused at create with the reason.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "runs containers with user namespaces as root"
[ -e /proc/self/ns/user ] || skip_all "no user namespaces"

# The container's root (uid 100000 on the host) must reach its root file
# system in the test's directory.
chmod 755 "$T"

B=/bin/busybox
# What the container reports, one key=value a line; busybox applets are
# called by name (a minimal root has no links to them).
PROBE="$B touch /rh-probe 2>/dev/null && echo root=rw || echo root=ro
for d in /run /tmp; do
        if [ -d \$d ]; then $B touch \$d/rh-probe 2>/dev/null && echo \$d=rw || echo \$d=ro; else echo \$d=absent; fi
done
$B sed -n 's/^\\(NoNewPrivs\\|Seccomp\\|CapEff\\):[[:space:]]*/\\1=/p' /proc/self/status
echo keys-masked=\$($B grep -c ' /proc/keys ' /proc/self/mountinfo)
echo proc-sys=\$($B grep ' /proc/sys ' /proc/self/mountinfo | $B cut -d' ' -f6 | $B cut -d, -f1)
$B awk '/^Max open files/ {print \"nofile=\" \$4 \":\" \$5} /^Max processes/ {print \"nproc=\" \$3 \":\" \$4}' /proc/self/limits
c=/sys/fs/cgroup
if [ -e \$c/cgroup.controllers ]; then
        echo memory=\$($B cat \$c/memory.max) pids=\$($B cat \$c/pids.max) quota=\$($B cut -d' ' -f1 \$c/cpu.max)
else
        echo memory=\$($B cat \$c/memory/memory.limit_in_bytes) pids=\$($B cat \$c/pids/pids.max)
        echo quota=\$($B cat \$c/cpu/cpu.cfs_quota_us) shares=\$($B cat \$c/cpu/cpu.shares)
fi"

# make_root KIND DIR: the container's root file system.
#   minimal   busybox alone
#   userns    busybox and the spec's own mountpoints (/proc, /sys, /dev),
#             owned by the host's root: a user namespace does not own it
#   image     userns plus a Debian-like /run (with /run/lock) and /tmp
make_root() {
        local r=$2
        mkdir -p "$r/bin"
        cp /bin/busybox "$r/bin/busybox"
        [ "$1" = minimal ] && return 0
        mkdir -p "$r/proc" "$r/sys" "$r/dev"
        [ "$1" = userns ] && return 0
        mkdir -p "$r/run/lock" "$r/tmp"
        chmod 1777 "$r/run/lock" "$r/tmp"
        echo 1 >"$r/run/lock/.keep"
}

# USERNS_SIZE: how many ids the user namespace maps (from host 100000).
USERNS_SIZE=65536

# fix_bundle KIND DIR: a `runc spec` bundle on that root, running PROBE;
# with a user namespace for every kind but minimal.
fix_bundle() {
        local kind=$1 b=$2
        make_root "$kind" "$b/rootfs"
        (cd "$b" && "$REAL_RUNC" spec)
        spec_set "$b" '.process.terminal = false | .process.args = [$b, "sh", "-c", $p]' --arg b "$B" --arg p "$PROBE"
        [ "$kind" = minimal ] && return 0
        spec_set "$b" '.linux.namespaces += [{"type": "user"}]
                | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": $n}]
                | .linux.gidMappings = .linux.uidMappings' --argjson n "$USERNS_SIZE"
}

# only_rule RULE: a policy with RULE alone (and spec-invalid), at fix.
only_rule() {
        "$RUNC_HARDEN" policy show --level baseline | jq --arg r "$1" --arg audit "$T/audit.log" '
                .["audit-log"] = $audit
                | .rules |= with_entries(if .key == $r then .value.action = "fix"
                        elif .key == "spec-invalid" then . else .value.action = "off" end)' >"$TD/only-$1.json"
        echo "$TD/only-$1.json"
}

# What each rule's spec lacks, and what shows its fix from inside.
declare -A BREAK=(
        [readonly-rootfs]='.root.readonly = false'
        [no-new-privileges]='.process.noNewPrivileges = false'
        [masked-paths]='.linux.maskedPaths = [] | .linux.readonlyPaths = []'
        [seccomp]='del(.linux.seccomp)'
        [capabilities]='.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
        [memory-limit]='del(.linux.resources.memory)'
        [cpu-quota]='del(.linux.resources.cpu)'
        [cpu-priority]='.linux.resources.cpu.shares = 5000'
        [pids-limit]='del(.linux.resources.pids)'
        [nofile-limit]='del(.process.rlimits)'
        [nproc-limit]='del(.process.rlimits)'
)
declare -A SHOWS=(
        [readonly-rootfs]='root=ro'
        [no-new-privileges]='NoNewPrivs=1'
        [masked-paths]='keys-masked=1'
        [seccomp]='Seccomp=2'
        [capabilities]='CapEff=0000000020000420'
        [memory-limit]='memory=1073741824'
        [cpu-quota]='quota=100000'
        [cpu-priority]='shares=2048'
        [pids-limit]='pids=1024'
        [nofile-limit]='nofile=1024:'
        [nproc-limit]='nproc=512:512'
)
FIX_RULES=(readonly-rootfs no-new-privileges masked-paths seccomp capabilities memory-limit cpu-quota cpu-priority
        pids-limit nofile-limit nproc-limit)

# every rule with a fix function is in FIX_RULES (the registry is the source)
test_every_rule_with_a_fix_is_run_here() {
        local have
        have=$(grep -l '\.fix = ' "$RH_SRC"/policy/rules/*.c | xargs grep -h -B9 '\.fix = ' | sed -n 's/.*\.id = "\([^"]*\)".*/\1/p' |
                grep -v -e '^apparmor$' -e '^selinux$' -e '^exec-rlimits$' -e '^recursive-readonly$' | sort |
                tr '\n' ' ')
        assert_eq "$(printf '%s\n' "${FIX_RULES[@]}" | sort | tr '\n' ' ')" "$have" \
                "the rules with a fix (but the LSM ones, which this kernel cannot run, exec-rlimits, below, and
                recursive-readonly, which needs a mount below a bind: test-hostpath.sh runs it both ways)"
}

# run_fixed KIND RULE: RULE alone fixes a spec that lacks what it wants,
# on a KIND root; runc runs it, and the effect shows inside.
run_fixed() {
        local kind=$1 rule=$2 id
        new_id id
        rm -rf "$TD/b"
        fix_bundle "$kind" "$TD/b"
        spec_set "$TD/b" "${BREAK[$rule]}"
        RH_POLICY=$(only_rule "$rule")
        assert_ok "$kind root: runc runs what $rule fixed" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" "$rule" "" "$kind root: $rule fixed it"
        assert_contains "$out" "${SHOWS[$rule]}" "$kind root: inside, ${SHOWS[$rule]}"
}

test_each_fix_runs_on_a_minimal_root() {
        local r
        for r in "${FIX_RULES[@]}"; do
                run_fixed minimal "$r"
        done
        assert_contains "$out" "/tmp=absent" "no /tmp was made in the minimal root"
}

test_each_fix_runs_with_a_user_namespace_that_does_not_own_the_root() {
        local r
        for r in "${FIX_RULES[@]}"; do
                run_fixed userns "$r"
        done
}

test_the_readonly_fix_keeps_an_images_run_and_tmp_writable_in_a_user_namespace() {
        run_fixed image readonly-rootfs
        assert_contains "$out" "/run=rw" "/run is writable (a tmpfs with the image's content)"
        assert_contains "$out" "/tmp=rw" "/tmp is writable"
        assert_eq '["/run tmpcopyup","/tmp"]' "$(spec_get "$TD/b" '[.mounts[] | select(.type == "tmpfs" and
                (.destination == "/run" or .destination == "/tmp"))
                | .destination + (if (.options | index(["tmpcopyup"])) then " tmpcopyup" else "" end)] | sort')" \
                "config.json: a tmpfs at /run (a copy) and at /tmp (empty in the image)"
}

test_a_user_namespace_that_cannot_own_the_copy_is_refused_with_the_reason() {
        local id
        new_id id
        USERNS_SIZE=1000
        fix_bundle image "$TD/b"
        USERNS_SIZE=65536
        spec_set "$TD/b" "${BREAK[readonly-rootfs]}"
        RH_POLICY=$(only_rule readonly-rootfs)
        assert_fails "a root runc could not copy /run from" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: readonly-rootfs: /root/readonly:" "refused by the rule"
        assert_contains "$err" "/run/lock belongs to 0:0, which the user namespace does not map" "saying why"
        assert_eq absent "$(container_status "$id")" "runc was never asked"
        # what runc does with such a copy: lchown fails
        spec_set "$TD/b" '.root.readonly = true | .mounts += [{"destination": "/run", "type": "tmpfs",
                "source": "tmpfs", "options": ["tmpcopyup"]}]'
        assert_fails "plain runc with the tmpcopyup tmpfs" runc_ run --bundle "$TD/b" "$id"
        assert_contains "$err" "tmpcopyup" "runc fails on the copy"
}

test_all_fixes_together_run_in_both_roots() {
        local kind id all='.root.readonly = false | .process.noNewPrivileges = false | del(.process.rlimits)
                | .linux.maskedPaths = [] | .linux.readonlyPaths = [] | del(.linux.seccomp)'
        "$RUNC_HARDEN" policy show --level baseline | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$TD/builtin.json"
        RH_POLICY=$TD/builtin.json
        for kind in minimal userns image; do
                new_id id
                rm -rf "$TD/b"
                fix_bundle "$kind" "$TD/b"
                spec_set "$TD/b" "$all"
                assert_ok "$kind root: the built-in policy's fixes run" rh run --bundle "$TD/b" "$id"
                assert_match "$out" "root=ro" "$kind root: read-only"
                assert_contains "$out" "NoNewPrivs=1" "$kind root: no_new_privs"
                assert_contains "$out" "Seccomp=2" "$kind root: seccomp"
                assert_contains "$out" "nproc=512:512" "$kind root: nproc"
                assert_contains "$out" "pids=1024" "$kind root: pids"
        done
}

test_an_exec_process_runs_with_the_containers_limits_in_a_user_namespace() {
        local id kind
        "$RUNC_HARDEN" policy show --level baseline | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$TD/builtin.json"
        RH_POLICY=$TD/builtin.json
        for kind in minimal userns; do
                new_id id
                rm -rf "$TD/b"
                fix_bundle "$kind" "$TD/b"
                spec_set "$TD/b" '.process.args = [$b, "sleep", "1000"]
                        | .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
                                {"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]' --arg b "$B"
                assert_ok "$kind root: run -d" rh run -d --bundle "$TD/b" "$id"
                # docker exec's process file: no rlimits
                jq '.args = ["/bin/busybox", "cat", "/proc/self/limits"] | .env = ["PATH=/bin"]' \
                        "$RH_CORPUS/docker/exec-plain.process.json" >"$TD/p.json"
                assert_ok "$kind root: exec --process without rlimits" rh exec --process "$TD/p.json" "$id"
                assert_match "$out" "Max open files +(100|200) +200 " "$kind root: the container's open files (hard 200)"
                assert_match "$out" "Max processes +512 +512 " "$kind root: the container's processes"
                assert_match "$out" "Max core file size +0 +0 " "$kind root: the container's core size (exec-rlimits)"
                assert_finding "$err" "fixed by policy" exec-rlimits /rlimits "lacks RLIMIT_CORE" "the fill is logged"
                runc_ delete --force "$id" >/dev/null 2>&1
        done
}

test_an_exec_process_file_whose_container_cannot_be_read_is_refused() {
        local id
        new_id id
        "$RUNC_HARDEN" policy show --level baseline | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$TD/builtin.json"
        RH_POLICY=$TD/builtin.json
        jq '.args = ["/bin/busybox", "true"]' "$RH_CORPUS/docker/exec-plain.process.json" >"$TD/p.json"
        cp "$TD/p.json" "$TD/p.orig"
        assert_fails "exec --process into a container that does not exist" rh exec --process "$TD/p.json" "$id"
        assert_contains "$err" "runc-harden: denied by policy: spec-invalid:" "refused as one that cannot be judged"
        assert_contains "$err" "the container's config.json" "saying what could not be read"
        assert_same_file "$TD/p.orig" "$TD/p.json" "the process file is left as it was"
}

run_tests
