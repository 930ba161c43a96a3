#!/bin/bash
# Verification (docs/verify.md): after runc has created the container and
# before it runs the user's program, runc-harden compares what the kernel
# holds with the spec it judged and with the policy, and deletes what does
# not match. Each prediction failure of issues 13 and 14 is made here where
# the spec layer cannot see it (a prepared runtime changes the bundle or
# the host after the judgement, tests/integration/lib.sh), and is refused by
# the verification alone; nothing of the container is left. The hand-off
# itself stays runc's: exit status, output, pid file, console socket,
# preserved fds, signals.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# The rules whose requirements verification judges, at their built-in
# actions, and the foundation's; the rest off (their fixes would only add
# noise). kernel-mounts is kept when this build has it.
verify_policy() {
        "$RUNC_HARDEN" policy show --level baseline |
                jq --arg audit "$T/audit.log" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if (.key | IN("spec-invalid", "host-namespace", "engine-socket",
                                "readonly-rootfs", "no-new-privileges", "sensitive-mount", "mount-propagation",
                                "kernel-mounts", "recursive-readonly")) then . else .value.action = "off" end)'
}
FOUNDATION_POLICY=$RH_POLICY
verify_policy >"$T/verify.policy.json"
RH_POLICY=$T/verify.policy.json

# verified_bundle DIR: a busybox bundle.
verified_bundle() {
        make_bundle "$1"
}

# new_container VAR DIR: a new container id (new_id), and DIR's spec puts
# the container in a cgroup of that name, so that a test can look for what
# is left of it (and no two containers share one).
new_container() {
        new_id "$1"
        spec_set "$2" '.linux.cgroupsPath = $c' --arg c "/${!1}"
}

# with_etc_alias DIR [RUNTIME]: DIR's spec binds $TD/vol (an empty directory)
# at /hostetc, and $TD/rt is RUNTIME (default: runc) binding the host's /etc
# over $TD/vol after the judgement.
with_etc_alias() {
        mkdir -p "$TD/vol" "$1/rootfs/hostetc"
        add_bind "$1" "$TD/vol" /hostetc
        aliasing_runtime "$TD/rt" /etc "$TD/vol" "${2:-$REAL_RUNC}"
}

# mutating_runtime FILE BUNDLE JQ: a runtime that applies JQ to the bundle's
# config.json after runc-harden has judged (and maybe fixed) it.
mutating_runtime() {
        prepared_runtime "$1" "jq '$3' '$2/config.json' >'$2/config.json.mut' && mv '$2/config.json.mut' '$2/config.json'"
}

# init_pid_of MESSAGE: the pid in "/proc/PID/" of a verification message.
init_pid_of() {
        [[ "$1" =~ /proc/([0-9]+)/ ]] && echo "${BASH_REMATCH[1]}"
}

# nothing_left ID BUNDLE WHAT: runc knows no such container, its cgroup
# directories are gone, its init process is gone (the pid from $err), and
# no mount of the test's directory is on the host.
nothing_left() {
        local id=$1 cg c pid
        cg=$(spec_get "$2" .linux.cgroupsPath | jq -r .)
        assert_eq absent "$(container_status "$id")" "$3: runc knows no such container"
        assert_not_contains "$(runc_ list -q)" "$id" "$3: runc list does not show it"
        for c in pids memory cpu; do
                if [ -d "/sys/fs/cgroup/$c" ]; then
                        assert_eq no "$([ -e "/sys/fs/cgroup/$c$cg" ] && echo yes || echo no)" \
                                "$3: no $c cgroup directory $cg is left"
                fi
        done
        pid=$(init_pid_of "$err")
        if [ -n "$pid" ]; then
                assert_eq no "$(alive "$pid")" "$3: its init process $pid is gone"
        else
                fail "$3: the message names the init process's /proc" "$err"
        fi
        assert_not_contains "$(cat /proc/self/mountinfo)" "$T" "$3: no mount in the test's directory is left"
}

# refused_by_verification WHAT NEEDLE: the last create exited 1 with a
# message of the verification that contains NEEDLE.
refused_by_verification() {
        assert_eq 1 "$rc" "$1: create exits 1"
        assert_match "$err" "runc-harden: container [^:]+: /proc/[0-9]+/" "$1: the message is the verification's"
        assert_contains "$err" "$2" "$1: it says what runc built"
        assert_not_contains "$err" "denied by policy" "$1: the spec layer let it through"
}

test_a_container_that_is_what_the_spec_says_is_created() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        assert_ok "create" rh create --bundle "$TD/b" --pid-file "$TD/pid" "$id"
        assert_eq "" "$err" "nothing is logged"
        assert_eq "" "$out" "nothing is written to stdout"
        assert_eq created "$(container_status "$id")" "the container waits to be started"
        assert_eq "$(runc_ state "$id" | jq .pid)" "$(cat "$TD/pid")" "the pid file holds the init process"
        assert_ok "start" rh start "$id"
        assert_eq running "$(container_status "$id")" "it runs"
}

test_a_bind_of_etc_made_after_the_judgement_is_refused_and_nothing_is_left() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        with_etc_alias "$TD/b"
        capture rh --harden-runtime "$TD/rt" --log "$TD/log.json" --log-format json create --bundle "$TD/b" \
                --pid-file "$TD/pid" "$id"
        assert_eq 1 "$rc" "create exits 1"
        local last
        last=$(tail -n 1 "$TD/log.json")
        assert_eq error "$(jq -r .level <<<"$last")" "the last record of the runc log is an error (containerd shows it)"
        assert_match "$(jq -r .msg <<<"$last")" \
                "^runc-harden: container $id: /proc/[0-9]+/mountinfo: /hostetc is a bind of the host's /etc, writable \(sensitive-mount\)" \
                "it names the mount and what it really is"
        assert_eq no "$([ -e "$TD/pid" ] && echo yes || echo no)" "the pid file is removed, as after a failed create"
        nothing_left "$id" "$TD/b" "the /etc alias"
        assert_eq 0 "$(find "$TD/vol" -mindepth 1 | wc -l)" "the bind source on the host is still empty"
}

test_without_a_pid_file_the_init_process_comes_from_state() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        with_etc_alias "$TD/b"
        assert_ok "a safe create without --pid-file" rh create --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "is created"
        new_container id "$TD/b"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "the /etc alias without --pid-file" "/hostetc is a bind of the host's /etc"
        nothing_left "$id" "$TD/b" "without --pid-file"
}

# runc makes --pid-file absolute and writes it after changing into the
# bundle directory: /proc/self/cwd/pid is BUNDLE/pid to runc, and would be
# the caller's directory to runc-harden, where a file may name another,
# compliant container's init process.
test_a_pid_file_through_a_proc_link_is_read_as_runc_wrote_it() {
        local id twin twinpid pid
        verified_bundle "$TD/b"
        new_container twin "$TD/b"
        assert_ok "a compliant twin" rh create --bundle "$TD/b" --pid-file "$TD/twin.pid" "$twin"
        twinpid=$(cat "$TD/twin.pid")
        mkdir -p "$TD/cwd"
        echo "$twinpid" >"$TD/cwd/pid"
        new_container id "$TD/b"
        mutating_runtime "$TD/rt" "$TD/b" 'del(.linux.namespaces[] | select(.type == "network"))'
        pushd "$TD/cwd" >/dev/null
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" --pid-file /proc/self/cwd/pid "$id"
        popd >/dev/null
        refused_by_verification "--pid-file /proc/self/cwd/pid" "the container is in the host's network namespace"
        pid=$(init_pid_of "$err")
        assert_eq "$(cat "$TD/b/pid" 2>/dev/null)" "${pid:-none}" "the init process judged is the one runc wrote in the bundle"
        assert_eq yes "$(alive "$twinpid")" "the twin named in the caller's directory is left alone"
        nothing_left "$id" "$TD/b" "--pid-file /proc/self/cwd/pid"
        runc_ delete --force "$twin" >/dev/null 2>&1 || true
}

# Whatever the pid file says once runc has written it (its directory is
# the caller's), the process judged is the one the runtime created: here a
# runtime that drops the network namespace after the judgement, then puts a
# compliant twin's init process in the pid file.
test_a_pid_file_naming_another_process_is_not_believed() {
        local id twin twinpid
        verified_bundle "$TD/b"
        new_container twin "$TD/b"
        assert_ok "a compliant twin" rh create --bundle "$TD/b" --pid-file "$TD/twin.pid" "$twin"
        twinpid=$(cat "$TD/twin.pid")
        new_container id "$TD/b"
        printf '%s\n' '#!/bin/sh' \
                'case " $* " in *" create "*)' \
                "        jq 'del(.linux.namespaces[] | select(.type == \"network\"))' '$TD/b/config.json' >'$TD/b/c.json' && mv '$TD/b/c.json' '$TD/b/config.json'" \
                "        '$REAL_RUNC' \"\$@\" || exit \$?" \
                "        echo $twinpid >'$TD/pid'; exit 0 ;;" \
                'esac' \
                "exec '$REAL_RUNC' \"\$@\"" >"$TD/rt"
        chmod +x "$TD/rt"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" --pid-file "$TD/pid" "$id"
        assert_eq 1 "$rc" "a pid file naming the twin: create exits 1"
        assert_contains "$err" "process $twinpid is not the init process the runtime just created" "saying why"
        assert_eq absent "$(container_status "$id")" "the container runc built is deleted"
        assert_eq yes "$(alive "$twinpid")" "the twin is left alone"
        runc_ delete --force "$twin" >/dev/null 2>&1 || true
}

# Each class of issues 13 and 14, made after the judgement: the spec layer
# judged a spec without it, whatever its rules can see.
test_a_key_spelling_runc_ignores_is_caught() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        # Go 1.19 folds neither the dotless i nor the dotted I onto "i"
        mutating_runtime "$TD/rt" "$TD/b" '.process |= (del(.noNewPrivileges) | .["noNewPr\u0131vileges"] = true)'
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "noNewPrıvileges" "process.noNewPrivileges is true and the process has NoNewPrivs: 0"
        nothing_left "$id" "$TD/b" "a key runc ignores"
}

test_a_relative_namespace_path_resolved_in_the_root_file_system_is_caught() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        # runc 1.1.5 checks that a relative path exists from the bundle
        # (its working directory), and then opens it from its init
        # process's, the root file system: this link there leads to that
        # process's own network namespace, the host's
        : >"$TD/b/hostnet"
        ln -s /proc/self/ns/net "$TD/b/rootfs/hostnet"
        mutating_runtime "$TD/rt" "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = "hostnet" else . end)'
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "a relative namespace path" "the container is in the host's network namespace (host-namespace)"
        assert_contains "$err" "the spec asks for a new network namespace" "and not what the judged spec asked"
        nothing_left "$id" "$TD/b" "a relative namespace path"
}

test_a_proc_mount_is_caught() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        mkdir -p "$TD/b/rootfs/p2"
        mutating_runtime "$TD/rt" "$TD/b" '.mounts += [{"destination": "/p2", "type": "proc", "source": "proc"}]'
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "a second proc" "/p2 is a proc file system outside /proc's place"
        nothing_left "$id" "$TD/b" "a second proc"
}

test_a_read_only_bind_that_is_not_recursive_is_caught_and_rro_passes() {
        local id pid
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        mkdir -p "$TD/src/sub" "$TD/b/rootfs/data"
        spec_set "$TD/b" '.mounts += [{"destination": "/data", "type": "bind", "source": $s,
                "options": ["rbind", "ro"]}]' --arg s "$TD/src"
        # a mount below the source that only runc's namespace has
        prepared_runtime "$TD/rt" "mount -t tmpfs -o size=64k tmpfs '$TD/src/sub'"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "ro over a submount" \
                "/data/sub is writable inside /data, which the spec binds read-only: \"ro\" is not recursive; use \"rro\""
        nothing_left "$id" "$TD/b" "a non-recursive ro"

        new_container id "$TD/b"
        spec_set "$TD/b" '.mounts[-1].options = ["rbind", "rro"]'
        assert_ok "with rro the same bind is created" rh --harden-runtime "$TD/rt" create --bundle "$TD/b" \
                --pid-file "$TD/pid" "$id"
        pid=$(cat "$TD/pid")
        assert_match "$(grep ' /data/sub ' "/proc/$pid/mountinfo")" " /data/sub ro[, ]" \
                "inside the container the submount is read-only"
}

test_a_state_directory_reached_through_a_bind_is_caught() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        mkdir -p "$TD/vol" "$TD/b/rootfs/st"
        add_bind "$TD/b" "$TD/vol" /st
        # made after the judgement
        aliasing_runtime "$TD/rt" "$STATE" "$TD/vol"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "runc's state directory, bound after the judgement" \
                "/st is a bind of the host's $STATE, a container engine's state"
        nothing_left "$id" "$TD/b" "the state directory"

        # made before it, as a volume is: the spec layer sees only a
        # directory of the test's, runc-harden and runc share the alias
        new_container id "$TD/b"
        capture unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
                "$STATE" "$TD/vol" timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" \
                create --bundle "$TD/b" "$id"
        refused_by_verification "runc's state directory as a volume" "/st is a bind of the host's $STATE"
        nothing_left "$id" "$TD/b" "the state directory as a volume"
}

# mutated WHAT JQ NEEDLE: the verified bundle $TD/b, JQ applied after the
# judgement, is refused with NEEDLE in the message and leaves nothing.
mutated() {
        local id
        cp "$TD/base.json" "$TD/b/config.json"
        new_container id "$TD/b"
        mutating_runtime "$TD/rt" "$TD/b" "$2"
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "$1" "$3"
        nothing_left "$id" "$TD/b" "$1"
}

test_what_runc_reads_differently_in_the_process_and_resources_is_caught() {
        verified_bundle "$TD/b"
        mkdir -p "$TD/ro-src" "$TD/b/rootfs/ro"
        spec_set "$TD/b" '.linux.resources.memory.limit = 67108864 | .linux.resources.pids.limit = 64
                | .process.user.uid = 1000 | .process.user.gid = 1000
                | .mounts += [{"destination": "/ro", "type": "bind", "source": $s, "options": ["rbind", "ro"]}]
                | .linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                        "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]}' --arg s "$TD/ro-src"
        cp "$TD/b/config.json" "$TD/base.json"
        mutated "a capability runc adds" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]' \
                "CapBnd has CAP_SYS_ADMIN, which process.capabilities.bounding does not grant"
        mutated "an rlimit" '.process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 4096, "soft": 4096}]' \
                "Max open files is 4096 (soft) and 4096 (hard); process.rlimits sets RLIMIT_NOFILE to 1024 and 1024"
        mutated "the memory limit" 'del(.linux.resources.memory)' \
                "memory.limit_in_bytes is 9223372036854771712; the spec's linux.resources.memory.limit makes it 67108864"
        mutated "the pids limit" '.linux.resources.pids.limit = 100000' \
                "pids.max is 100000; the spec's linux.resources.pids.limit makes it 64"
        mutated "a uid key runc ignores" '.process.user |= (del(.uid) | .["u\u0131d"] = 1000)' \
                "the process runs as uid 0; process.user.uid is 1000"
        mutated "a writable root" '.root.readonly = false' \
                "the spec makes the root file system read-only (root.readonly); the container's is writable"
        mutated "a read-only bind made writable" '.mounts[-1].options = ["rbind", "rw"]' \
                "the spec mounts /ro read-only; it is writable"
        mutated "masked paths runc never saw" 'del(.linux.maskedPaths)' \
                "/proc/timer_list is not masked in the container (linux.maskedPaths)"
        mutated "read-only paths runc never saw" 'del(.linux.readonlyPaths)' \
                "/proc/sys is writable in the container (linux.readonlyPaths)"
        mutated "a seccomp profile runc never saw" 'del(.linux.seccomp)' \
                "the spec has a seccomp profile (linux.seccomp) and the runtime has loaded none (Seccomp: 0)"
        mutated "a namespace runc never saw" '.linux.namespaces |= map(select(.type != "ipc"))' \
                "the container is in the host's ipc namespace (host-namespace)"
        mutated "a writable cgroup bind" \
                '.mounts += [{"destination": "/tmp", "type": "bind", "source": "/sys/fs/cgroup", "options": ["rbind", "ro"]}]' \
                "is a writable cgroup file system"
}

test_dry_run_logs_what_it_would_refuse_and_keeps_the_container() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        with_etc_alias "$TD/b"
        assert_ok "create in dry-run" rh --harden-mode dry-run --harden-runtime "$TD/rt" create --bundle "$TD/b" \
                --pid-file "$TD/pid" "$id"
        assert_finding "$err" "would deny" sensitive-mount "/proc/$(cat "$TD/pid")/mountinfo" \
                "/hostetc is a bind of the host's /etc" "the refusal is logged"
        assert_eq created "$(container_status "$id")" "the container is left"
        assert_eq "$(runc_ state "$id" | jq .pid)" "$(cat "$TD/pid")" "with its pid file"
        assert_eq deny "$(jq -r --arg id "$id" 'select(.container == $id and (.document | startswith("/proc/"))) | .verdict' \
                "$T/audit.log")" "the audit log has the verification's record"
}

test_verify_false_takes_what_runc_built_on_trust() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        with_etc_alias "$TD/b"
        jq '.verify = false' "$RH_POLICY" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json assert_ok "create with verify false" rh --harden-runtime "$TD/rt" create \
                --bundle "$TD/b" "$id"
        assert_eq created "$(container_status "$id")" "the /etc alias is not seen (the switch is for measuring)"
}

# A rule that is off is off in both layers; what the spec itself says is
# always verified.
test_a_rule_that_is_off_is_not_verified_but_the_spec_still_is() {
        local id
        jq '.rules["sensitive-mount"].action = "off"' "$RH_POLICY" >"$TD/policy.json"
        verified_bundle "$TD/b"
        with_etc_alias "$TD/b"
        new_container id "$TD/b"
        # an alias the spec layer can see (made before it): with the rule off,
        # the operator lets it through
        RH_POLICY=$TD/policy.json capture unshare -m --propagation private sh -c \
                'mount --bind /etc "$1" && shift && exec "$@"' sh "$TD/vol" timeout -k 5 60 "$RUNC_HARDEN" \
                --harden-policy "$TD/policy.json" --root "$STATE" create --bundle "$TD/b" "$id"
        assert_eq 0 "$rc" "sensitive-mount off: the volume of /etc is created"
        # the same alias made after the judgement: runc bound another file
        # than the one judged
        new_container id "$TD/b"
        RH_POLICY=$TD/policy.json capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "an alias made after the judgement, sensitive-mount off" \
                "the spec binds $TD/vol at /hostetc; the container has another file there (verify)"
        assert_not_contains "$err" "(sensitive-mount)" "the rule that is off says nothing"
}

test_run_detach_is_created_verified_and_started() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        with_etc_alias "$TD/b"
        assert_ok "run -d" rh run -d --bundle "$TD/b" --pid-file "$TD/pid" "$id"
        assert_eq running "$(container_status "$id")" "it runs"
        assert_eq "$(runc_ state "$id" | jq .pid)" "$(cat "$TD/pid")" "the pid file is written"
        new_container id "$TD/b"
        capture rh --harden-runtime "$TD/rt" run -d --bundle "$TD/b" "$id"
        refused_by_verification "run -d with the /etc alias" "/hostetc is a bind of the host's /etc"
        nothing_left "$id" "$TD/b" "run -d"
}

test_run_in_the_foreground_is_verified_and_returns_the_containers_status() {
        local id status=0
        verified_bundle "$TD/b"
        spec_set "$TD/b" '.process.args = ["sh", "-c", "echo out; echo err >&2; exit 3"]'
        new_container id "$TD/b"
        capture rh run --bundle "$TD/b" "$id"
        assert_eq 3 "$rc" "run exits with the container's status"
        assert_eq out "$out" "its stdout is the caller's"
        assert_eq err "$err" "so is its stderr, and nothing else is written"
        assert_eq absent "$(container_status "$id")" "the container is deleted after it exits"
        new_container id "$TD/b"
        capture rh run --keep --bundle "$TD/b" "$id"
        assert_eq stopped "$(container_status "$id")" "--keep keeps it"

        with_etc_alias "$TD/b"
        new_container id "$TD/b"
        capture rh --harden-runtime "$TD/rt" run --bundle "$TD/b" "$id"
        refused_by_verification "run with the /etc alias" "/hostetc is a bind of the host's /etc"
        assert_not_contains "$out" "out" "the program never ran"
        nothing_left "$id" "$TD/b" "run"

        # signals go to the container's init process, as runc run sends them
        spec_set "$TD/b" '.process.args = ["sh", "-c", "trap \"exit 7\" TERM; echo ready; sleep 100 & wait"]'
        new_container id "$TD/b"
        "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" run --bundle "$TD/b" "$id" >"$TD/run.out" 2>&1 &
        local rhpid=$!
        wait_for grep -q ready "$TD/run.out" || true
        kill -TERM "$rhpid"
        wait "$rhpid" || status=$?
        assert_eq 7 "$status" "SIGTERM reached the container, whose status run returns"
}

test_run_with_a_terminal_hands_the_pty_to_the_caller() {
        local id
        command -v script >/dev/null || {
                pass "script(1) is not installed: skipped"
                return
        }
        verified_bundle "$TD/b"
        spec_set "$TD/b" '.process.terminal = true | .process.args = ["sh", "-c", "tty; echo hello-from-the-pty; exit 5"]'
        new_container id "$TD/b"
        # script(1) gives runc-harden a terminal. --foreground: timeout must
        # not move it to a process group of its own, where setting the
        # terminal raw stops it with SIGTTOU (as it stops runc) unless the
        # shell script(1) starts happens to exec timeout (bash does, CI's
        # shell did not).
        capture script -qec "timeout --foreground -k 5 60 $RUNC_HARDEN --harden-policy $RH_POLICY --root $STATE run --bundle $TD/b $id" \
                /dev/null
        assert_eq 5 "$rc" "run exits with the container's status"
        assert_contains "$out" "hello-from-the-pty" "the container's terminal reached the caller's"
        assert_contains "$out" "/dev/pts/0" "on a pty of the container's own"
        assert_eq absent "$(container_status "$id")" "the container is deleted after it exits"
}

test_crun_is_verified_the_same_way() {
        local id crun=${CRUN:-/usr/bin/crun}
        [ -x "$crun" ] || {
                pass "crun is not installed: skipped"
                return
        }
        crun_prepare_host
        mkdir -p "$T/crun-state"
        EXTRA_ROOTS+=("$crun $T/crun-state")
        verified_bundle "$TD/b"
        spec_set "$TD/b" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
                "syscalls": [{"names": ["keyctl"], "action": "SCMP_ACT_ERRNO"}]}'
        with_etc_alias "$TD/b" "$crun"
        new_container id "$TD/b"
        STATE=$T/crun-state assert_ok "a safe create through crun" rh --harden-runtime "$crun" create \
                --bundle "$TD/b" --pid-file "$TD/pid" "$id"
        assert_eq created "$(timeout 10 "$crun" --root "$T/crun-state" state "$id" | jq -r .status)" "crun created it"
        new_container id "$TD/b"
        STATE=$T/crun-state capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" --pid-file "$TD/pid" "$id"
        refused_by_verification "crun with the /etc alias" "/hostetc is a bind of the host's /etc"
        assert_not_contains "$(timeout 10 "$crun" --root "$T/crun-state" list -q)" "$id" "crun has no such container"
        pid=$(init_pid_of "$err")
        assert_eq no "$(alive "${pid:-0}")" "its init process is gone"
}

test_the_console_socket_hands_the_pty_to_the_caller() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c 'echo hello-from-the-pty; sleep 1'
        spec_set "$TD/b" '.process.terminal = true'
        python3 - "$TD/console.sock" "$TD/console.out" <<'EOF' &
import array, os, socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1])
s.listen(1)
s.settimeout(30)
c, _ = s.accept()
msg, fds, _, _ = socket.recv_fds(c, 4096, 1)
out, end = b"", time.time() + 20
while b"hello-from-the-pty" not in out and time.time() < end:
    try:
        out += os.read(fds[0], 4096)
    except OSError:
        break
open(sys.argv[2], "wb").write(out)
EOF
        local receiver=$!
        wait_for test -S "$TD/console.sock" || true
        assert_ok "create with --console-socket" rh create --bundle "$TD/b" --console-socket "$TD/console.sock" "$id"
        assert_ok "start" rh start "$id"
        wait "$receiver" || true
        assert_contains "$(cat "$TD/console.out" 2>/dev/null)" "hello-from-the-pty" \
                "the container's terminal reached the socket's owner"
}

test_exit_status_output_and_log_of_a_failing_create_are_runcs() {
        local id
        RH_POLICY=$FOUNDATION_POLICY
        new_id id
        make_bundle "$TD/b" /no/such/program
        same_as_runc "a create runc refuses" create --bundle "$TD/b" "$id"
        new_id id
        rh --log "$TD/rh.log" --log-format json create --bundle "$TD/b" "$id" >/dev/null 2>&1 || true
        runc_ --log "$TD/runc.log" --log-format json create --bundle "$TD/b" "$id-runc" >/dev/null 2>&1 || true
        CONTAINERS+=("$id-runc")
        assert_eq "$(jq -r .msg "$TD/runc.log" | sed "s/$id-runc/ID/g")" "$(jq -r .msg "$TD/rh.log" | sed "s/$id/ID/g")" \
                "the log holds runc's records, and only those"
}

# The runtime is a child now: what it gets must be what an exec gave it.
test_the_runtime_gets_the_fds_environment_and_signals_an_exec_would_give() {
        local id
        verified_bundle "$TD/b"
        new_container id "$TD/b"
        cat >"$TD/rt" <<EOF
#!/bin/bash
ls /proc/\$\$/fd >"$TD/fds"
echo "\$LISTEN_FDS" >"$TD/env"
trap 'echo TERM >>"$TD/signals"; exit 42' TERM
echo ready >"$TD/ready"
sleep 30 &
wait
EOF
        chmod +x "$TD/rt"
        # runc-harden itself in the background ($! is its pid, not a shell's);
        # LISTEN_FDS' fd 3 and the preserved fd 4 are both the caller's (an fd
        # the caller did not pass is refused: test-preserve-fds.sh)
        LISTEN_FDS=1 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --harden-runtime "$TD/rt" --root "$STATE" create \
                --bundle "$TD/b" --preserve-fds 1 "$id" 3<"$TD/b/config.json" 4<"$TD/b/config.json" \
                >"$TD/rh.out" 2>"$TD/rh.err" &
        local rhpid=$! status=0
        wait_for test -f "$TD/ready" || true
        kill -TERM "$rhpid"
        wait "$rhpid" || status=$?
        assert_eq 42 "$status" "SIGTERM reached the runtime, and its exit status is runc-harden's"
        assert_eq TERM "$(cat "$TD/signals" 2>/dev/null)" "the runtime saw the signal once"
        assert_match "$(tr '\n' ' ' <"$TD/fds")" "(^| )3( |$)" "LISTEN_FDS' fd 3 reached the runtime"
        assert_match "$(tr '\n' ' ' <"$TD/fds")" "(^| )4( |$)" "the preserved fd 4 reached the runtime"
        assert_eq 1 "$(cat "$TD/env")" "LISTEN_FDS reached the runtime"

        printf '#!/bin/sh\nkill -KILL $$\n' >"$TD/rt"
        status=0
        rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id" >/dev/null 2>&1 || status=$?
        assert_eq 137 "$status" "a runtime killed by SIGKILL: runc-harden dies of SIGKILL too"
}

# A container put in a cgroup that holds other processes is refused by
# killing its init only: runc delete would kill the whole cgroup.
test_a_container_in_a_shared_cgroup_is_killed_not_deleted() {
        local id c sleeper
        new_id id
        verified_bundle "$TD/b"
        local cg=/rh-verify-$$-shared
        sleep 300 &
        sleeper=$!
        for c in pids memory cpu cpuacct devices freezer blkio cpuset hugetlb systemd; do
                [ -d "/sys/fs/cgroup/$c" ] || continue
                mkdir -p "/sys/fs/cgroup/$c$cg"
        done
        [ ! -f "/sys/fs/cgroup/cpuset$cg/cpuset.cpus" ] || {
                cat /sys/fs/cgroup/cpuset/cpuset.cpus >"/sys/fs/cgroup/cpuset$cg/cpuset.cpus"
                cat /sys/fs/cgroup/cpuset/cpuset.mems >"/sys/fs/cgroup/cpuset$cg/cpuset.mems"
        }
        echo "$sleeper" >"/sys/fs/cgroup/pids$cg/cgroup.procs"
        mutating_runtime "$TD/rt" "$TD/b" ".linux.cgroupsPath = \"$cg\""
        capture rh --harden-runtime "$TD/rt" create --bundle "$TD/b" "$id"
        refused_by_verification "a shared cgroup" "the container's cgroup also holds process $sleeper"
        assert_contains "$err" "delete\` is not run" "it says why runc delete is not run"
        assert_eq yes "$(kill -0 "$sleeper" 2>/dev/null && echo yes || echo no)" "the other process lives"
        pid=$(init_pid_of "$err")
        assert_eq no "$(alive "${pid:-0}")" "the container's init is gone"
        kill "$sleeper"
        wait "$sleeper" 2>/dev/null || true
        runc_ delete --force "$id" >/dev/null 2>&1 || true
        for c in /sys/fs/cgroup/*; do
                [ -d "$c$cg" ] && rmdir "$c$cg" 2>/dev/null
        done
        true
}

run_tests
