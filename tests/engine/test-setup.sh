#!/bin/bash
# runc-harden setup docker: merges the runtime into daemon.json, keeps the
# other keys, backs up, and dockerd takes the result.
source "$(dirname "$0")/lib.sh"

test_dry_run_prints_the_change_and_writes_nothing() {
        printf '{"log-driver": "json-file", "log-opts": {"max-size": "10m"}}\n' >"$TD/daemon.json"
        cp "$TD/daemon.json" "$TD/orig.json"
        assert_ok "setup --dry-run" rh_own setup docker --dry-run --daemon-config "$TD/daemon.json" --path /opt/rh
        assert_contains "$out" '+    "hardened": {' "the new entry is shown"
        assert_contains "$out" '-{"log-driver"' "the old content is shown"
        assert_same_file "$TD/orig.json" "$TD/daemon.json" "the file is untouched"
        assert_eq "" "$(compgen -G "$TD/*.bak" || true)" "no backup"
}

test_setup_keeps_every_other_key_and_backs_up() {
        printf '{"log-driver": "json-file", "runtimes": {"crun": {"path": "/usr/bin/crun"}}, "icc": false}\n' \
                >"$TD/daemon.json"
        chmod 600 "$TD/daemon.json"
        cp "$TD/daemon.json" "$TD/orig.json"
        assert_ok "setup" rh_own setup docker --daemon-config "$TD/daemon.json" --path /opt/rh --policy /etc/p.json
        assert_contains "$out" "kill -HUP" "it says how to reload dockerd"
        assert_eq '{"log-driver":"json-file","runtimes":{"crun":{"path":"/usr/bin/crun"},"hardened":{"path":"/opt/rh","runtimeArgs":["--harden-policy","/etc/p.json"]}},"icc":false}' \
                "$(jq -c . "$TD/daemon.json")" "the runtime is added, the rest kept in order"
        assert_same_file "$TD/orig.json" "$TD/daemon.json.bak" "the backup is the old file"
        assert_eq 600 "$(stat -c %a "$TD/daemon.json")" "the mode is kept"
        assert_ok "setup --default again" rh_own setup docker --default --daemon-config "$TD/daemon.json" \
                --path /opt/rh --policy /etc/p.json
        assert_eq '"hardened" 2' "$(jq -c '.["default-runtime"], (.runtimes | length)' "$TD/daemon.json" | paste -sd' ')" \
                "idempotent; --default sets the default runtime"
}

test_a_broken_file_is_left_alone() {
        echo '{"runtimes": [' >"$TD/daemon.json"
        cp "$TD/daemon.json" "$TD/orig.json"
        assert_status 1 "setup refuses" rh_own setup docker --daemon-config "$TD/daemon.json"
        assert_contains "$err" "daemon.json" "and names the file"
        assert_same_file "$TD/orig.json" "$TD/daemon.json" "the file is untouched"
        assert_status 2 "usage error" rh_own setup podman
}

test_dockerd_runs_containers_through_the_result() {
        require_engines
        docker_config '{}'
        docker_image
        assert_ok "setup on dockerd's daemon.json" rh_own setup docker --daemon-config "$DAEMON_JSON" --policy "$RH_POLICY"
        rm -f "$DAEMON_JSON".bak* # setup's backups of the test's own config
        docker_config "$(cat "$DAEMON_JSON")"
        assert_ok "docker run --runtime=hardened" drun --rm --runtime=hardened "$IMAGE" true
        assert_fails "--privileged is refused" drun --rm --runtime=hardened --privileged "$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy:" "with the policy's message"
}

# dockerd reads `RUNTIME --version` of its default runtime for docker info
# and docker version; runc-harden's own lines come first and must not
# change what dockerd reads from runc's.
test_docker_info_still_reads_runcs_version_through_runc_harden() {
        local commit version
        require_engines
        docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}, "default-runtime": "hardened"}')"
        commit=$("$RUNC_BIN" --version | sed -n 's/^commit: //p')
        version=$("$RUNC_BIN" --version | sed -n 's/^runc version //p')
        assert_eq "hardened $commit" "$("$DOCKER" info --format '{{.DefaultRuntime}} {{.RuncCommit.ID}}')" \
                "docker info: the default runtime's commit is runc's"
        assert_eq "$version $commit" "$("$DOCKER" version --format \
                '{{range .Server.Components}}{{if eq .Name "hardened"}}{{.Version}} {{.Details.GitCommit}}{{end}}{{end}}')" \
                "docker version: the hardened component shows runc's version and commit"
        assert_contains "$("$RUNC_HARDEN" --version)" "runc-harden version" "runc-harden --version names itself first"
        # dockerd keeps a default runtime the file no longer names: name runc.
        docker_config '{"default-runtime": "runc", "runtimes": {}}'
}

# setup docker --undo on dockerd's own file: after a HUP dockerd's default
# runtime is runc again. A default runtime that merely disappears from the
# file is kept by dockerd until it is given another one: --undo writes
# "runc" for that reason.
test_undo_gives_dockerd_runc_back_after_a_hup() {
        require_engines
        docker_config '{}'
        docker_image
        assert_ok "setup --default" rh_own setup docker --default --daemon-config "$DAEMON_JSON" --policy "$RH_POLICY"
        docker_config "$(cat "$DAEMON_JSON")"
        assert_eq hardened "$("$DOCKER" info --format '{{.DefaultRuntime}}')" "the default runtime is hardened"
        # What --undo avoids: the key only removed.
        jq 'del(.["default-runtime"])' "$DAEMON_JSON" >"$T/no-default.json"
        cp "$T/no-default.json" "$DAEMON_JSON"
        docker_reload
        sleep 1
        assert_eq hardened "$("$DOCKER" info --format '{{.DefaultRuntime}}')" \
                "a default-runtime removed from the file is kept across a HUP"
        rh_own setup docker --default --daemon-config "$DAEMON_JSON" --policy "$RH_POLICY" >/dev/null
        assert_ok "setup --undo" rh_own setup docker --undo --daemon-config "$DAEMON_JSON"
        assert_eq runc "$(jq -r '.["default-runtime"]' "$DAEMON_JSON")" "--undo writes runc as the default"
        assert_eq false "$(jq '.runtimes.hardened != null' "$DAEMON_JSON")" "and removes the runtime"
        docker_reload
        local i
        for i in $(seq 50); do
                [ "$("$DOCKER" info --format '{{.DefaultRuntime}}')" = runc ] && break
                sleep 0.1
        done
        assert_eq runc "$("$DOCKER" info --format '{{.DefaultRuntime}}')" "after a HUP dockerd's default is runc"
        assert_ok "docker run works with runc" drun --rm "$IMAGE" true
        rm -f "$DAEMON_JSON".bak*
}

run_tests
