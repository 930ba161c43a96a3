#!/bin/bash
# Kubernetes' path: containerd's CRI plugin, driven over its gRPC socket the
# way kubelet drives it (tests/engine/cri/cri.py, a minimal CRI client), with
# runc-harden as the runc shim's BinaryName both ways: for a RuntimeClass
# handler ("hardened") and as containerd's default runtime.
#
# The containerd is the test's own, a "node" in namespaces that only its
# processes hold: a network namespace (the CNI bridge and the pods' veths
# live there, not on the host's network) and a mount namespace with a fresh
# tmpfs on /run, so that its socket, its state and the pods' network
# namespaces are at the usual paths (/run/containerd/containerd.sock,
# /run/containerd, /run/netns) and vanish with it. The shared containerd is
# not touched. Its root is $T/root; the sandbox image is one this test
# builds from busybox-static and imports into the k8s.io namespace.
source "$(dirname "$0")/lib.sh"
# shellcheck source=private-ns.sh
source "$(dirname "$0")/private-ns.sh"

PYTHON=/usr/bin/python3 # Debian's, with python3-grpcio and python3-protobuf
CRI_DIR=$RH_ENGINE_SRC/tests/engine/cri
CNI_BIN=/usr/lib/cni # containernetworking-plugins

for c in containerd ctr protoc unshare nsenter "$PYTHON"; do
        command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
done
[ -x "$CNI_BIN/bridge" ] || skip_all "containernetworking-plugins is not installed"
"$PYTHON" -c 'import grpc, google.protobuf' 2>/dev/null || skip_all "python3-grpcio or python3-protobuf is missing"

CGROUP_PARENT=rh-cri-$$
PAUSE_IMAGE=docker.io/library/rh-pause:latest
APP_IMAGE=docker.io/library/rh-busybox:latest
CONTAINERD_PID=
PODS=() # every sandbox made, stopped and removed at the end

# ------------------------------------------------------------- policies

# Each way in has its own wrapper, policy and audit log: the audit log says
# which way a container came. The shim runs BinaryName with no arguments of
# ours, so a wrapper gives runc-harden the policy and the real runc.
# make_way NAME: $T/NAME-policy.json, $T/NAME-audit.log, $T/runc-harden-NAME.
make_way() {
        jq --arg audit "$T/$1-audit.log" '.["audit-log"] = $audit' "$RH_POLICY" >"$T/$1-policy.json"
        cp "$T/$1-policy.json" "$T/$1-policy.orig"
        printf '#!/bin/sh\nexec %q --harden-policy %q --harden-runtime %q "$@"\n' \
                "$RUNC_HARDEN" "$T/$1-policy.json" "$RUNC_BIN" >"$T/runc-harden-$1"
        chmod +x "$T/runc-harden-$1"
}

# set_policy NAME JQ_FILTER: the policy of way NAME, edited from its original.
set_policy() {
        jq "$2" "$T/$1-policy.orig" >"$T/$1-policy.new"
        mv "$T/$1-policy.new" "$T/$1-policy.json"
}

restore_policy() {
        cp "$T/$1-policy.orig" "$T/$1-policy.json"
}

# decision WAY ID: the audit log's create decision on container ID, compact.
decision() {
        jq -c --arg id "$2" 'select(.container == $id and .command == "create")' "$T/$1-audit.log" 2>/dev/null
}

# ------------------------------------------------------------- containerd

write_containerd_config() {
        mkdir -p "$T/cni" "$T/ipam" "$T/logs"
        # host-local keeps its leases in $T; no gateway address, no
        # masquerading: the pods reach nothing beyond the bridge.
        jq -n --arg ipam "$T/ipam" '{cniVersion: "0.4.0", name: "rh-cri", plugins: [{
                type: "bridge", bridge: "rh-cri0", isGateway: false, ipMasq: false,
                ipam: {type: "host-local", ranges: [[{subnet: "198.18.0.0/24"}]], dataDir: $ipam}}]}' \
                >"$T/cni/10-rh-cri.conflist"
        # restrict_oom_score_adj: the CRI plugin gives the sandbox an
        # oom_score_adj of -998, which only a caller with CAP_SYS_RESOURCE
        # may set; CI containers lack it, so scores are kept at or above
        # containerd's own (what the option is for, rootless nodes).
        cat >"$T/containerd.toml" <<EOF
version = 2
root = "$T/root"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$T/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$T/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "hardened-default"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened-default]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened-default.options]
        BinaryName = "$T/runc-harden-default"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.hardened.options]
        BinaryName = "$T/runc-harden-handler"
EOF
}

start_containerd() {
        local _
        setsid unshare --net --mount --propagation slave -- bash -c '
                mount -t tmpfs -o mode=0755,size=64m rh-cri /run || exit 1
                ip link set lo up
                exec containerd --config "$1/containerd.toml" >"$1/containerd.log" 2>&1
        ' node "$T" </dev/null &
        CONTAINERD_PID=$!
        wait_own_netns "$CONTAINERD_PID"
        SOCK=/proc/$CONTAINERD_PID/root/run/containerd/containerd.sock
        for _ in $(seq 150); do
                [ -S "$SOCK" ] && ctr --address "$SOCK" version >/dev/null 2>&1 && return 0
                sleep 0.2
        done
        echo "# containerd did not come up:" >&2
        tail -20 "$T/containerd.log" >&2
        return 1
}

# oci_archive DIR NAME CMD_JSON: an OCI image archive of the busybox rootfs
# named NAME (containerd's name annotation), running CMD by default; made
# by hand: containerd imports archives and there is no registry.
oci_archive() {
        local d=$1 name=$2 cmd=$3 layer config manifest
        mkdir -p "$d/blobs/sha256"
        layer=$(sha256sum "$(rootfs_tar)" | cut -d' ' -f1)
        cp "$(rootfs_tar)" "$d/blobs/sha256/$layer"
        jq -nc --arg l "sha256:$layer" --argjson cmd "$cmd" '{architecture: "amd64", os: "linux",
                config: {Env: ["PATH=/bin"], Cmd: $cmd}, rootfs: {type: "layers", diff_ids: [$l]}}' >"$d/config"
        config=$(sha256sum "$d/config" | cut -d' ' -f1)
        mv "$d/config" "$d/blobs/sha256/$config"
        jq -nc --arg c "sha256:$config" --argjson cs "$(stat -c %s "$d/blobs/sha256/$config")" \
                --arg l "sha256:$layer" --argjson ls "$(stat -c %s "$d/blobs/sha256/$layer")" '{
                schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
                config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $c, size: $cs},
                layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $l, size: $ls}]}' >"$d/manifest"
        manifest=$(sha256sum "$d/manifest" | cut -d' ' -f1)
        jq -nc --arg m "sha256:$manifest" --argjson ms "$(stat -c %s "$d/manifest")" --arg name "$name" '{
                schemaVersion: 2, manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json",
                digest: $m, size: $ms, annotations: {"io.containerd.image.name": $name}}]}' >"$d/index.json"
        mv "$d/manifest" "$d/blobs/sha256/$manifest"
        echo '{"imageLayoutVersion": "1.0.0"}' >"$d/oci-layout"
        tar -C "$d" -cf "$d.tar" .
        echo "$d.tar"
}

cri_teardown() {
        local id
        if [ -n "$CONTAINERD_PID" ] && kill -0 "$CONTAINERD_PID" 2>/dev/null; then
                # What kubelet does with a pod it deletes. Nothing here
                # depends on the policy (a test may have broken it).
                for id in "${PODS[@]}"; do
                        CRI_TIMEOUT=30 cri StopPodSandbox "$(jq -nc --arg id "$id" '{pod_sandbox_id: $id}')" >/dev/null 2>&1 || true
                        CRI_TIMEOUT=30 cri RemovePodSandbox "$(jq -nc --arg id "$id" '{pod_sandbox_id: $id}')" >/dev/null 2>&1 || true
                done
        fi
        PODS=()
        if [ -n "$CONTAINERD_PID" ]; then
                local netns
                netns=$(readlink "/proc/$CONTAINERD_PID/ns/net" 2>/dev/null) || netns=
                stop_pid "$CONTAINERD_PID" 20
                # The shims (in containerd's network namespace) and any
                # container they leave behind (in the pods' cgroups).
                stop_netns "$netns"
                CONTAINERD_PID=
        fi
        remove_cgroups "$CGROUP_PARENT"
}

cri_cleanup() {
        local rc=$?
        set +e
        trap - ERR
        cri_teardown
        (exit "$rc")
        engine_cleanup
}
trap cri_cleanup EXIT

# ------------------------------------------------------------- the client

# cri METHOD [REQUEST_JSON]: one CRI call; the response on stdout, a refusal
# as "CODE: details" on stderr and exit status 1.
cri() {
        CRI_PB_DIR=$T/pb timeout -k 5 150 "$PYTHON" "$CRI_DIR/cri.py" "$SOCK" "$@"
}

# pod_config NAME [JQ_FILTER]: a PodSandboxConfig as kubelet sends it (a
# cgroup parent of the test's, a log directory), edited by JQ_FILTER.
pod_config() {
        mkdir -p "$T/logs/$1"
        jq -nc --arg name "$1" --arg uid "$1-$$" --arg logs "$T/logs/$1" --arg cg "/$CGROUP_PARENT" '{
                metadata: {name: $name, uid: $uid, namespace: "rh-test"}, hostname: $name,
                log_directory: $logs, linux: {cgroup_parent: $cg}} | '"${2:-.}"
}

# run_pod CONFIG [HANDLER]: RunPodSandbox; $out, $err, $rc as by capture,
# the sandbox id in $POD.
run_pod() {
        capture cri RunPodSandbox "$(jq -nc --argjson c "$1" --arg h "${2:-}" '{config: $c, runtime_handler: $h}')"
        POD=
        if [ "$rc" -eq 0 ]; then
                POD=$(jq -r .pod_sandbox_id <<<"$out")
                PODS+=("$POD")
        fi
}

# container_config NAME CMD_JSON [JQ_FILTER]: a ContainerConfig. As kubelet
# does, it names the PID namespace mode: CONTAINER unless the pod shares
# its processes (POD, the enum's zero value, is what an unset field means).
container_config() {
        jq -nc --arg name "$1" --arg image "$APP_IMAGE" --argjson cmd "$2" '{
                metadata: {name: $name}, image: {image: $image}, command: $cmd,
                log_path: ($name + ".log"),
                linux: {security_context: {namespace_options: {pid: "CONTAINER"}}}} | '"${3:-.}"
}

# create_container POD POD_CONFIG CONTAINER_CONFIG: CreateContainer; the
# container id in $CID.
create_container() {
        CID=$(cri CreateContainer "$(jq -nc --arg p "$1" --argjson s "$2" --argjson c "$3" \
                '{pod_sandbox_id: $p, sandbox_config: $s, config: $c}')" | jq -r .container_id)
}

# start_container ID: StartContainer ($out, $err, $rc as by capture).
start_container() {
        capture cri StartContainer "$(jq -nc --arg id "$1" '{container_id: $id}')"
}

# pod_with_sleeper NAME: pod NAME with one running container (sleep 600);
# the pod in $POD, its config in $POD_CFG, the container in $CID.
pod_with_sleeper() {
        POD_CFG=$(pod_config "$1")
        run_pod "$POD_CFG"
        create_container "$POD" "$POD_CFG" "$(container_config "$1-sleeper" '["sleep", "600"]')"
        start_container "$CID"
        assert_eq 0 "$rc" "pod $1 and its container start"
}

# cstatus ID: ContainerStatus, verbose, compact.
cstatus() {
        cri ContainerStatus "$(jq -nc --arg id "$1" '{container_id: $id, verbose: true}')" | jq -c .
}

# pod_status ID: PodSandboxStatus, verbose, compact.
pod_status() {
        cri PodSandboxStatus "$(jq -nc --arg id "$1" '{pod_sandbox_id: $id, verbose: true}')" | jq -c .
}

# pod_pid ID: the sandbox's (pause) process, from the CRI plugin's info.
pod_pid() {
        pod_status "$1" | jq -r '.info.info | fromjson | .pid'
}

# exec_sync ID CMD...: ExecSync; the command's stdout in $out, the call's
# refusal in $err, $rc the call's status (the command's exit code in $xrc).
exec_sync() {
        local id=$1
        shift
        capture cri ExecSync "$(jq -nc --arg id "$id" --argjson cmd "$(json_array "$@")" \
                '{container_id: $id, cmd: $cmd, timeout: 30}')"
        xrc=
        if [ "$rc" -eq 0 ]; then
                xrc=$(jq -r .exit_code <<<"$out")
                out=$(jq -r '.stdout | @base64d' <<<"$out")
        fi
}

# runtime_log ID: the runc log (--log) the shim keeps beside the bundle.
runtime_log() {
        cat "/proc/$CONTAINERD_PID/root/run/containerd/io.containerd.runtime.v2.task/k8s.io/$1/log.json" 2>/dev/null || true
}

# log_of POD_NAME CONTAINER_NAME: what the container wrote, without the CRI
# log format's "TIME STREAM TAG " prefix.
log_of() {
        sed -E 's/^[^ ]+ (stdout|stderr) [FP] //' "$T/logs/$1/$2.log" 2>/dev/null
}

# wait_log POD_NAME CONTAINER_NAME TEXT: up to 10 s for TEXT in its log.
wait_log() {
        local _
        for _ in $(seq 100); do
                log_of "$1" "$2" | grep -qF "$3" && return 0
                sleep 0.1
        done
        return 1
}

# ------------------------------------------------------------- set up

T_START=$SECONDS
mkdir -p "$T/pb"
protoc --python_out="$T/pb" -I "$CRI_DIR" cri.proto
make_way default
make_way handler
write_containerd_config
start_containerd
ctr --address "$SOCK" -n k8s.io images import \
        "$(oci_archive "$T/pause-image" "$PAUSE_IMAGE" '["sleep", "inf"]')" >/dev/null
ctr --address "$SOCK" -n k8s.io images import \
        "$(oci_archive "$T/app-image" "$APP_IMAGE" '["sh"]')" >/dev/null
echo "# containerd with the CRI plugin up in $((SECONDS - T_START)) s"

# What each container of the first pod reports about itself.
PROBE='grep -E "NoNewPrivs|Seccomp:" /proc/self/status
for ns in net ipc uts pid; do echo "ns $ns $(readlink /proc/self/ns/$ns)"; done
echo "memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"
echo "pids $(cat /sys/fs/cgroup/pids/pids.max)"
echo "cpu $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"
touch /probe || true
echo probe-done
exec sleep 600'

# ------------------------------------------------------------- tests

test_a_pod_of_two_containers_shares_the_sandbox_namespaces_without_a_finding() {
        local cfg pid a b c ns d
        cfg=$(pod_config pod2)
        run_pod "$cfg"
        assert_eq 0 "$rc" "RunPodSandbox works (default runtime)"
        pid=$(pod_pid "$POD")
        create_container "$POD" "$cfg" "$(container_config a "$(json_array sh -c "$PROBE")")"
        a=$CID
        start_container "$a"
        assert_eq 0 "$rc" "container a starts"
        # b as with shareProcessNamespace: the pod's PID namespace too.
        create_container "$POD" "$cfg" "$(container_config b "$(json_array sh -c "$PROBE")" \
                '.linux.security_context.namespace_options.pid = "POD"')"
        b=$CID
        start_container "$b"
        assert_eq 0 "$rc" "container b starts"
        wait_log pod2 a probe-done && wait_log pod2 b probe-done || true
        for ns in net ipc uts; do
                assert_eq "ns $ns $(readlink "/proc/$pid/ns/$ns")" "$(log_of pod2 a | grep "^ns $ns ")" \
                        "container a is in the sandbox's $ns namespace"
                assert_eq "ns $ns $(readlink "/proc/$pid/ns/$ns")" "$(log_of pod2 b | grep "^ns $ns ")" \
                        "container b is in the sandbox's $ns namespace"
        done
        assert_ne "ns pid $(readlink "/proc/$pid/ns/pid")" "$(log_of pod2 a | grep "^ns pid ")" \
                "container a has a PID namespace of its own"
        assert_eq "ns pid $(readlink "/proc/$pid/ns/pid")" "$(log_of pod2 b | grep "^ns pid ")" \
                "container b is in the sandbox's PID namespace"
        for c in "$a" "$b"; do
                d=$(decision default "$c")
                assert_eq fix "$(jq -r .verdict <<<"$d")" "${c:0:12}: runc-harden fixed it (not denied)"
                assert_eq "" "$(jq -r '.findings[] | select(.rule | test("namespace")) | .rule' <<<"$d")" \
                        "${c:0:12}: no shared-namespace or host-namespace finding for the pod's own sharing"
        done
        assert_contains "$(runtime_log "$a")" "fixed by policy" "the runtime log of container a has the fixes"
        assert_not_contains "$(runtime_log "$a")" "-namespace" "and nothing about namespaces (its one line names no such rule)"

        # The recognition is what keeps it quiet: with it off, the same
        # sharing is reported, once per namespace.
        set_policy default '.rules["shared-namespace"].params["pod-sharing"] = false'
        create_container "$POD" "$cfg" "$(container_config c '["sleep", "600"]')"
        c=$CID
        start_container "$c"
        assert_eq 0 "$rc" "with pod-sharing off, container c still starts (a warning)"
        assert_eq "/linux/namespaces/1/path /linux/namespaces/2/path /linux/namespaces/4/path" \
                "$(decision default "$c" | jq -r '.findings[] | select(.rule == "shared-namespace") | .pointer' | xargs)" \
                "and its ipc, uts and network namespaces are reported as shared"
        assert_contains "$(decision default "$c" | jq -r '.findings[] | select(.rule == "shared-namespace") | .message')" \
                "running process $pid" "naming the sandbox's process"
        restore_policy default
}

test_a_fixed_pod_passes_the_cri_plugins_status_checks_and_shows_its_fixes() {
        local cfg a st out_a
        cfg=$(pod_config fixed)
        run_pod "$cfg"
        assert_eq 0 "$rc" "RunPodSandbox works"
        create_container "$POD" "$cfg" "$(container_config a "$(json_array sh -c "$PROBE")")"
        a=$CID
        start_container "$a"
        assert_eq 0 "$rc" "the container starts"
        assert_ok "the CRI plugin's Status" cri Status
        assert_eq "RuntimeReady true NetworkReady true" \
                "$(jq -r '.status.conditions[] | "\(.type) \(.status)"' <<<"$out" | xargs)" \
                "the runtime and the network are ready"
        st=$(pod_status "$POD")
        assert_eq SANDBOX_READY "$(jq -r .status.state <<<"$st")" "the fixed sandbox is READY"
        assert_match "$(jq -r .status.network.ip <<<"$st")" '^198\.18\.0\.[0-9]+$' "it has its pod IP from the CNI bridge"
        assert_eq fix "$(decision default "$POD" | jq -r .verdict)" "the sandbox (pause) container was fixed"
        st=$(cstatus "$a")
        assert_eq CONTAINER_RUNNING "$(jq -r .status.state <<<"$st")" "the fixed container is RUNNING"
        assert_eq "$a" "$(cri ListContainers "$(jq -nc --arg p "$POD" \
                '{filter: {pod_sandbox_id: $p, state: {state: "CONTAINER_RUNNING"}}}')" | jq -r '.containers[].id')" \
                "ListContainers lists it as running"
        # The CRI plugin's own record of the spec is what kubelet asked for;
        # the fixes are runc-harden's, in the bundle runc ran.
        assert_eq "null null" "$(jq -r '.info.info | fromjson | .runtimeSpec
                | "\(.process.noNewPrivileges) \(.root.readonly)"' <<<"$st")" \
                "containerd's spec asked for neither no_new_privs nor a read-only root"
        wait_log fixed a probe-done || true
        out_a=$(log_of fixed a)
        assert_match "$out_a" $'NoNewPrivs:\t1' "inside: no_new_privs is set"
        assert_match "$out_a" $'Seccomp:\t2' "inside: a seccomp filter is in force"
        assert_contains "$out_a" "Read-only file system" "inside: the root file system is read-only"
        assert_contains "$out_a" "memory $(policy_param memory-limit default)" "inside: the policy's memory limit"
        assert_contains "$out_a" "pids $(policy_param pids-limit default)" "inside: the policy's pids limit"
        assert_contains "$out_a" "cpu $(policy_param cpu-quota quota)" "inside: the policy's CPU quota"
        assert_eq "$(policy_param memory-limit default)" \
                "$(cat "/sys/fs/cgroup/memory/$CGROUP_PARENT/$a/memory.limit_in_bytes")" \
                "the host's cgroup of the container says the same"
}

test_a_host_network_or_host_pid_pod_is_refused() {
        local mode
        for mode in network pid; do
                run_pod "$(pod_config "host-$mode" ".linux.security_context.namespace_options.$mode = \"NODE\"")"
                assert_eq 1 "$rc" "host $mode: RunPodSandbox is refused"
                assert_contains "$err" "runc-harden: denied by policy: host-namespace: /linux/namespaces: has no $mode namespace" \
                        "host $mode: the CRI error carries the policy's message"
                assert_eq "" "$(cri ListPodSandbox |
                        jq -r --arg n "host-$mode" '.items[] | select(.metadata.name == $n) | .id')" \
                        "host $mode: no sandbox is left"
                echo "# $err"
        done
}

test_a_hostpath_of_the_containerd_socket_is_refused() {
        local cfg id st
        cfg=$(pod_config sock)
        run_pod "$cfg"
        create_container "$POD" "$cfg" "$(container_config s '["sleep", "600"]' \
                '.mounts = [{container_path: "/run/containerd/containerd.sock", host_path: "/run/containerd/containerd.sock"}]')"
        id=$CID
        start_container "$id"
        assert_eq 1 "$rc" "StartContainer is refused"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket: " "the CRI error carries the policy's message"
        assert_contains "$err" "/run/containerd/containerd.sock" "it names the socket"
        st=$(cstatus "$id")
        assert_eq "CONTAINER_EXITED StartError" "$(jq -r '"\(.status.state) \(.status.reason)"' <<<"$st")" \
                "ContainerStatus: exited, reason StartError (kubectl describe: Reason)"
        assert_contains "$(jq -r .status.message <<<"$st")" "runc-harden: denied by policy: engine-socket: " \
                "ContainerStatus's message (kubectl describe: Message) is the policy's"
        echo "# $(jq -r .status.message <<<"$st")"
}

test_a_privileged_container_is_refused() {
        local cfg id st
        # containerd allows privileged containers only in a privileged pod;
        # the pause container itself stays unprivileged and passes.
        cfg=$(pod_config priv '.linux.security_context.privileged = true')
        run_pod "$cfg"
        assert_eq 0 "$rc" "a privileged pod's sandbox starts (the pause container is not privileged)"
        create_container "$POD" "$cfg" "$(container_config p '["sleep", "600"]' '.linux.security_context.privileged = true')"
        id=$CID
        start_container "$id"
        assert_eq 1 "$rc" "StartContainer of a privileged container is refused"
        assert_contains "$err" "runc-harden: denied by policy: capabilities: /process/capabilities/bounding: grants" \
                "the CRI error carries the policy's message"
        st=$(cstatus "$id")
        assert_eq "CONTAINER_EXITED StartError" "$(jq -r '"\(.status.state) \(.status.reason)"' <<<"$st")" \
                "ContainerStatus: exited, StartError"
        assert_contains "$(jq -r .status.message <<<"$st")" "runc-harden: denied by policy: capabilities:" \
                "ContainerStatus's message is the policy's"
        assert_contains "$(jq -r .status.message <<<"$st")" "devices: " "the host devices are named too"
}

test_a_runtime_class_handler_runs_pods_through_runc_harden() {
        local cfg id st
        cfg=$(pod_config handler)
        run_pod "$cfg" hardened
        assert_eq 0 "$rc" "RunPodSandbox with runtime_handler \"hardened\" works"
        st=$(pod_status "$POD")
        assert_eq hardened "$(jq -r .status.runtime_handler <<<"$st")" "the sandbox records its handler"
        assert_eq "$T/runc-harden-handler" "$(jq -r '.info.info | fromjson | .runtimeOptions.binary_name' <<<"$st")" \
                "the handler's shim runs runc-harden (BinaryName)"
        assert_eq fix "$(decision handler "$POD" | jq -r .verdict)" "the handler's runc-harden decided on the sandbox"
        assert_eq "" "$(decision default "$POD")" "the default runtime's did not"
        create_container "$POD" "$cfg" "$(container_config h '["sleep", "600"]')"
        start_container "$CID"
        assert_eq 0 "$rc" "its container starts"
        assert_eq fix "$(decision handler "$CID" | jq -r .verdict)" "through the handler too"
        create_container "$POD" "$cfg" "$(container_config s '["sleep", "600"]' \
                '.mounts = [{container_path: "/s", host_path: "/run/containerd/containerd.sock"}]')"
        start_container "$CID"
        assert_contains "$err" "runc-harden: denied by policy: engine-socket:" "the handler refuses the socket as well"
}

test_exec_sync_goes_through_exec_checking() {
        local id
        pod_with_sleeper exec
        id=$CID
        # The CRI plugin builds the exec'd process from its own record of the
        # spec, which has no no_new_privs: runc-harden fixes the process file.
        assert_eq null "$(cstatus "$id" | jq -r '.info.info | fromjson | .runtimeSpec.process.noNewPrivileges')" \
                "containerd's spec of the process has no no_new_privs"
        exec_sync "$id" grep NoNewPrivs /proc/self/status
        assert_eq "0 0" "$rc $xrc" "ExecSync works"
        assert_match "$out" $'NoNewPrivs:\t1' "the exec'd process runs with no_new_privs (its process file was fixed)"
        set_policy default '.rules["no-new-privileges"].action = "deny"'
        exec_sync "$id" true
        assert_eq 1 "$rc" "with no-new-privileges at deny, ExecSync is refused"
        assert_contains "$err" "runc-harden: denied by policy: no-new-privileges: /noNewPrivileges" \
                "the CRI error carries the policy's message"
        echo "# $err"
        restore_policy default
        exec_sync "$id" true
        assert_eq "0 0" "$rc $xrc" "with the policy back, ExecSync works again"
}

test_stopping_and_removing_a_pod_works_with_a_broken_policy() {
        local pod id pid
        pod_with_sleeper broken
        pod=$POD
        id=$CID
        pid=$(cstatus "$id" | jq -r '.info.info | fromjson | .pid')
        echo '{"version": 1, "rules": {' >"$T/default-policy.json"
        run_pod "$(pod_config broken2)"
        assert_eq 1 "$rc" "a new pod is refused while the policy is broken (fail closed)"
        assert_contains "$err" "runc-harden" "the CRI error says why"
        echo "# $err"
        assert_ok "StopContainer works" cri StopContainer "$(jq -nc --arg id "$id" '{container_id: $id, timeout: 2}')"
        assert_ok "RemoveContainer works" cri RemoveContainer "$(jq -nc --arg id "$id" '{container_id: $id}')"
        assert_ok "StopPodSandbox works" cri StopPodSandbox "$(jq -nc --arg id "$pod" '{pod_sandbox_id: $id}')"
        assert_ok "RemovePodSandbox works" cri RemovePodSandbox "$(jq -nc --arg id "$pod" '{pod_sandbox_id: $id}')"
        assert_eq "" "$(cri ListPodSandbox | jq -r --arg p "$pod" '.items[] | select(.id == $p) | .id')" \
                "the pod is gone"
        assert_fails "its container's process is gone" kill -0 "$pid"
        restore_policy default
}

test_update_container_resources_goes_through_update_checking() {
        local id
        pod_with_sleeper update
        id=$CID
        capture cri UpdateContainerResources "$(jq -nc --arg id "$id" '{container_id: $id, linux: {memory_limit_in_bytes: -1}}')"
        assert_eq 1 "$rc" "lifting the memory limit is refused"
        assert_contains "$err" "runc-harden: denied by policy: memory-limit: /memory/limit: would remove the memory limit" \
                "the CRI error carries the policy's message"
        echo "# $err"
        exec_sync "$id" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
        assert_eq "$(policy_param memory-limit default)" "$out" "inside: the limit is unchanged"
        assert_ok "a finite limit is accepted" cri UpdateContainerResources \
                "$(jq -nc --arg id "$id" '{container_id: $id, linux: {memory_limit_in_bytes: 67108864}}')"
        exec_sync "$id" cat /sys/fs/cgroup/memory/memory.limit_in_bytes
        assert_eq 67108864 "$out" "inside: the new limit is in force"
}

test_when_torn_down_nothing_is_left_behind() {
        local netns pids
        netns=$(readlink "/proc/$CONTAINERD_PID/ns/net")
        cri_teardown
        assert_eq "" "$(netns_members "$netns")" "no process is left in containerd's network namespace"
        assert_eq "" "$(cgroup_dirs "$CGROUP_PARENT")" "the pods' cgroups are gone"
        assert_eq "" "$(grep -F "$T" /proc/self/mountinfo || true)" "no mount under the test's directory"
        assert_eq "" "$(ip -o link show | grep -F rh-cri0 || true)" "no CNI bridge on the host"
        # (The pattern does not match its own command line.)
        pids=$(grep -l "$T/[c]ontainerd.toml" /proc/[0-9]*/cmdline 2>/dev/null || true)
        assert_eq "" "$pids" "the test's containerd is gone"
        echo "# the whole test took $((SECONDS - T_START)) s"
}

run_tests
