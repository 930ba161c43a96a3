#!/bin/bash
# A three-node Swarm on one machine, every node with runc-harden as dockerd's
# default runtime.
#
# A node is a dockerd and its own containerd in namespaces of their own: a
# network namespace (eth0, 198.18.1.N/24, a veth whose peer hangs on a
# bridge in a fourth, "LAN" network namespace), a UTS namespace (hostname
# rh-node-N) and a mount namespace with a fresh tmpfs on /run, so that each
# node has its engine socket, exec-root, pidfile and containerd at the
# usual paths (/run/docker.sock, /run/docker, /run/docker.pid,
# /run/containerd) as on a machine of its own. The data roots are
# $T/nodeN/{docker,containerd}; each dockerd has its containerd namespace
# (rh-swarm-N) and cgroup parent. The namespaces are held by the nodes'
# processes only: nothing is named in /run/netns, no address or bridge is
# added to the host's network, and the nodes' mounts live and die in their
# mount namespaces. The test's client reaches node N through
# /proc/<its dockerd>/root/run/docker.sock.
#
# It needs none of the suite's shared daemons: only the binaries.
source "$(dirname "$0")/lib.sh"
# shellcheck source=private-ns.sh
source "$(dirname "$0")/private-ns.sh"

for c in dockerd containerd unshare nsenter ip "$DOCKER"; do
        command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed"
done

NODES=(1 2 3)
NODE_PID=()   # dockerd of node N (it holds the node's namespaces)
LAN_PID=      # the process that holds the LAN namespace and its bridge
SUBNET=198.18.1
CGROUP_PARENT=rh-swarm-$$ # ...-N per node
SPREAD=rh-spread-$$
SOCK=rh-sock-$$

# ------------------------------------------------------------- the nodes

# node_docker N ARGS...: the docker client against node N, bounded in time.
node_docker() {
        local n=$1
        shift
        timeout -k 5 120 "$DOCKER" -H "unix:///proc/${NODE_PID[$n]}/root/run/docker.sock" "$@"
}

# node_ns N CMD...: CMD in node N's network, mount and UTS namespaces.
node_ns() {
        local n=$1
        shift
        nsenter --target "${NODE_PID[$n]}" --net --mount --uts -- "$@"
}

# node_config N: node N's containerd config, daemon.json and policy.
node_config() {
        local n=$1 dir=$T/node$1
        mkdir -p "$dir"
        jq --arg audit "$dir/audit.log" '.["audit-log"] = $audit' "$RH_POLICY" >"$dir/policy.json"
        # The CRI plugin is not what this test is about: off, it spares
        # each node's containerd its start-up work.
        cat >"$dir/containerd.toml" <<EOF
version = 2
root = "$dir/containerd"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd-opt"
EOF
        jq -n --arg dir "$dir" --arg n "$n" --arg cg "/$CGROUP_PARENT-$n" --arg rh "$RUNC_HARDEN" \
                --arg runc "$RUNC_BIN" '{
                "data-root": ($dir + "/docker"),
                "exec-root": "/run/docker",
                "pidfile": "/run/docker.pid",
                hosts: ["unix:///run/docker.sock"],
                containerd: "/run/containerd/containerd.sock",
                "containerd-namespace": ("rh-swarm-" + $n),
                "containerd-plugins-namespace": ("rh-swarm-" + $n + "-plugins"),
                "cgroup-parent": $cg,
                runtimes: {hardened: {path: $rh,
                        runtimeArgs: ["--harden-policy", ($dir + "/policy.json"), "--harden-runtime", $runc]}},
                "default-runtime": "hardened"}' >"$dir/daemon.json"
}

# node_start N: node N's namespaces, then (once its eth0 is up) its
# containerd and dockerd. The launcher execs dockerd, so its pid is
# dockerd's; containerd is its child.
node_start() {
        local n=$1 dir=$T/node$1 pid _
        node_config "$n"
        setsid unshare --net --uts --mount --propagation slave -- bash -c '
                dir=$1
                mount -t tmpfs -o mode=0755,size=64m rh-swarm /run || exit 1
                hostname "rh-node-$2"
                ip link set lo up
                while [ ! -e "$dir/net-ready" ]; do sleep 0.05; done
                containerd --config "$dir/containerd.toml" >"$dir/containerd.log" 2>&1 </dev/null &
                for _ in $(seq 150); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.1; done
                exec dockerd --config-file "$dir/daemon.json" >"$dir/dockerd.log" 2>&1
        ' node "$dir" "$n" </dev/null &
        pid=$!
        NODE_PID[$n]=$pid
        echo "$pid" >"$dir/pid"
        wait_own_netns "$pid"
        # Its veth: eth0 inside, vethN on the LAN's bridge.
        ip link add "rh-veth$n" netns "$LAN_PID" type veth peer name eth0 netns "$pid"
        nsenter --target "$LAN_PID" --net ip link set "rh-veth$n" master rh-lan0 up
        nsenter --target "$pid" --net ip addr add "$SUBNET.$n/24" dev eth0
        nsenter --target "$pid" --net ip link set eth0 up
        touch "$dir/net-ready"
}

# node_wait N: up to 60 s for node N's dockerd to answer.
node_wait() {
        local n=$1 _
        for _ in $(seq 300); do
                node_docker "$n" version >/dev/null 2>&1 && return 0
                kill -0 "${NODE_PID[$n]}" 2>/dev/null || break
                sleep 0.2
        done
        echo "# node $n did not come up; its logs:" >&2
        tail -20 "$T/node$n/containerd.log" "$T/node$n/dockerd.log" >&2 || true
        return 1
}

lan_start() {
        setsid unshare --net -- sleep infinity </dev/null &
        LAN_PID=$!
        wait_own_netns "$LAN_PID"
        nsenter --target "$LAN_PID" --net ip link add rh-lan0 type bridge
        nsenter --target "$LAN_PID" --net ip link set rh-lan0 up
}

# ------------------------------------------------------------- tear down

# node_stop N: dockerd stops its containers on TERM (no live-restore); then
# whatever is left in the node's network namespace (containerd, shims) and
# in its cgroups (container processes) is killed, and the cgroups removed.
# The mount namespace, and the /run tmpfs and overlay mounts in it, end with
# the last of its processes.
node_stop() {
        local n=$1 pid=${NODE_PID[$1]:-} netns
        [ -n "$pid" ] || return 0
        netns=$(readlink "/proc/$pid/ns/net" 2>/dev/null) || netns=
        node_docker "$n" swarm leave --force >/dev/null 2>&1 || true
        stop_pid "$pid" 20
        stop_netns "$netns"
        remove_cgroups "$CGROUP_PARENT-$n"
        NODE_PID[$n]=
}

swarm_teardown() {
        local n
        for n in "${NODES[@]}"; do
                node_stop "$n"
        done
        if [ -n "$LAN_PID" ]; then
                stop_pid "$LAN_PID" 2
                LAN_PID=
        fi
}

swarm_cleanup() {
        local rc=$?
        set +e
        trap - ERR
        swarm_teardown
        (exit "$rc")
        engine_cleanup
}
trap swarm_cleanup EXIT

# ------------------------------------------------------------- helpers

# service_tasks N SERVICE: "node | state | error" per task, from node N.
service_tasks() {
        node_docker "$1" service ps --no-trunc --format '{{.Node}} | {{.CurrentState}} | {{.Error}}' "$2" 2>/dev/null
}

# wait_tasks SERVICE ERE COUNT: up to 90 s for COUNT task lines to match.
wait_tasks() {
        local _
        for _ in $(seq 180); do
                [ "$(service_tasks 1 "$1" | grep -Ec "$2")" -ge "$3" ] && return 0
                sleep 0.5
        done
        return 1
}

# wait_update SERVICE: up to 90 s for its rolling update to complete.
wait_update() {
        local _
        for _ in $(seq 180); do
                [ "$(node_docker 1 service inspect -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "$1")" = completed ] &&
                        return 0
                sleep 0.5
        done
        return 1
}

# task_container N SERVICE: the id of SERVICE's running task container on
# node N.
task_container() {
        node_docker "$1" ps -q --filter "label=com.docker.swarm.service.name=$2" | head -1
}

# ------------------------------------------------------------- set up

T_START=$SECONDS
rootfs_tar >/dev/null
lan_start
for n in "${NODES[@]}"; do
        node_start "$n"
done
for n in "${NODES[@]}"; do
        node_wait "$n"
        node_docker "$n" import -c 'ENV PATH=/bin' "$(rootfs_tar)" "$IMAGE" >/dev/null
done
node_docker 1 swarm init --advertise-addr "$SUBNET.1" --listen-addr "$SUBNET.1:2377" >/dev/null
TOKEN=$(node_docker 1 swarm join-token -q worker)
for n in 2 3; do
        node_docker "$n" swarm join --token "$TOKEN" --advertise-addr "$SUBNET.$n" "$SUBNET.1:2377" >/dev/null
done
echo "# three nodes up and in a swarm in $((SECONDS - T_START)) s"

# ------------------------------------------------------------- tests

test_a_replicated_service_spreads_over_the_three_nodes_and_runs() {
        local n id nodes
        assert_eq "Leader Ready
Ready
Ready" "$(node_docker 1 node ls --format '{{.ManagerStatus}} {{.Status}}' | sed 's/^ //' | sort)" \
                "one manager and two workers, all ready"
        assert_eq "hardened hardened hardened" \
                "$(for n in "${NODES[@]}"; do node_docker "$n" info --format '{{.DefaultRuntime}}'; done | xargs)" \
                "every node's default runtime is runc-harden"
        assert_ok "a replicated service is created" node_docker 1 service create --detach --quiet \
                --name "$SPREAD" --replicas 3 --replicas-max-per-node 1 --no-resolve-image \
                --update-parallelism 0 --update-monitor 1s "$IMAGE" sleep 600
        if wait_tasks "$SPREAD" ' \| Running ' 3; then
                pass "it converges"
        else
                fail "it converges" "$(service_tasks 1 "$SPREAD")"
        fi
        nodes=$(service_tasks 1 "$SPREAD" | grep ' | Running' | cut -d' ' -f1 | sort | xargs)
        assert_eq "rh-node-1 rh-node-2 rh-node-3" "$nodes" "its three tasks run, one on each node"
        for n in "${NODES[@]}"; do
                id=$(task_container "$n" "$SPREAD")
                assert_ne "" "$id" "node $n runs a task container"
                capture node_docker "$n" exec "$id" cat /proc/1/status
                assert_match "$out" $'NoNewPrivs:\t1' "node $n: the task runs with no_new_privs"
                assert_match "$out" $'Seccomp:\t2' "node $n: the task runs under a seccomp filter"
                assert_fails "node $n: the task's root file system is read-only" node_docker "$n" exec "$id" touch /x
                assert_eq 1024 "$(node_docker "$n" exec "$id" cat /sys/fs/cgroup/pids/pids.max)" \
                        "node $n: the task has the policy's pids limit"
                assert_eq fix "$(jq -r --arg id "$(node_docker "$n" inspect -f '{{.Id}}' "$id")" \
                        'select(.container == $id and .command == "create") | .verdict' "$T/node$n/audit.log")" \
                        "node $n: its own runc-harden decided on the task (its audit log)"
        done
}

test_a_service_binding_the_engine_socket_is_refused_on_every_node() {
        local line nodes
        # Global: one task per node. Not restarted, so each node's error
        # stays its task's newest.
        assert_ok "the service is created" node_docker 1 service create --detach --quiet --name "$SOCK" \
                --mode global --restart-condition none --no-resolve-image \
                --mount type=bind,src=/var/run/docker.sock,dst=/s "$IMAGE" sleep 600
        if wait_tasks "$SOCK" ' \| (Failed|Rejected) ' 3; then
                pass "its task fails on all three nodes"
        else
                fail "its task fails on all three nodes" "$(service_tasks 1 "$SOCK")"
        fi
        nodes=$(service_tasks 1 "$SOCK" | cut -d' ' -f1 | sort -u | xargs)
        assert_eq "rh-node-1 rh-node-2 rh-node-3" "$nodes" "a task was placed on every node"
        while read -r line; do
                assert_contains "$line" "runc-harden: denied by policy: engine-socket: " \
                        "docker service ps --no-trunc shows the policy's message for ${line%% *}"
                assert_contains "$line" "/var/run/docker.sock" "the message names the socket (${line%% *})"
        done < <(service_tasks 1 "$SOCK")
        echo "# $(service_tasks 1 "$SOCK" | head -1)"
        for n in "${NODES[@]}"; do
                assert_eq "" "$(node_docker "$n" ps -q --filter "label=com.docker.swarm.service.name=$SOCK")" \
                        "node $n runs no container of it"
        done
        node_docker 1 service rm "$SOCK" >/dev/null
}

test_each_node_applies_its_new_policy_at_its_next_task_start() {
        local n want id
        # Node 2's policy alone changes; no daemon is told.
        jq '.rules["pids-limit"].params.default = 77' "$T/node2/policy.json" >"$T/node2/policy.new"
        mv "$T/node2/policy.new" "$T/node2/policy.json"
        assert_ok "every task is restarted" node_docker 1 service update --detach --quiet --force "$SPREAD"
        if wait_update "$SPREAD"; then
                pass "the update completes"
        else
                fail "the update completes" "$(service_tasks 1 "$SPREAD")"
        fi
        for n in "${NODES[@]}"; do
                want=1024
                [ "$n" = 2 ] && want=77
                id=$(task_container "$n" "$SPREAD")
                assert_eq "$want" "$(node_docker "$n" exec "$id" cat /sys/fs/cgroup/pids/pids.max)" \
                        "node $n: the new task's pids limit is $want"
        done
}

test_the_audit_on_every_node_finds_runc_harden_the_default_runtime() {
        local n item
        for n in "${NODES[@]}"; do
                capture node_ns "$n" "$RUNC_HARDEN" audit --format json --daemon-config "$T/node$n/daemon.json"
                item=$(jq -c --arg p "$T/node$n/daemon.json" '.results[] | select(.path == $p)' <<<"$out")
                assert_ne "" "$item" "node $n: the audit has an item for its daemon.json"
                assert_eq "" "$(jq -r '.findings[] | select(.rule == "daemon-default-runtime") | .message' <<<"$item")" \
                        "node $n: daemon-default-runtime is fine"
        done
        # The same check fails where it should: runc as the default.
        jq '.["default-runtime"] = "runc"' "$T/node1/daemon.json" >"$T/weak-daemon.json"
        capture node_ns 1 "$RUNC_HARDEN" audit --format json --daemon-config "$T/weak-daemon.json"
        assert_eq deny "$(jq -r --arg p "$T/weak-daemon.json" '.results[] | select(.path == $p)
                | .findings[] | select(.rule == "daemon-default-runtime") | .action' <<<"$out")" \
                "with runc as the default runtime it denies"
}

test_when_torn_down_nothing_is_left_behind() {
        local netns=() n
        for n in "${NODES[@]}"; do
                netns+=("$(readlink "/proc/${NODE_PID[$n]}/ns/net")")
        done
        netns+=("$(readlink "/proc/$LAN_PID/ns/net")")
        node_docker 1 service rm "$SPREAD" >/dev/null
        swarm_teardown
        for n in "${netns[@]}"; do
                assert_eq "" "$(netns_members "$n")" "no process is left in $n"
        done
        assert_eq "" "$(grep -F "$T" /proc/self/mountinfo || true)" "no mount under the test's directory is left"
        assert_eq "" "$(grep -F rh-swarm /proc/self/mountinfo || true)" "no /run tmpfs of a node is left"
        for n in "${NODES[@]}"; do
                assert_eq "" "$(cgroup_dirs "$CGROUP_PARENT-$n")" "node $n's cgroups are gone"
        done
        assert_eq "" "$(ip -o link show | grep -E 'rh-veth|rh-lan0' || true)" "no veth or bridge on the host"
        echo "# the whole test took $((SECONDS - T_START)) s"
}

run_tests
