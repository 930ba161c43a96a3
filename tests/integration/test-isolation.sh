#!/bin/bash
# The isolation family on the real runc: a fixed spec has its masked paths
# in force; engine sockets, read-write binds of host system directories,
# host devices, host-wide sysctls and SSH servers never start; read-only
# binds and shared namespaces only warn. Then lint over the whole corpus
# gives the verdicts docs/rules.md promises for this family.
# $-expressions in single quotes are jq's or the container shell's.
# shellcheck disable=SC2016
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# The rules of this family, at their built-in settings; every other family
# is off so that what these tests see is this family's doing.
ISOLATION_RULES='["spec-invalid","host-namespace","shared-namespace","engine-socket","sensitive-mount",
"mount-propagation","readonly-rootfs","masked-paths","devices","sysctls","hooks","ssh-server","env-secrets",
"root-user","trusted-image","kernel-mounts"]'

# write_isolation_policy FILE [JQ FILTER [JQ ARGS...]]: that policy, edited
# by FILTER.
write_isolation_policy() {
        local file=$1 filter=${2:-.}
        shift $(($# < 2 ? $# : 2))
        "$RUNC_HARDEN" policy show --level baseline |
                jq --argjson keep "$ISOLATION_RULES" --arg audit "$T/audit.log" "$@" '
                        .["audit-log"] = $audit
                        | .rules |= with_entries(if (.key | IN($keep[])) then . else .value.action = "off" end)
                        | '"$filter" >"$file"
}

RH_POLICY=$T/isolation-policy.json
write_isolation_policy "$RH_POLICY"

# The index the first mount added to a `runc spec` config gets.
FIRST_ADDED=$(cd "$T" && "$REAL_RUNC" spec && jq '.mounts | length' config.json && rm config.json)

# make_socket PATH: a Unix socket file (bound from its directory: a socket
# address holds at most 107 bytes).
make_socket() {
        mkdir -p "$(dirname "$1")"
        (cd "$(dirname "$1")" && python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
                "$(basename "$1")")
}

# expect_refused DIR RULE POINTER WHAT: run is refused by RULE at POINTER,
# and runc never made the container.
expect_refused() {
        local b=$1 rule=$2 pointer=$3 what=$4 id before
        new_id id
        before=$(sha "$b/config.json")
        assert_status 1 "$what: run exits 1" rh run --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: $rule: $pointer" "$what: stderr names $rule at $pointer"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
        assert_eq "" "$(runc_ list -q)" "$what: runc list shows nothing"
        assert_eq "$before" "$(sha "$b/config.json")" "$what: config.json is unchanged"
}

# ------------------------------------------------------------ masked-paths

MASK_PROBE='printf "keys=%s\n" "$(wc -c </proc/keys)"
printf "timer_list=%s\n" "$(wc -c </proc/timer_list)"
grep -q " /proc/sys ro," /proc/self/mountinfo && echo sys=read-only || echo sys=writable'

test_a_fixed_spec_has_its_masked_paths_in_force() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c "$MASK_PROBE"
        spec_set "$TD/b" 'del(.linux.maskedPaths, .linux.readonlyPaths)'
        # The control: plain runc on the unmasked spec shows the host's keys.
        cp -r "$TD/b" "$TD/control"
        assert_ok "plain runc runs the unmasked spec" runc_ run --bundle "$TD/control" "$id-control"
        assert_match "$out" "keys=[1-9]" "without the fix, /proc/keys shows the host's keys"
        assert_ok "run of the unmasked spec" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "fixed by policy" masked-paths /linux "the fix is logged"
        assert_contains "$out" "keys=0" "/proc/keys reads empty inside"
        assert_contains "$out" "timer_list=0" "/proc/timer_list reads empty inside"
        assert_contains "$out" "sys=read-only" "/proc/sys is read-only inside"
        assert_eq true "$(spec_get "$TD/b" '.linux.maskedPaths | index("/proc/kcore") != null')" \
                "config.json masks /proc/kcore"
        assert_eq 11 "$(spec_get "$TD/b" '.linux.maskedPaths | length')" "config.json has the eleven masked paths"
        assert_eq 5 "$(spec_get "$TD/b" '.linux.readonlyPaths | length')" "config.json has the five read-only paths"
}

test_runc_spec_defaults_need_only_powercap() {
        local id
        new_id id
        make_bundle "$TD/b" true
        assert_ok "run of runc's own default spec" rh run --bundle "$TD/b" "$id"
        assert_eq '["/sys/devices/virtual/powercap"]' \
                "$(spec_get "$TD/b" '.linux.maskedPaths - ["/proc/acpi","/proc/asound","/proc/kcore","/proc/keys",
                        "/proc/latency_stats","/proc/timer_list","/proc/timer_stats","/proc/sched_debug","/proc/scsi",
                        "/sys/firmware"]')" "the fix added only /sys/devices/virtual/powercap"
}

# ----------------------------------------------------------- engine-socket

test_a_socket_bind_never_starts() {
        make_socket "$TD/engine/api.sock"
        write_isolation_policy "$TD/policy.json" '.rules["engine-socket"].params.sockets += [$s]' --arg s "$TD/engine/api.sock"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        add_bind "$TD/b" "$TD/engine/api.sock" /run/api.sock
        expect_refused "$TD/b" engine-socket "/mounts/$FIRST_ADDED/source" "bind of the socket"
        make_bundle "$TD/c"
        add_bind "$TD/c" "$TD//engine/../engine/" /engine
        expect_refused "$TD/c" engine-socket "/mounts/$FIRST_ADDED/source" "bind of its directory, oddly spelled"
}

test_a_rootless_podman_socket_is_found_by_its_pattern() {
        make_socket "$TD/run/user/1000/podman/podman.sock"
        write_isolation_policy "$TD/policy.json" '.rules["engine-socket"].params.sockets += [$s]' \
                --arg s "$TD/run/user/*/podman/podman.sock"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        add_bind "$TD/b" "$TD/run/user/1000" /xdg
        expect_refused "$TD/b" engine-socket "/mounts/$FIRST_ADDED/source" "bind of the user's runtime directory"
}

# --------------------------------------------------------- sensitive-mount

test_a_read_write_bind_of_etc_is_refused() {
        make_bundle "$TD/b"
        add_bind "$TD/b" /etc /host-etc
        expect_refused "$TD/b" sensitive-mount "/mounts/$FIRST_ADDED/source" "rw bind of /etc"
        assert_contains "$err" "read-write" "the message says read-write"
        make_bundle "$TD/c"
        add_bind "$TD/c" "$TD/../../../..//etc/./ssh" /host-ssh
        expect_refused "$TD/c" sensitive-mount "/mounts/$FIRST_ADDED/source" "rw bind of /etc/ssh, oddly spelled"
}

test_a_read_only_bind_of_etc_only_warns() {
        local id
        new_id id
        make_bundle "$TD/b" sh -c 'touch /host-etc/rh-probe 2>/dev/null && echo writable || echo read-only'
        spec_set "$TD/b" '.mounts += [{"destination": "/host-etc", "type": "bind", "source": "/etc",
                "options": ["rbind", "rprivate", "ro"]}]'
        assert_ok "run with /etc bound read-only" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" sensitive-mount "/mounts/$FIRST_ADDED/source" \
                "the bind is a warning"
        assert_eq read-only "$out" "the container cannot write the host's /etc"
        assert_ok "no probe file was left on the host" test ! -e /etc/rh-probe
}

test_shared_propagation_is_refused() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.mounts += [{"destination": "/data", "type": "bind", "source": $s,
                "options": ["rbind", "rshared"]}]' --arg s "$TD"
        expect_refused "$TD/b" mount-propagation "/mounts/$FIRST_ADDED/options" "an rshared bind"
}

# ------------------------------------------------------ devices, sysctls

test_host_devices_are_refused() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.resources.devices = [{"allow": true, "access": "rwm"}]'
        expect_refused "$TD/b" devices "/linux/resources/devices/0" "an allow-all device cgroup"
        make_bundle "$TD/c"
        spec_set "$TD/c" '.linux.devices = [{"path": "/dev/null2", "type": "c", "major": 1, "minor": 1}]'
        expect_refused "$TD/c" devices "/linux/devices/0" "/dev/mem under another name"
}

test_a_host_wide_sysctl_is_refused() {
        local id
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.sysctl = {"kernel.core_pattern": "|/tmp/pwn"}'
        expect_refused "$TD/b" sysctls "/linux/sysctl/kernel.core_pattern" "kernel.core_pattern"
        new_id id
        make_bundle "$TD/c" sh -c 'cat /proc/sys/net/ipv4/ip_unprivileged_port_start'
        spec_set "$TD/c" '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "80"}'
        assert_ok "a namespaced sysctl runs" rh run --bundle "$TD/c" "$id"
        assert_eq 80 "$out" "runc set it inside the container"
}

# runc runs a createRuntime hook from the bundle directory: a relative
# path names the bundle's program, whatever the same name means where
# runc-harden was started. hooks: deny, trusting only /bin/true.
test_a_relative_hook_path_never_runs() {
        local id pol=$TD/hooks-policy.json
        write_isolation_policy "$pol" '.rules.hooks.action = "deny" | .rules.hooks.params.trusted = ["/bin/true"]'
        make_bundle "$TD/b" sh -c true
        mkdir -p "$TD/b/bin"
        printf '#!/bin/sh\necho ran >"%s"\n' "$TD/canary" >"$TD/b/bin/true"
        chmod +x "$TD/b/bin/true"
        spec_set "$TD/b" '.hooks = {"createRuntime": [{"path": "bin/true"}]}'
        new_id id
        assert_ok "plain runc runs the bundle's bin/true" runc_ run --bundle "$TD/b" "$id"
        assert_eq ran "$(cat "$TD/canary" 2>/dev/null)" "it ran on the host"
        rm -f "$TD/canary"
        new_id id
        pushd / >/dev/null
        RH_POLICY=$pol capture rh run --bundle "$TD/b" "$id"
        popd >/dev/null
        assert_eq 1 "$rc" "runc-harden refuses it, started from /"
        assert_contains "$err" "spec-invalid: /hooks/createRuntime/0/path: is not an absolute path" \
                "naming the field"
        assert_eq absent "$(cat "$TD/canary" 2>/dev/null || echo absent)" "the bundle's program never ran"
        spec_set "$TD/b" '.hooks = {"createRuntime": [{"path": "/proc/self/cwd/bin/true"}]}'
        new_id id
        pushd "$TD/b" >/dev/null
        RH_POLICY=$pol capture rh run --bundle "$TD/b" "$id"
        popd >/dev/null
        assert_eq 1 "$rc" "runc-harden refuses it, started from the bundle"
        assert_contains "$err" "spec-invalid: /hooks/createRuntime/0/path: reaches its program through /proc" \
                "nor through /proc/self/cwd"
        assert_eq absent "$(cat "$TD/canary" 2>/dev/null || echo absent)" "the bundle's program never ran"
}

# ------------------------------------------------------ process, namespaces

test_an_ssh_server_never_starts() {
        make_bundle "$TD/b" sh -c 'echo setting up; exec /usr/sbin/sshd -D'
        expect_refused "$TD/b" ssh-server "/process/args" "sh -c ... exec sshd"
}

test_credentials_in_the_environment_warn_without_their_value() {
        local id
        new_id id
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.process.env += ["DB_PASSWORD=hunter2-not-for-logs"]'
        assert_ok "run with a password in the environment" rh run --bundle "$TD/b" "$id"
        assert_finding "$err" "warning from policy" env-secrets /process/env/2 "DB_PASSWORD" \
                "the variable is a warning; the message names the variable"
        assert_not_contains "$err" "hunter2" "the value is in no message"
        assert_not_contains "$(cat "$T/audit.log")" "hunter2" "the value is not in the audit log"
}

test_joining_a_running_containers_network_namespace_warns() {
        local a b pid
        new_id a
        new_id b
        make_bundle "$TD/a"
        spec_set "$TD/a" '.process.user = {"uid": 1000, "gid": 1000}'
        assert_ok "create the first container" rh create --bundle "$TD/a" "$a"
        pid=$(runc_ state "$a" | jq .pid)
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = $p else . end)' \
                --arg p "/proc/$pid/ns/net"
        assert_ok "run a second one in its network namespace" rh run --bundle "$TD/b" "$b"
        assert_finding "$err" "warning from policy" shared-namespace /linux/namespaces/ "process $pid" \
                "sharing is a warning; the message names the process"
        runc_ delete --force "$a" >/dev/null 2>&1 || true
}

# ----------------------------------------------------------------- lint

# The verdicts docs/rules.md gives for the corpus under this family alone:
# "verdict: rule action..." per file, rules sorted and each listed once.
declare -A WANT=(
        [docker/default.json]="fix: masked-paths fix, readonly-rootfs fix, root-user warn"
        [docker/docker-sock.json]="deny: engine-socket deny, masked-paths fix, readonly-rootfs fix, root-user warn, sensitive-mount deny"
        [docker/hardened.json]="fix: masked-paths fix"
        [docker/privileged.json]="deny: devices deny, kernel-mounts deny, masked-paths fix, readonly-rootfs fix, root-user warn"
        [docker/quotas.json]="fix: masked-paths fix, readonly-rootfs fix, root-user warn"
        [docker/read-only.json]="fix: masked-paths fix, root-user warn"
        [docker/tmpfs.json]="fix: masked-paths fix, readonly-rootfs fix, root-user warn"
        [docker/user.json]="fix: masked-paths fix, readonly-rootfs fix"
        [podman/default.json]="fix: host-namespace warn, masked-paths fix, readonly-rootfs fix, root-user warn"
        # exec process files and update documents are no container specs:
        # read as one, they have no namespaces at all.
        [docker/exec-plain.process.json]="deny: host-namespace deny, masked-paths deny, readonly-rootfs fix"
        [docker/exec-privileged.process.json]="deny: host-namespace deny, masked-paths deny, readonly-rootfs fix"
        [docker/update-mem.resources.json]="deny: host-namespace deny, masked-paths deny, readonly-rootfs fix"
        [docker/update-unlimit.resources.json]="deny: host-namespace deny, masked-paths deny, readonly-rootfs fix"
)

test_lint_of_the_corpus_gives_the_documented_verdicts() {
        local f rel got
        local files=("$RH_CORPUS"/*/*.json)
        assert_eq "${#WANT[@]}" "${#files[@]}" "every corpus file has a documented verdict"
        assert_status 1 "lint of the corpus exits 1 (something is denied)" \
                rh_own lint --policy "$RH_POLICY" --format json "${files[@]}"
        for f in "${files[@]}"; do
                rel=${f#"$RH_CORPUS"/}
                got=$(jq -r --arg p "$f" '.results[] | select(.path == $p)
                        | "\(.verdict): " + ([.findings[] | "\(.rule) \(.action)"] | unique | join(", "))' <<<"$out")
                assert_eq "${WANT[$rel]:-undocumented}" "$got" "lint $rel"
        done
        assert_eq "" "$(jq -r '.results[].findings[] | select(.message | test("hunter|AKIA")) | .rule' <<<"$out")" \
                "no message quotes a value"
        assert_status 0 "lint of docker/hardened.json alone exits 0" \
                rh_own lint --policy "$RH_POLICY" "$RH_CORPUS/docker/hardened.json"
        assert_status 1 "lint of docker/privileged.json alone exits 1" \
                rh_own lint --policy "$RH_POLICY" "$RH_CORPUS/docker/privileged.json"
}

test_lint_fix_of_docker_default_adds_powercap() {
        assert_ok "lint --fix docker/default.json" rh_own lint --policy "$RH_POLICY" --fix "$RH_CORPUS/docker/default.json"
        assert_eq true "$(jq '.linux.maskedPaths | index("/sys/devices/virtual/powercap") != null' <<<"$out")" \
                "the fixed spec masks powercap"
}

run_tests
