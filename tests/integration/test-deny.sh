#!/bin/bash
# Denials: the engine socket (however the path is spelled) and the host's
# namespaces. A denied create exits 1, says why on stderr or in runc's JSON
# log, leaves config.json alone, and runc never makes the container.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# The index the first mount added to a `runc spec` config gets.
FIRST_ADDED=$(jq '.mounts | length' <("$REAL_RUNC" spec --bundle "$T" >/dev/null && cat "$T/config.json" && rm "$T/config.json"))

# expect_denied DIR RULE POINTER WHAT: create is refused by RULE at POINTER.
expect_denied() {
        local b=$1 rule=$2 pointer=$3 what=$4 id before
        new_id id
        before=$(sha "$b/config.json")
        assert_status 1 "$what: create exits 1" rh create --bundle "$b" "$id"
        assert_contains "$err" "runc-harden: denied by policy: $rule: $pointer" "$what: stderr names the rule and pointer"
        assert_eq 1 "$(printf '%s\n' "$err" | wc -l)" "$what: the denial is one line"
        assert_eq absent "$(container_status "$id")" "$what: runc made no container"
        assert_not_contains "$(runc_ list -q)" "$id" "$what: runc list does not show it"
        assert_eq "$before" "$(sha "$b/config.json")" "$what: config.json is unchanged"
}

test_a_bind_of_docker_sock_is_denied() {
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "docker.sock bind"
        assert_contains "$err" "/var/run/docker.sock" "the message names the socket"
}

test_a_bind_of_var_run_is_denied() {
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run /host-run
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "/var/run bind"
}

test_a_bind_of_run_through_a_symlink_is_denied() {
        make_bundle "$TD/b"
        ln -s /run "$TD/innocent"
        add_bind "$TD/b" "$TD/innocent" /data
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "bind of a symlink to /run"
}

test_a_bind_of_run_spelled_with_dotdot_is_denied() {
        make_bundle "$TD/b"
        add_bind "$TD/b" /etc/../var/./run// /data
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "bind of /etc/../var/./run//"
        make_bundle "$TD/c"
        add_bind "$TD/c" /run/../var/run/./docker.sock /docker.sock
        expect_denied "$TD/c" engine-socket "/mounts/$FIRST_ADDED" "bind of /run/../var/run/./docker.sock"
}

test_a_relative_bind_source_climbing_to_run_is_denied() {
        make_bundle "$TD/b"
        # runc takes a relative source from the bundle directory.
        add_bind "$TD/b" ../../../../../../../../../../run /data
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "relative bind source ../../…/run"
}

test_a_bind_of_run_given_as_type_none_with_rbind_is_denied() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.mounts += [{"destination": "/data", "type": "none", "source": "/run", "options": ["rbind", "ro"]}]'
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "type none, options rbind"
}

test_a_hard_link_to_a_protected_socket_is_denied() {
        # A socket of the test's own, protected by the policy's "sockets";
        # its hard link elsewhere has another name but the same inode.
        mkdir -p "$TD/engine" "$TD/elsewhere"
        python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TD/engine/api.sock"
        ln "$TD/engine/api.sock" "$TD/elsewhere/innocent"
        jq --arg s "$TD/engine/api.sock" '.rules["engine-socket"].params.sockets += [$s]' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        add_bind "$TD/b" "$TD/elsewhere/innocent" /api.sock
        expect_denied "$TD/b" engine-socket "/mounts/$FIRST_ADDED" "hard link to a protected socket"
        make_bundle "$TD/c"
        add_bind "$TD/c" "$TD/engine" /engine
        expect_denied "$TD/c" engine-socket "/mounts/$FIRST_ADDED" "the directory of a protected socket"
}

test_the_denied_mount_is_found_among_harmless_ones() {
        make_bundle "$TD/b"
        mkdir -p "$TD/data"
        add_bind "$TD/b" "$TD/data" /data
        add_bind "$TD/b" /run/ /host-run
        expect_denied "$TD/b" engine-socket "/mounts/$((FIRST_ADDED + 1))" "second added mount"
        assert_not_contains "$err" "/mounts/$FIRST_ADDED:" "the harmless mount is not named"
}

test_a_harmless_bind_is_allowed() {
        local id
        new_id id
        make_bundle "$TD/b" cat /data/hello
        mkdir -p "$TD/data"
        echo "hello from the host" >"$TD/data/hello"
        add_bind "$TD/b" "$TD/data" /data
        assert_ok "run with a harmless bind" rh run --bundle "$TD/b" "$id"
        assert_eq "hello from the host" "$out" "the container read the bound file"
}

test_the_host_network_namespace_is_denied() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.namespaces |= map(select(.type != "network"))'
        expect_denied "$TD/b" host-namespace /linux/namespaces "no network namespace"
        assert_contains "$err" "network" "the message names the namespace"
}

test_the_host_pid_namespace_is_denied() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.namespaces |= map(select(.type != "pid"))'
        expect_denied "$TD/b" host-namespace /linux/namespaces "no pid namespace"
}

test_a_network_namespace_path_of_pid_1_is_denied() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/1/ns/net" else . end)'
        local i
        i=$(spec_get "$TD/b" '.linux.namespaces | map(.type) | index("network")')
        expect_denied "$TD/b" host-namespace "/linux/namespaces/$i" "network namespace path /proc/1/ns/net"
}

test_a_network_namespace_path_of_our_own_is_denied() {
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/net" else . end)'
        local i
        i=$(spec_get "$TD/b" '.linux.namespaces | map(.type) | index("network")')
        expect_denied "$TD/b" host-namespace "/linux/namespaces/$i" "network namespace path /proc/self/ns/net"
}

test_several_denials_are_reported_together() {
        local id
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        spec_set "$TD/b" '.linux.namespaces |= map(select(.type != "network"))'
        assert_status 1 "create exits 1" rh create --bundle "$TD/b" "$id"
        assert_eq 1 "$(printf '%s\n' "$err" | wc -l)" "the denials are one line"
        assert_match "$err" '^runc-harden: denied by policy: [a-z-]+: /' "the line starts with the first denial"
        assert_contains "$err" "engine-socket: /mounts/$FIRST_ADDED" "the socket bind is named"
        assert_contains "$err" "host-namespace: /linux/namespaces" "the missing namespace is named"
        assert_match "$err" '; (engine-socket: /mounts|host-namespace: /linux)' "the second denial follows after '; '"
        assert_eq absent "$(container_status "$id")" "runc made no container"
}

test_a_denial_with_a_json_log_goes_to_the_log() {
        local id before
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        spec_set "$TD/b" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/1/ns/net" else . end)'
        before=$(sha "$TD/b/config.json")
        # As containerd calls it: the log exists, with runc's earlier lines.
        echo '{"level":"info","msg":"an earlier line","time":"2026-01-01T00:00:00Z"}' >"$TD/log.json"
        assert_status 1 "create with --log exits 1" \
                rh --log "$TD/log.json" --log-format json create --bundle "$TD/b" --pid-file "$TD/init.pid" "$id"
        assert_eq absent "$(container_status "$id")" "runc made no container"
        assert_eq "$before" "$(sha "$TD/b/config.json")" "config.json is unchanged"
        assert_eq "" "$(grep -v '^{' "$TD/log.json" || true)" "every log line is a JSON object"
        local n_bad
        n_bad=$(while IFS= read -r line; do jq -e . <<<"$line" >/dev/null 2>&1 || echo bad; done <"$TD/log.json" | wc -l)
        assert_eq 0 "$n_bad" "every log line is valid JSON"
        assert_eq '{"level":"info","msg":"an earlier line","time":"2026-01-01T00:00:00Z"}' "$(head -1 "$TD/log.json")" \
                "the log is appended to, not truncated"
        local last
        last=$(jq -r 'select(.level == "error") | .msg' "$TD/log.json" | tail -1)
        assert_match "$last" '^runc-harden: denied by policy: ' "the last error's msg starts with the denial"
        assert_contains "$last" "engine-socket: /mounts/$FIRST_ADDED" "the last error names the socket bind"
        assert_contains "$last" "host-namespace: /linux/namespaces/" "the last error names the namespace path"
        assert_eq 1 "$(jq -r 'select(.level == "error") | .msg' "$TD/log.json" | wc -l)" "one error line"
        assert_eq "" "$(jq -r 'select(.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$") | not) | .time' "$TD/log.json")" \
                "every line has an RFC 3339 time"
}

test_a_denial_is_in_the_audit_log() {
        local id
        new_id id
        make_bundle "$TD/b"
        add_bind "$TD/b" /var/run /host-run
        rm -f "$T/audit.log"
        assert_status 1 "create exits 1" rh create --bundle "$TD/b" "$id"
        assert_eq "deny" "$(tail -1 "$T/audit.log" | jq -r .verdict)" "the audit record says deny"
        assert_eq "$id" "$(tail -1 "$T/audit.log" | jq -r .container)" "the audit record names the container"
        assert_eq "engine-socket /mounts/$FIRST_ADDED/source" \
                "$(tail -1 "$T/audit.log" | jq -r '.findings[] | select(.action == "deny") | "\(.rule) \(.pointer)"')" \
                "the audit record names the rule and pointer"
}

test_a_denied_run_makes_no_container_either() {
        local id
        new_id id
        make_bundle "$TD/b" echo should not run
        add_bind "$TD/b" /var/run/docker.sock /var/run/docker.sock
        assert_status 1 "run exits 1" rh run --bundle "$TD/b" "$id"
        assert_not_contains "$out" "should not run" "the process never ran"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "stderr names the rule"
        assert_eq absent "$(container_status "$id")" "runc made no container"
}

run_tests
