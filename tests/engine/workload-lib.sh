# shellcheck shell=bash
# The workload suite's body, shared by test-workloads-docker.sh and
# test-workloads-podman.sh: each image of workloads.sh runs through the
# engine with runc-harden and the built-in policy in enforce mode, and with
# no flags beyond the image's name. Each must either serve (a probe per
# image, below) or be refused at create with the policy's message in the
# engine's output; none may die at start. Each test also shows the root is
# read-only from inside, and prints a line of the table the report gives:
#   # table: ENGINE | IMAGE | runs | ...  or  # table: ENGINE | IMAGE | refused | MESSAGE
source "$(dirname "$0")/lib.sh"
# shellcheck source=workloads.sh
source "$RH_ENGINE_SRC/tests/engine/workloads.sh"

# The built-in policy exactly, audited into the test's directory.
RH_POLICY=$T/builtin-policy.json
"$RUNC_HARDEN" policy show | jq --arg audit "$T/audit.log" '.["audit-log"] = $audit' >"$RH_POLICY"
RUNTIME_ARGS=(--harden-policy "$RH_POLICY" --harden-runtime "$RUNC_BIN")

WL_IMAGES=() # what this test imported, removed at exit

# The engine under test: E (docker_ or podman_), and its run flags.
E=
E_RUN=()

# At exit, before lib.sh's cleanup (which keeps the exit status): this
# test's containers, then its images.
wl_cleanup() {
        local rc=$? i
        set +e
        for i in $("$E" ps -aq --filter "label=rh-engine-test=$ENGINE_TAG" 2>/dev/null); do
                "$E" rm -f "$i" >/dev/null 2>&1
        done
        for i in "${WL_IMAGES[@]}"; do
                "$E" rmi -f "$i" >/dev/null 2>&1
        done
        (exit "$rc")
        engine_cleanup
}
trap wl_cleanup EXIT

# wl_image NAME: imports NAME's rootfs (built or taken from the cache) with
# the official image's settings; echoes the image reference.
wl_image() {
        local name=$1 ref=rh-workload-$1:$$ changes=()
        wl_build "$name" >&2 || return 1
        mapfile -d '' changes < <(wl_import_changes "$name")
        # podman reports its progress on stderr: shown only on a failure
        if ! "$E" import "${changes[@]}" "$(wl_tar "$name")" "$ref" >/dev/null 2>"$T/import.err"; then
                cat "$T/import.err" >&2
                return 1
        fi
        WL_IMAGES+=("$ref")
        [ "$ENGINE_NAME" = podman ] && ref=localhost/$ref
        echo "$ref"
}

# wl_ip ID: the container's address on the engine's default network.
wl_ip() {
        "$E" inspect -f '{{.NetworkSettings.IPAddress}}' "$1"
}

# retry SECONDS CMD...: CMD until it succeeds, every half second.
retry() {
        local n=$(($1 * 2))
        shift
        while [ "$n" -gt 0 ]; do
                "$@" >/dev/null 2>&1 && return 0
                sleep 0.5
                n=$((n - 1))
        done
        return 1
}

http_has() { curl -fsS --max-time 3 "$1" | grep -q "$2"; }
logs_have() { "$E" logs "$1" 2>&1 | grep -q "$2"; }
exec_has() {
        local id=$1 want=$2
        shift 2
        "$E" exec "$id" "$@" 2>&1 | grep -q "$want"
}
tcp_has() {
        # memcached's text protocol, with bash's /dev/tcp
        timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"; printf "version\r\n" >&3; head -1 <&3' _ "$1" "$2" | grep -q "$3"
}

# probe NAME ID: waits until NAME's service answers; echoes what it saw.
probe() {
        local id=$2 ip
        ip=$(wl_ip "$id")
        case $1 in
        shell) retry 20 logs_have "$id" shell-loop-alive && echo "the loop prints" ;;
        cron) retry 20 logs_have "$id" cron-reboot-job-ran && echo "cron ran its @reboot job" ;;
        nginx) retry 30 http_has "http://$ip/" "Welcome to nginx" && echo "GET / answers" ;;
        apache2) retry 30 http_has "http://$ip/" "Apache2 Debian Default Page" && echo "GET / answers" ;;
        python) retry 30 http_has "http://$ip:8000/" python-http-server-ok && echo "GET / answers" ;;
        haproxy) retry 30 http_has "http://$ip:8080/" haproxy-ok && echo "GET / answers" ;;
        java) retry 60 http_has "http://$ip:8080/" java-ok && echo "GET / answers: $(curl -fsS "http://$ip:8080/")" ;;
        memcached) retry 30 tcp_has "$ip" 11211 VERSION && echo "version answers" ;;
        redis)
                retry 30 exec_has "$id" PONG redis-cli ping &&
                        echo "PING answers, maxclients $("$E" exec "$id" redis-cli config get maxclients | tail -1)"
                ;;
        postgres)
                retry 60 exec_has "$id" "accepting connections" pg_isready -h 127.0.0.1 -U postgres &&
                        exec_has "$id" "^1$" psql -h 127.0.0.1 -U postgres -tAc "select 1" &&
                        echo "pg_isready and SELECT 1 answer"
                ;;
        *) return 1 ;;
        esac
}

# workload_test NAME: the image runs and serves, or is refused at create.
workload_test() {
        local name=$1 image id state saw
        image=$(wl_image "$name") || {
                fail "$name: the image is built and imported"
                return
        }
        capture "$E" run -d --label "rh-engine-test=$ENGINE_TAG" "${E_RUN[@]}" "$image"
        id=$out
        if [ "$rc" -ne 0 ]; then
                # Refused: only at create, and only with the policy's message.
                assert_contains "$err" "runc-harden: denied by policy:" "$name: the engine shows the policy's message"
                echo "# table: $ENGINE_NAME | $name | refused | $(grep -o 'runc-harden: denied by policy:.*' <<<"$err" | head -1)"
                return
        fi
        if saw=$(probe "$name" "$id"); then
                pass "$name: runs and serves ($saw)"
        else
                state=$("$E" inspect -f '{{.State.Status}} exit={{.State.ExitCode}}' "$id" 2>&1)
                fail "$name: runs and serves" "state: $state" "logs:" "$("$E" logs "$id" 2>&1 | tail -15)"
                echo "# table: $ENGINE_NAME | $name | FAILED | $state"
                return
        fi
        assert_eq running "$("$E" inspect -f '{{.State.Status}}' "$id")" "$name: still running after its probe"
        capture "$E" exec "$id" sh -c 'touch /rh-probe-root 2>&1; grep " / / " /proc/self/mountinfo'
        assert_contains "$out" "Read-only file system" "$name: the root file system is read-only inside"
        echo "# table: $ENGINE_NAME | $name | runs | $saw"
        "$E" rm -f "$id" >/dev/null 2>&1 || true
}

# Every image is a test of its own.
for wl_name in "${WL_NAMES[@]}"; do
        eval "test_${wl_name}_runs_and_serves_or_is_refused() { workload_test $wl_name; }"
done
