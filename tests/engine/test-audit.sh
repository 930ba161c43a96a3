#!/bin/bash
# runc-harden audit against the dockerd the suite runs: the daemon.json it
# was started with (found through its --config-file flag in /proc), made weak
# then hardened, and a container it runs under plain runc that listens on a
# port nobody allowed.
source "$(dirname "$0")/lib.sh"

require_engines
docker_image

# live-restore is one of the settings a reload applies, and a reload keeps
# it when the file no longer names it: before the suite's cleanup puts the
# original daemon.json back, dockerd gets its default (false) again unless
# the original names it.
audit_cleanup() {
        local rc=$? _
        set +e
        trap - ERR
        # dockerd restarted with docker-bench's flags: back to the plain one.
        [ -z "$DOCKERD_RESTARTED" ] || RH_DOCKERD_FLAGS= bash "$SERVICES" restart-dockerd >/dev/null 2>&1
        if [ -n "$DAEMON_JSON_SAVED" ]; then
                jq '{"live-restore": false} + .' "$DAEMON_JSON_SAVED" >"$DAEMON_JSON"
                docker_reload >/dev/null 2>&1
                for _ in $(seq 50); do
                        [ "$("$DOCKER" info --format '{{.LiveRestoreEnabled}}' 2>/dev/null)" = \
                                "$(jq '.["live-restore"] // false' "$DAEMON_JSON")" ] && break
                        sleep 0.1
                done
        fi
        (exit "$rc")
        engine_cleanup
}
trap audit_cleanup EXIT
DOCKERD_RESTARTED=

# The daemon checks a weak or a hardened daemon.json fails or passes.
AUDITED_DAEMON_IDS=(daemon-icc daemon-live-restore daemon-userland-proxy daemon-log-rotation
        daemon-default-ulimits daemon-no-new-privileges daemon-default-runtime)

# dockerd keeps the state of the containers it starts with runc here.
DOCKER_RUNC_ROOT=/run/docker/runtime-runc/moby

# audit ARGS...: runc-harden audit --format json; the report in $T/audit.json
# ($out, $err, $rc as by capture).
audit() {
        capture timeout -k 5 60 "$RUNC_HARDEN" audit --format json "$@"
        printf '%s\n' "$out" >"$T/audit.json"
}

# assert_status_was EXPECTED WHAT: the last capture's exit status.
assert_status_was() {
        if [ "$rc" -eq "$1" ]; then
                pass "$2"
        else
                fail "$2" "expected exit status $1, got $rc" "stderr:" "$(printf '%s\n' "$err" | indent)"
        fi
}

# daemon_rules: the rule ids of the daemon item (the one named by the
# private daemon.json), one per line.
daemon_rules() {
        jq -r --arg p "$DAEMON_JSON" '.results[] | select(.path == $p) | .findings[].rule' "$T/audit.json"
}

# daemon_finding RULE FIELD: that field of the daemon item's finding RULE.
daemon_finding() {
        jq -r --arg p "$DAEMON_JSON" --arg r "$1" --arg f "$2" \
                '.results[] | select(.path == $p) | .findings[] | select(.rule == $r) | .[$f]' "$T/audit.json"
}

# container_findings ID RULE: the messages of RULE's findings on container ID;
# "absent" when the report has no item for the container.
container_findings() {
        jq -r --arg id "$1" --arg r "$2" '
                [.results[] | select(.path == "container \($id)" or (.path | endswith(" (\($id))")))]
                | if length == 0 then "absent" else .[0].findings[] | select(.rule == $r) | .message end' \
                "$T/audit.json"
}

# listening PID PORT: the process's network namespace has a TCP socket in
# LISTEN on PORT (IPv4 or IPv6).
listening() {
        local hex
        hex=$(printf ':%04X' "$2")
        awk -v p="$hex" '$2 ~ p"$" && $4 == "0A" { found = 1 } END { exit !found }' \
                "/proc/$1/net/tcp" "/proc/$1/net/tcp6" 2>/dev/null
}

test_a_weak_daemon_json_is_reported_point_by_point() {
        local id
        # A reload keeps runtimes and a default runtime the file no longer
        # names (another test's hardened one): name runc's and none.
        docker_config '{"icc": true, "live-restore": false, "userland-proxy": true, "log-driver": "json-file",
                "default-runtime": "runc", "runtimes": {}}'
        assert_eq "false runc" "$("$DOCKER" info --format '{{.LiveRestoreEnabled}} {{.DefaultRuntime}}')" \
                "dockerd took the weak daemon.json (live-restore off, runc by default)"
        audit
        assert_status_was 1 "audit exits 1: deny-level checks failed"
        assert_eq deny "$(jq -r --arg p "$DAEMON_JSON" '.results[] | select(.path == $p) | .verdict' "$T/audit.json")" \
                "the daemon item is found through dockerd's --config-file and denied"
        for id in "${AUDITED_DAEMON_IDS[@]}"; do
                assert_contains "$(daemon_rules)" "$id" "$id is reported"
        done
        assert_eq "deny /icc" "$(daemon_finding daemon-icc action) $(daemon_finding daemon-icc pointer)" \
                "daemon-icc denies and points at /icc"
        assert_eq DAEMON-1 "$(daemon_finding daemon-icc guide)" "daemon-icc cites DAEMON-1"
        assert_eq "warn /live-restore" \
                "$(daemon_finding daemon-live-restore action) $(daemon_finding daemon-live-restore pointer)" \
                "daemon-live-restore warns and points at /live-restore"
        assert_eq "warn /userland-proxy" \
                "$(daemon_finding daemon-userland-proxy action) $(daemon_finding daemon-userland-proxy pointer)" \
                "daemon-userland-proxy warns and points at /userland-proxy"
        assert_eq "warn /log-opts" \
                "$(daemon_finding daemon-log-rotation action) $(daemon_finding daemon-log-rotation pointer)" \
                "daemon-log-rotation warns and points at /log-opts (json-file without max-size)"
        assert_contains "$(daemon_finding daemon-log-rotation message)" "max-size" \
                "daemon-log-rotation says what to add"
        assert_eq deny "$(daemon_finding daemon-default-runtime action)" \
                "daemon-default-runtime denies: runc-harden is not registered"
        assert_eq "warn /no-new-privileges" \
                "$(daemon_finding daemon-no-new-privileges action) $(daemon_finding daemon-no-new-privileges pointer)" \
                "daemon-no-new-privileges warns and points at /no-new-privileges"
        assert_eq "warn /default-ulimits" \
                "$(daemon_finding daemon-default-ulimits action) $(daemon_finding daemon-default-ulimits pointer)" \
                "daemon-default-ulimits warns and points at /default-ulimits"
        assert_not_contains "$(daemon_rules)" daemon-log-driver "a chosen log driver is not reported"
        assert_not_contains "$(daemon_rules)" daemon-option-conflict \
                "no option is both a dockerd flag and a daemon.json key"

        audit --daemon-config "$DAEMON_JSON"
        assert_contains "$(daemon_rules)" daemon-icc "--daemon-config names the same file: the same findings"
}

test_a_hardened_daemon_json_clears_those_findings() {
        local id config
        config=$(jq -n --argjson h "$(runtime_entry)" '{
                icc: false, "live-restore": true, "userland-proxy": false,
                "log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "3"},
                "default-ulimits": {
                        nofile: {Name: "nofile", Soft: 1024, Hard: 4096},
                        nproc: {Name: "nproc", Soft: 1024, Hard: 2048}},
                "no-new-privileges": true,
                runtimes: {hardened: $h}, "default-runtime": "hardened"}')
        docker_config "$config"
        assert_eq "true hardened" "$("$DOCKER" info --format '{{.LiveRestoreEnabled}} {{.DefaultRuntime}}')" \
                "dockerd took the hardened daemon.json (live-restore, default runtime)"
        audit
        assert_ne deny "$(jq -r --arg p "$DAEMON_JSON" '.results[] | select(.path == $p) | .verdict' "$T/audit.json")" \
                "the daemon item is no longer denied"
        for id in "${AUDITED_DAEMON_IDS[@]}" daemon-log-driver daemon-config-invalid; do
                assert_not_contains "$(daemon_rules)" "$id" "$id is gone"
        done
        assert_not_contains "$(daemon_rules)" daemon-option-conflict "no option conflict"
}

test_a_container_on_an_unlisted_port_is_reported_unless_the_port_is_allowed() {
        local id pid _
        assert_ok "a plain-runc container listening on 8081 starts" \
                drun -d --runtime=runc "$IMAGE" nc -l -p 8081
        id=$out
        docker_wait_running "$id"
        pid=$("$DOCKER" inspect -f '{{.State.Pid}}' "$id")
        for _ in $(seq 100); do
                listening "$pid" 8081 && break
                sleep 0.1
        done
        assert_ok "the container listens on 8081" listening "$pid" 8081
        assert_ok "its state is in dockerd's runc root" test -f "$DOCKER_RUNC_ROOT/$id/state.json"

        audit --runtime-root "$DOCKER_RUNC_ROOT"
        assert_ne absent "$(container_findings "$id" container-ports)" "the audit has an item for the container"
        assert_contains "$(container_findings "$id" container-ports)" "port 8081" \
                "container-ports reports port 8081"
        assert_contains "$(jq -r --arg id "$id" \
                '.results[] | select(.path | endswith(" (\($id))")) | .findings[] | select(.rule == "container-ports") | .guide' \
                "$T/audit.json")" RUN-6 "container-ports cites RUN-6"
        assert_eq "container $("$DOCKER" inspect -f '{{.Name}}' "$id" | cut -c2-) ($id)" \
                "$(jq -r --arg id "$id" '.results[] | select(.path | endswith(" (\($id))")) | .path' "$T/audit.json")" \
                "the container is shown with Docker's name"
        assert_contains "$(container_findings "$id" container-unchecked)" \
                "not checked by runc-harden: Docker started it with the runtime runc" \
                "a --runtime=runc container is not checked by runc-harden, even without --audit-log"

        audit --runtime-root "$DOCKER_RUNC_ROOT" --allowed-ports 8081
        assert_ne absent "$(container_findings "$id" container-ports)" \
                "with --allowed-ports 8081 the container is still audited"
        assert_eq "" "$(container_findings "$id" container-ports)" \
                "with --allowed-ports 8081 no port is reported"

        assert_ok "docker rm" docker_ rm -f "$id"
        audit --runtime-root "$DOCKER_RUNC_ROOT"
        assert_eq absent "$(container_findings "$id" container-ports)" "a removed container is not audited"
}

test_a_container_started_through_runc_harden_is_not_unchecked() {
        local id
        docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}}')"
        assert_ok "a container through runc-harden starts" drun -d --runtime=hardened "$IMAGE" sleep 300
        id=$out
        docker_wait_running "$id"
        audit --runtime-root "$DOCKER_RUNC_ROOT"
        assert_ne absent "$(container_findings "$id" container-ports)" "the audit has an item for it"
        assert_eq "" "$(container_findings "$id" container-unchecked)" "it is not reported unchecked"
        audit --runtime-root "$DOCKER_RUNC_ROOT" --audit-log "$T/audit.log"
        assert_eq "" "$(container_findings "$id" container-unchecked)" "its decision is in the audit log"
        docker_ rm -f "$id" >/dev/null
}

# docker-bench's daemon checks against the real dockerd, each set by its
# flag: the audit reads the running dockerd's command line from /proc.
test_docker_bench_flags_of_the_running_dockerd_are_reported() {
        local pid flags
        docker_config '{"default-runtime": "runc", "runtimes": {}}'
        printf '{"defaultAction": "SCMP_ACT_ALLOW"}\n' >"$T/allow-all.json"
        flags="--insecure-registry=10.99.0.1:5000 --registry-mirror=http://10.99.0.1:5001 --iptables=false"
        flags+=" --experimental --log-level=debug --seccomp-profile=$T/allow-all.json --cgroup-parent=/rh-audit"
        DOCKERD_RESTARTED=1
        assert_ok "dockerd restarts with the flags" env RH_DOCKERD_FLAGS="$flags" bash "$SERVICES" restart-dockerd
        pid=$(cat "$RH_ENGINE_DIR/dockerd.pid")
        assert_eq true "$("$DOCKER" info --format '{{.ExperimentalBuild}}')" "dockerd runs experimental"
        assert_ne 0 "$(grep -c 'level=debug' "$RH_ENGINE_DIR/dockerd.log" || true)" "and logs at level debug"
        assert_contains "$("$DOCKER" info --format '{{json .RegistryConfig.IndexConfigs}}')" '"10.99.0.1:5000"' \
                "with the insecure registry"
        audit
        local where="(/proc/$pid/cmdline)"
        assert_eq "deny warn warn warn deny warn" \
                "$(for r in daemon-insecure-registry daemon-iptables daemon-experimental daemon-log-level \
                        daemon-seccomp-profile daemon-cgroup-parent; do
                        daemon_finding "$r" action | head -1; done | paste -sd' ')" \
                "each is reported, at its severity"
        assert_eq "--insecure-registry=10.99.0.1:5000 $where
--registry-mirror=http://10.99.0.1:5001 $where" "$(daemon_finding daemon-insecure-registry pointer)" \
                "the insecure registry and the http mirror, at their flags"
        assert_eq "--iptables=false $where" "$(daemon_finding daemon-iptables pointer)" "iptables at its flag"
        assert_eq "--log-level=debug $where" "$(daemon_finding daemon-log-level pointer)" "log-level at its flag"
        assert_contains "$(daemon_finding daemon-seccomp-profile message)" "refuses no system call" \
                "the allow-all profile is judged as the seccomp rule judges one"
        assert_eq "--cgroup-parent=/rh-audit $where" "$(daemon_finding daemon-cgroup-parent pointer)" \
                "cgroup-parent at its flag"
        DOCKERD_RESTARTED=
        assert_ok "dockerd restarts without them" env RH_DOCKERD_FLAGS= bash "$SERVICES" restart-dockerd
        audit
        assert_eq "" "$(daemon_rules | grep -E 'insecure-registry|iptables|experimental|log-level|seccomp-profile|cgroup-parent' || true)" \
                "and then none is"
}

run_tests
