#!/bin/bash
# `runc-harden setup system` on this machine: runc-harden becomes the
# system's runc (the real one moves aside through a dpkg diversion), and
# the engines' own runc paths are checked: docker's built-in runtime
# "runc", podman's default runtime, containerd's runc shim (ctr run). The
# audit reports those bypasses before and not after; --undo puts back the
# same runc.
#
# While it is set up, every runc on the machine is runc-harden: the script
# keeps that window short (set up, test, undo in one run) and ALWAYS undoes,
# from its EXIT trap, whatever failed.
source "$(dirname "$0")/lib.sh"

require_engines
command -v dpkg-divert >/dev/null || skip_all "no dpkg-divert: setup system is for Debian"
[ "$(dpkg-divert --listpackage /usr/sbin/runc)" = "" ] ||
        skip_all "/usr/sbin/runc is diverted already ($(dpkg-divert --list /usr/sbin/runc)): not touching it"

PRIVATE=/usr/libexec/runc-harden/runc
# runc-harden run as runc reads the default policy file: the test's, for the
# run (its audit log is the test's).
SYS_POLICY=/etc/runc-harden/policy.json
SYS_POLICY_SAVED=
SYS_POLICY_DIR_MADE=
SETUP_TRIED=
ULIMITS=(--ulimit nofile=1024:4096 --ulimit nproc=512:512)

# system_state: what setup system may change and --undo must put back.
system_state() {
        stat -c '%i %s %a %U' /usr/sbin/runc
        sha256sum /usr/sbin/runc /usr/bin/runc | cut -d' ' -f1
        readlink /usr/bin/runc
        dpkg-divert --list | grep runc || echo "no diversion of runc"
        ls -la "$(dirname "$PRIVATE")" 2>&1 | sed 's/^.*: //' || true
        find /etc/containers -exec stat -c '%n %F %a' {} + | sort
        find /etc/containers -type f -exec sha256sum {} + | sort
}

# Undo first (the machine's runc back as soon as possible), then the
# policy file, then the suite's containers and images.
system_cleanup() {
        local rc=$?
        set +e
        trap - ERR
        if [ -n "$SETUP_TRIED" ]; then
                if ! "$RUNC_HARDEN" setup system --undo >"$T/undo.log" 2>&1; then
                        cat "$T/undo.log" >&2
                        echo "# setup system --undo FAILED: put /usr/sbin/runc back by hand (see above)" >&2
                        rc=1
                fi
                if dpkg-divert --list | grep -q runc; then
                        echo "# a diversion of runc is left: $(dpkg-divert --list | grep runc)" >&2
                        rc=1
                fi
        fi
        if [ -n "$SYS_POLICY_SAVED" ]; then
                cp -p "$SYS_POLICY_SAVED" "$SYS_POLICY"
        else
                rm -f "$SYS_POLICY"
                [ -z "$SYS_POLICY_DIR_MADE" ] || rmdir "$(dirname "$SYS_POLICY")"
        fi
        (exit "$rc")
        engine_cleanup
}
trap system_cleanup EXIT

install_policy() {
        if [ -e "$SYS_POLICY" ]; then
                SYS_POLICY_SAVED=$T/policy.json.saved
                cp -p "$SYS_POLICY" "$SYS_POLICY_SAVED"
        elif [ ! -d "$(dirname "$SYS_POLICY")" ]; then
                mkdir -p "$(dirname "$SYS_POLICY")"
                SYS_POLICY_DIR_MADE=1
        fi
        cp "$RH_POLICY" "$SYS_POLICY"
}

# bypasses: "RULE POINTER" of each runtime bypass the audit of this host reports.
bypasses() {
        timeout -k 5 60 "$RUNC_HARDEN" audit --format json 2>/dev/null |
                jq -r '.results[].findings[] | select(.rule | endswith("-runtime-bypass")) | "\(.rule) \(.pointer)"' || true
}

# logged ID: the audit log has runc-harden's decision on container ID.
logged() {
        # one array: jq 1.6's -e judges only the last record's output
        jq -s -e --arg id "$1" 'any(.[]; .container == $id)' "$T/audit.log" >/dev/null 2>&1
}

test_setup_system_checks_every_engine_and_undo_leaves_the_system_as_it_was() {
        local before id
        docker_config '{}'
        docker_image
        podman_image
        ctr_image
        system_state >"$T/state.before"
        before=$(bypasses)
        assert_contains "$before" "host-runtime-bypass /usr/sbin/runc" "before: the audit reports runc on PATH"
        assert_contains "$before" "host-runtime-bypass /etc/containers/containers.conf" \
                "before: and podman's default runtime ($(podman info --format '{{.Host.OCIRuntime.Name}}' 2>/dev/null))"

        install_policy
        SETUP_TRIED=1
        assert_ok "runc-harden setup system" timeout -k 5 60 "$RUNC_HARDEN" setup system
        assert_eq "$RUNC_HARDEN" "$(readlink /usr/sbin/runc)" "/usr/sbin/runc is a symlink to runc-harden"
        assert_contains "$(dpkg-divert --list /usr/sbin/runc)" "to $PRIVATE by runc-harden" "runc is diverted"
        assert_contains "$(timeout 10 runc --version)" "runc version" \
                "runc --version is the real runc's, through runc-harden"
        assert_eq "" "$(bypasses)" "after: the audit reports no bypass"

        # docker's built-in runtime: reserved, reachable by any docker user
        assert_fails "docker run --runtime=runc with docker.sock is refused" \
                drun --rm --runtime=runc -v /var/run/docker.sock:/var/run/docker.sock "$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "with the policy's message"
        assert_ok "a plain docker run --runtime=runc runs" drun -d --runtime=runc "$IMAGE" sleep 300
        id=$out
        assert_ok "and was decided on by runc-harden" logged "$id"
        capture docker_ exec "$id" grep NoNewPrivs /proc/self/status
        assert_match "$out" $'NoNewPrivs:\t1' "its fixes are in force (no_new_privs)"
        docker_ rm -f "$id" >/dev/null

        # podman's default runtime, through the drop-in
        assert_eq "runc /usr/bin/runc" "$(podman_ info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Path}}')" \
                "podman's default runtime is runc"
        assert_ok "a plain podman run (default runtime) runs" \
                podman_ run --rm --label "rh-engine-test=$ENGINE_TAG" "${ULIMITS[@]}" "localhost/$IMAGE" \
                sh -c 'grep NoNewPrivs /proc/self/status; touch /x 2>&1; true'
        assert_match "$out" $'NoNewPrivs:\t1' "with runc-harden's fixes (no_new_privs)"
        assert_contains "$out" "Read-only file system" "and a read-only root"
        assert_fails "podman run -v /etc:/h (default runtime) is refused" \
                podman_ run --rm --label "rh-engine-test=$ENGINE_TAG" "${ULIMITS[@]}" -v /etc:/h "localhost/$IMAGE" true
        assert_contains "$err" "runc-harden: denied by policy: sensitive-mount:" "with the policy's message"

        # containerd's runc shim, runc from PATH
        id=rh-sys-ctr-$$
        CTR_IDS+=("$id")
        assert_ok "a plain ctr run (default runc) runs" timeout -k 5 60 ctr -n "$CTR_NS" run --rm "$CTR_IMAGE" "$id" \
                grep NoNewPrivs /proc/self/status
        assert_match "$out" $'NoNewPrivs:\t1' "with runc-harden's fixes (no_new_privs)"
        assert_ok "and was decided on by runc-harden" logged "$id"
        assert_fails "ctr run binding containerd's socket is refused" timeout -k 5 60 ctr -n "$CTR_NS" run --rm \
                --mount type=bind,src=/run/containerd/containerd.sock,dst=/s,options=rbind:ro "$CTR_IMAGE" "$id-sock" true
        CTR_IDS+=("$id-sock")
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "with the policy's message"

        assert_ok "runc-harden setup system --undo" timeout -k 5 60 "$RUNC_HARDEN" setup system --undo
        SETUP_TRIED=
        system_state >"$T/state.after"
        assert_same_file "$T/state.before" "$T/state.after" \
                "the same runc is at /usr/sbin/runc, no diversion, containers.conf as before"
        assert_eq "" "$(dpkg-divert --list | grep runc || true)" "dpkg-divert --list has no runc"
        assert_contains "$(bypasses)" "host-runtime-bypass /usr/sbin/runc" "the audit reports the bypass again"
        assert_ok "docker run --runtime=runc is plain runc again" drun --rm --runtime=runc "$IMAGE" true
}

run_tests
