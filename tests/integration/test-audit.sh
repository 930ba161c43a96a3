#!/bin/bash
# `runc-harden audit`: exit codes and report formats over fake hosts built
# under --root-dir, and the running-container checks on real runc
# containers (a private --root stands in for dockerd's runtime root).
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

AUDIT_DATA=$RH_TEST_DATA/audit

# fake_host DIR: a host with nothing wrong at deny level: hardened.json as
# /etc/docker/daemon.json and the TLS files it names, root-owned.
fake_host() {
        local r=$1
        mkdir -p "$r/etc/docker/tls" "$r/proc/self" "$r/sys/module/apparmor/parameters"
        cp "$AUDIT_DATA/hardened.json" "$r/etc/docker/daemon.json"
        echo ca >"$r/etc/docker/tls/ca.pem"
        echo cert >"$r/etc/docker/tls/server-cert.pem"
        echo key >"$r/etc/docker/tls/server-key.pem"
        chmod 400 "$r/etc/docker/tls/server-key.pem"
        chmod 755 "$r/etc/docker" "$r/etc/docker/tls"
        printf '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n24 22 8:2 / /var/lib/docker rw - ext4 /dev/sda2 rw\n' \
                >"$r/proc/self/mountinfo"
        echo Y >"$r/sys/module/apparmor/parameters/enabled"
}

audit() {
        rh_own audit "$@"
}

test_a_hardened_fake_host_passes() {
        fake_host "$TD/root"
        # daemon.json's runtime is runc-harden by device and inode, as
        # daemon-runtime-bypass judges it: the binary must be there.
        mkdir -p "$TD/root/usr/bin"
        cp "$RUNC_HARDEN" "$TD/root/usr/bin/runc-harden"
        capture audit --root-dir "$TD/root" --runc-harden "$TD/root/usr/bin/runc-harden"
        assert_eq 0 "$rc" "exit 0: nothing at deny level"
        assert_contains "$out" "$TD/root/etc/docker/daemon.json: allow" "the daemon item is allowed"
        assert_not_contains "$out" "daemon-" "no daemon finding"
        assert_contains "$err" "running containers not checked" "a fake root has no containers to check"
        # Another binary named runc-harden is not runc-harden, for either check.
        capture audit --root-dir "$TD/root"
        assert_eq 1 "$rc" "a copy under that name: exit 1"
        assert_contains "$out" "daemon-default-runtime" "the default runtime is not runc-harden"
        assert_contains "$out" "daemon-runtime-bypass" "and the runtime goes around it"
}

test_a_weak_daemon_json_fails_with_exit_1_and_a_json_report() {
        fake_host "$TD/root"
        capture audit --root-dir "$TD/root" --daemon-config "$AUDIT_DATA/weak.json" --format json
        assert_eq 1 "$rc" "exit 1"
        assert_eq "$AUDIT_DATA/weak.json" "$(jq -r '.results[0].path' <<<"$out")" "the daemon item is daemon.json"
        assert_eq deny "$(jq -r '.results[0].verdict' <<<"$out")" "which is denied"
        assert_eq host "$(jq -r '.results[1].path' <<<"$out")" "the host item"
        assert_eq DAEMON-6 "$(jq -r '.results[0].findings[] | select(.rule == "daemon-storage-driver") | .guide' <<<"$out")" \
                "aufs cites DAEMON-6"
        assert_eq /hosts/1 "$(jq -r '.results[0].findings[] | select(.rule == "daemon-remote-api-tls") | .pointer' <<<"$out")" \
                "the plain TCP host is pointed at"
}

test_sarif_results_index_the_audit_rules() {
        capture audit --root-dir "$TD" --daemon-config "$AUDIT_DATA/weak.json" --format sarif
        assert_eq 1 "$rc" "exit 1"
        assert_eq true "$(jq '[.runs[0] as $r | $r.results[] | $r.tool.driver.rules[.ruleIndex].id == .ruleId] | all' <<<"$out")" \
                "every ruleIndex names its ruleId"
        assert_eq true "$(jq '[.runs[0].tool.driver.rules[].id | test("^(daemon|host|container)-")] | all' <<<"$out")" \
                "the driver lists audit rules"
}

test_malformed_daemon_json_is_an_error() {
        capture audit --root-dir "$TD" --daemon-config "$AUDIT_DATA/malformed.json"
        assert_eq 2 "$rc" "exit 2"
        assert_contains "$err" "malformed.json: not valid JSON" "stderr says which file and why"
        assert_eq "" "$out" "no report"
}

test_usage_errors_exit_2() {
        local args
        for args in "--format xml" "--bogus" "--allowed-ports 80,http" "--min-docker-version latest" \
                "--root-dir $TD/none" "extra"; do
                # shellcheck disable=SC2086
                capture audit --root-dir "$TD" $args
                assert_eq 2 "$rc" "audit $args exits 2"
        done
}

test_a_flag_in_the_unit_conflicting_with_daemon_json_is_denied() {
        fake_host "$TD/root"
        mkdir -p "$TD/root/lib/systemd/system"
        printf '[Service]\nExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock\n' \
                >"$TD/root/lib/systemd/system/docker.service"
        capture audit --root-dir "$TD/root"
        assert_eq 1 "$rc" "exit 1"
        assert_contains "$out" "deny   daemon-option-conflict: /hosts: set both in daemon.json and by the dockerd flag -H fd://" \
                "the conflict names the key and the flag"
}

# ------------------------------------------------------ runtimes around runc-harden

# bypass_host DIR: fake_host with Docker and containerd installed, the real
# runc on PATH, crun, and runc-harden (a copy, named with --runc-harden:
# the checks compare inodes) registered in daemon.json through a symlink.
bypass_host() {
        local r=$1
        fake_host "$r"
        mkdir -p "$r/usr/local/bin" "$r/usr/sbin" "$r/usr/bin" "$r/etc/containerd"
        cp "$RUNC_HARDEN" "$r/usr/local/bin/runc-harden"
        ln -s /usr/local/bin/runc-harden "$r/usr/bin/runc-harden"
        printf '#!/bin/sh\n' >"$r/usr/sbin/runc"
        ln -s ../sbin/runc "$r/usr/bin/runc"
        cp "$r/usr/sbin/runc" "$r/usr/bin/crun"
        cp "$r/usr/sbin/runc" "$r/usr/bin/dockerd"
        cp "$r/usr/sbin/runc" "$r/usr/bin/containerd"
        chmod 755 "$r/usr/sbin/runc" "$r/usr/bin/crun" "$r/usr/bin/dockerd" "$r/usr/bin/containerd"
        jq '.runtimes.crun = {path: "/usr/bin/crun"}' "$AUDIT_DATA/hardened.json" >"$r/etc/docker/daemon.json"
        printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.crun.options]\n  BinaryName = "/usr/bin/crun"\n' \
                >"$r/etc/containerd/config.toml"
}

# bypass_audit DIR: audit of the fake host as JSON ($out, $rc); $found:
# "RULE POINTER" per bypass.
bypass_audit() {
        capture audit --root-dir "$1" --runc-harden "$1/usr/local/bin/runc-harden" --format json
        found=$(jq -r '.results[].findings[] | select(.rule | endswith("-runtime-bypass")) | "\(.rule) \(.pointer)"' <<<"$out")
}

test_runtimes_that_go_around_runc_harden_are_denied() {
        local r=$TD/root found
        bypass_host "$r"
        bypass_audit "$r"
        assert_eq 1 "$rc" "exit 1"
        assert_eq "daemon-runtime-bypass /runtimes/crun/path
host-runtime-bypass /usr/sbin/runc
host-runtime-bypass /etc/containerd/config.toml:3" "$found" \
                "daemon.json's crun, runc on PATH and containerd's crun are reported; runc-harden through a symlink is not"
        assert_eq RUN-5 "$(jq -r '[.results[].findings[] | select(.rule == "host-runtime-bypass")][0].guide' <<<"$out")" \
                "they cite RUN-5"
        capture audit --root-dir "$r" --runc-harden "$r/usr/local/bin/runc-harden"
        assert_contains "$out" "deny   host-runtime-bypass: /usr/sbin/runc: runc on PATH is /usr/sbin/runc, the real runc, not runc-harden: docker run --runtime=runc" \
                "the text report says what goes around runc-harden"
        assert_contains "$out" "runc-harden setup system" "and what to do"

        # what setup system and a hardened config leave
        ln -sf /usr/local/bin/runc-harden "$r/usr/sbin/runc"
        jq 'del(.runtimes.crun)' "$AUDIT_DATA/hardened.json" >"$r/etc/docker/daemon.json"
        sed -i 's|"/usr/bin/crun"|"/usr/bin/runc"|' "$r/etc/containerd/config.toml"
        bypass_audit "$r"
        assert_eq 0 "$rc" "exit 0 once every runtime resolves to runc-harden"
        assert_eq "" "$found" "no bypass is left"
}

test_a_containerd_config_the_audit_cannot_read_fails_closed() {
        local r=$TD/root
        bypass_host "$r"
        ln -sf /usr/local/bin/runc-harden "$r/usr/sbin/runc"
        jq 'del(.runtimes.crun)' "$AUDIT_DATA/hardened.json" >"$r/etc/docker/daemon.json"
        printf 'version = 2\nimports = ["a.toml"\n' >"$r/etc/containerd/config.toml"
        capture audit --root-dir "$r" --runc-harden "$r/usr/local/bin/runc-harden"
        assert_eq 1 "$rc" "exit 1"
        assert_contains "$out" "host-runtime-bypass: /etc/containerd/config.toml: /etc/containerd/config.toml:3:" \
                "the file and line it stopped at are named"
}

test_runc_harden_must_name_a_file() {
        capture audit --root-dir "$TD" --runc-harden "$TD/none"
        assert_eq 2 "$rc" "exit 2"
        assert_contains "$err" "--runc-harden $TD/none: not a file" "it says why"
}

# ------------------------------------------------------ running containers

# start_listener ID: a busybox container listening on TCP 8081, with a
# process whose comm is sshd (busybox sleep run through a link named sshd).
start_listener() {
        local id=$1 b=$TD/b pid _ old
        # One container at a time: an earlier test's still listens.
        for old in $(runc_ list -q); do
                runc_ delete --force "$old" >/dev/null 2>&1
        done
        make_bundle "$b" sh -c 'nc -l -p 8081 & exec -a sleep /bin/sshd 1000'
        ln -s busybox "$b/rootfs/bin/nc"
        ln -s busybox "$b/rootfs/bin/sshd"
        runc_ run -d --bundle "$b" "$id" >/dev/null 2>&1
        pid=$(runc_ state "$id" | jq .pid)
        for _ in $(seq 600); do
                cat "/proc/$pid/net/tcp" "/proc/$pid/net/tcp6" 2>/dev/null | grep -q ':1F91 .* 0A ' && return 0
                sleep 0.1
        done
        return 1
}

test_a_listening_container_is_reported_unless_its_port_is_allowed() {
        local id
        new_id id
        start_listener "$id"
        capture audit --runtime-root "$STATE" --runtime "$REAL_RUNC"
        assert_contains "$out" "container $id: deny" "the container is an item"
        assert_contains "$out" "listens on TCP port 8081, which is not allowed" "its port is reported"
        assert_contains "$out" "container-ssh-server" "so is its sshd"
        capture audit --runtime-root "$STATE" --runtime "$REAL_RUNC" --allowed-ports 80,8081
        assert_not_contains "$out" "port 8081" "--allowed-ports allows it"
        spec_set "$TD/b" '.annotations["org.runc-harden.ports"] = "8081"'
        capture audit --runtime-root "$STATE" --runtime "$REAL_RUNC"
        assert_not_contains "$out" "port 8081" "so does the container's annotation"
}

test_a_container_without_a_logged_decision_is_unchecked() {
        local id
        new_id id
        start_listener "$id"
        : >"$TD/audit.log"
        capture audit --runtime-root "$STATE" --runtime "$REAL_RUNC" --audit-log "$TD/audit.log"
        assert_contains "$out" "container-unchecked: $TD/audit.log" "no decision: unchecked"
        jq -nc --arg id "$id" '{time: "t", command: "create", container: $id, verdict: "allow"}' >"$TD/audit.log"
        capture audit --runtime-root "$STATE" --runtime "$REAL_RUNC" --audit-log "$TD/audit.log"
        assert_not_contains "$out" "container-unchecked" "a decision is logged"
}

run_tests
