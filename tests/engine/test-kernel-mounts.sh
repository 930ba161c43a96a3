#!/bin/bash
# kernel-mounts behind the engines: kernel file systems given through the
# docker, podman and ctr command lines (volumes of type proc or sysfs,
# binds of /proc and of cgroups, a second proc or a cgroup2 mount, a
# cgroup parent inside another container) are refused at create, with the
# policy's message in the tool's own output; the engines' defaults run.
source "$(dirname "$0")/lib.sh"

require_engines
docker_image
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}}')"

# ctr and podman take a runtime path without arguments: a wrapper.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"

VOLUMES=()
kmounts_cleanup() {
        local rc=$? v
        set +e
        for v in "${VOLUMES[@]}"; do
                "$DOCKER" volume rm -f "$v" >/dev/null 2>&1
                podman_ volume rm -f "$v" >/dev/null 2>&1
        done
        (exit "$rc")
        engine_cleanup
}
trap kmounts_cleanup EXIT

# refused_in WHAT: the command just captured failed, showing the policy's
# kernel-mounts message on its stdout or stderr.
refused_in() {
        assert_ne 0 "$rc" "$1: refused"
        assert_contains "$out$err" "runc-harden: denied by policy:" "$1: the tool shows the policy's message"
        assert_contains "$out$err" "kernel-mounts: " "$1: the message names kernel-mounts"
}

# ----------------------------------------------------------------- docker

# docker_refused WHAT DOCKER-RUN-FLAGS...: docker run through runc-harden
# fails with kernel-mounts in its output, and the container never ran.
docker_refused() {
        local what=$1 name=rh-km-$$-$RANDOM
        shift
        capture drun --name "$name" --runtime=hardened "$@" "$IMAGE" true
        refused_in "docker run $what"
        assert_eq created "$("$DOCKER" inspect -f '{{.State.Status}}' "$name" 2>/dev/null)" \
                "docker run $what: the container never started"
        docker_ rm -f "$name" >/dev/null 2>&1 || true
}

test_docker_volumes_of_proc_and_sysfs_are_refused() {
        local fs v canary
        # the attack, through plain runc: the volume is the host's proc
        (exec -a "rh-km-canary-$$" sleep 300) &
        canary=$!
        v=rh-km-plain-$$
        VOLUMES+=("$v")
        assert_ok "docker volume create --opt type=proc" \
                docker_ volume create --driver local --opt type=proc --opt device=proc "$v"
        assert_ok "without runc-harden, the proc volume runs" drun --rm -v "$v:/v" "$IMAGE" \
                sh -c "grep -ls rh-km-canary-$$ /v/[0-9]*/cmdline; true"
        assert_contains "$out" "/v/$canary/cmdline" "inside: a host process (pid $canary) is visible (runc alone)"
        kill "$canary" 2>/dev/null || true
        wait "$canary" 2>/dev/null || true
        for fs in proc sysfs; do
                v=rh-km-$fs-$$
                VOLUMES+=("$v")
                assert_ok "docker volume create --opt type=$fs" \
                        docker_ volume create --driver local --opt type=$fs --opt device=$fs "$v"
                docker_refused "-v $v:/v (type=$fs)" -v "$v:/v"
                assert_contains "$err" "binds /var/lib/docker/volumes/$v/_data, which is the host's $fs" \
                        "docker run -v $v: the message names the volume's path and what it is"
                docker_refused "--mount type=volume,src=$v (type=$fs)" --mount "type=volume,src=$v,dst=/v,readonly"
                docker_ volume rm "$v" >/dev/null
        done
        # the same through --mount volume-opt, with no volume made beforehand
        v=rh-km-opt-$$
        VOLUMES+=("$v")
        docker_refused "--mount volume-opt=type=proc" \
                --mount "type=volume,src=$v,dst=/v,volume-driver=local,volume-opt=type=proc,volume-opt=device=proc"
}

test_docker_binds_of_kernel_file_systems_are_refused() {
        docker_refused "-v /proc:/hostproc:ro" -v /proc:/hostproc:ro
        docker_refused "-v /sys/kernel:/k:ro" -v /sys/kernel:/k:ro
        if [ -d /sys/fs/cgroup/memory ]; then
                docker_refused "-v /sys/fs/cgroup/memory:/m (read-write)" -v /sys/fs/cgroup/memory:/m
                # the hierarchies below an rbind with ro stay writable:
                # recursive-readonly adds rro, and kernel-mounts lets it run
                rm -f "$T/cid"
                assert_ok "docker run -v /sys/fs/cgroup:/cg:ro runs, fixed" drun --rm --runtime=hardened \
                        --cidfile "$T/cid" -v /sys/fs/cgroup:/cg:ro "$IMAGE" sh -c \
                        'grep " /cg/memory " /proc/self/mountinfo; echo $$ >/cg/memory/cgroup.procs || echo moved=no'
                local rules
                rules=$(jq -r --arg id "$(cat "$T/cid")" 'select(.container == $id and .command == "create")
                        | .findings[].rule' "$T/audit.log" | sort -u | tr '\n' ' ')
                assert_contains "$rules" "recursive-readonly" "the audit log has recursive-readonly's fix"
                assert_not_contains "$rules" "kernel-mounts" "and no kernel-mounts finding"
                assert_match "$out" " /cg/memory ro," "inside: the memory hierarchy below /cg is read-only"
                assert_contains "$out" "moved=no" "inside: the container cannot move itself out of its cgroup"
        fi
}

test_docker_cgroup_parent_inside_another_container_is_refused() {
        local a
        assert_ok "a first container runs" drun -d --runtime=hardened "$IMAGE" sleep 300
        a=$out
        docker_wait_running "$a"
        docker_refused "--cgroup-parent=/docker/<another container>" --cgroup-parent "/docker/$a"
        assert_contains "$err" "/linux/cgroupsPath" "the message points at linux.cgroupsPath"
        assert_contains "$err" "process" "the message says the cgroup above is in use"
}

test_docker_default_container_runs_with_its_kernel_mounts() {
        assert_ok "docker run (default mounts) works" drun --rm --runtime=hardened "$IMAGE" \
                grep -E ' /(proc|sys|sys/fs/cgroup/memory|dev/mqueue) ' /proc/self/mountinfo
        assert_match "$out" " /proc rw,[^ ]* - proc " "inside: proc at /proc"
        assert_match "$out" " /sys ro,[^ ]* - sysfs " "inside: sysfs read-only at /sys"
        if [ -d /sys/fs/cgroup/memory ]; then
                assert_match "$out" " /sys/fs/cgroup/memory ro," "inside: the cgroup read-only"
        fi
        assert_not_contains "$err" "kernel-mounts" "no kernel-mounts finding"
}

# ----------------------------------------------------------------- podman

prun() {
        podman_ --runtime "$WRAPPER" run --rm --label "rh-engine-test=$ENGINE_TAG" \
                --ulimit nofile=1024:4096 --ulimit nproc=512:512 "$@"
}

test_podman_second_proc_and_cgroup2_are_refused() {
        command -v podman >/dev/null || { pass "podman is not installed: skipped"; return; }
        [ -n "$PODMAN_IMAGE" ] || podman_image
        local v=rh-km-pv-$$
        capture prun -v /proc:/hostproc:ro "localhost/$IMAGE" true
        refused_in "podman run -v /proc:/hostproc:ro (a second proc)"
        VOLUMES+=("$v")
        assert_ok "podman volume create --opt type=proc" podman_ volume create --opt type=proc --opt device=proc "$v"
        capture prun -v "$v:/p" "localhost/$IMAGE" true
        refused_in "podman run -v $v:/p (a proc volume)"
        assert_contains "$err" "which is the host's proc" "podman: the message says it is proc"
        if [ -d /sys/fs/cgroup/unified ]; then
                capture prun --mount type=bind,src=/sys/fs/cgroup/unified,dst=/cg "localhost/$IMAGE" true
                refused_in "podman run --mount type=bind of cgroup2, read-write"
                assert_contains "$err" "on a cgroup file system" "podman: the message says it is a cgroup"
        fi
        capture prun --mount type=bind,src=/sys,dst=/s,ro=true "localhost/$IMAGE" true
        refused_in "podman run --mount type=bind,src=/sys (sysfs)"
        # systemd mode on cgroup v1 binds the host's name=systemd hierarchy
        if [ -d /sys/fs/cgroup/systemd ]; then
                capture prun --systemd=always "localhost/$IMAGE" true
                refused_in "podman run --systemd=always (the host's systemd hierarchy, writable)"
                assert_contains "$err" "binds /sys/fs/cgroup/systemd" "podman: the message names the bind"
        fi
        assert_ok "podman run (default mounts) still works" prun "localhost/$IMAGE" \
                grep -c ' /proc rw,.* - proc ' /proc/self/mountinfo
        assert_eq 1 "$out" "podman: inside, one proc, at /proc"
}

# -------------------------------------------------------------------- ctr

ctr_run() {
        local id=$1
        shift
        CTR_IDS+=("$id")
        timeout -k 5 60 ctr -n "$CTR_NS" run --runc-binary "$WRAPPER" --rm "$@" "$CTR_IMAGE" "$id" true
}

test_ctr_second_proc_cgroup2_and_root_cgroup_are_refused() {
        [ -n "$CTR_IMAGE" ] || ctr_image
        # the attack, through plain runc: a cgroup2 mount of the host's tree
        if [ -d /sys/fs/cgroup/unified ]; then
                CTR_IDS+=("rh-km-plain-$$")
                assert_ok "without runc-harden, ctr runs a second proc and a cgroup2 mount" \
                        timeout -k 5 60 ctr -n "$CTR_NS" run --rm --mount type=cgroup2,src=cgroup2,dst=/cg,options=rw \
                        --mount type=proc,src=proc,dst=/p,options=rw "$CTR_IMAGE" "rh-km-plain-$$" \
                        sh -c 'grep -E " /(cg|p) " /proc/self/mountinfo'
                assert_match "$out" " /cg rw,[^ ]* - cgroup2 " "inside: a writable cgroup2 mount (runc alone)"
                assert_match "$out" " /p rw,[^ ]* - proc " "inside: a second, writable proc (runc alone)"
        fi
        capture ctr_run "rh-km-proc-$$" --mount type=proc,src=proc,dst=/p,options=rw
        refused_in "ctr run --mount type=proc (a second proc)"
        assert_contains "$err" "second proc at /p" "ctr: the message says where"
        capture ctr_run "rh-km-cg2-$$" --mount type=cgroup2,src=cgroup2,dst=/cg,options=rw
        refused_in "ctr run --mount type=cgroup2, read-write"
        assert_contains "$err" "mounts cgroup2 at /cg read-write" "ctr: the message says what"
        capture ctr_run "rh-km-sysfs-$$" --mount type=sysfs,src=sysfs,dst=/sys,options=rw
        refused_in "ctr run --mount type=sysfs at /sys, read-write"
        capture ctr_run "rh-km-debugfs-$$" --mount type=debugfs,src=debugfs,dst=/d,options=ro
        refused_in "ctr run --mount type=debugfs"
        capture ctr_run "rh-km-root-$$" --cgroup /
        refused_in "ctr run --cgroup / (the root cgroup)"
        assert_contains "$err" "the root cgroup of every hierarchy" "ctr: the message says why"
        capture ctr_run "rh-km-ro-$$" --mount type=cgroup2,src=cgroup2,dst=/cg,options=ro
        assert_eq 0 "$rc" "ctr run with a read-only cgroup2 mount runs"
}

run_tests
