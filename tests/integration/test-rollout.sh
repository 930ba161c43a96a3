#!/bin/bash
# Rolling out: decisions on record (the audit log on by default, bounded,
# one line per container in the engine's log), dry-run that sees what the
# container did and predicts what enforce breaks, the report that says
# how to pass, and the levels, per-workload entries and Docker label an
# operator uses to get there. Real runc; the root file systems that
# dry-run watches are overlay mounts in the test's directory, as the
# engines make them.
source "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "mounts overlays and runs containers as root"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || true
grep -qw overlay /proc/filesystems || skip_all "no overlay file system"

MOUNTS=()
umount_all() {
        local m
        for m in "${MOUNTS[@]}"; do
                umount -l "$m" 2>/dev/null || true
        done
}
trap 'rc=$?; umount_all; (exit $rc); cleanup' EXIT

# dry_run_policy FILE [JQ FILTER]: the foundation's policy in dry-run.
dry_run_policy() {
        jq '.mode = "dry-run"'"${2:+ | $2}" "$T/policy.json" >"$1"
}

# overlay_bundle DIR ARG...: a bundle whose root is an overlay, as Docker
# mounts it: the image (busybox, /var/lib/app, /etc/app.conf) below, the
# container's writes in DIR/upper. The spec's root is writable, so that
# readonly-rootfs has something to fix.
overlay_bundle() {
        local b=$1
        shift
        make_bundle "$b/img" "$@"
        mkdir -p "$b/img/rootfs/var/lib/app" "$b/img/rootfs/run" "$b/upper" "$b/work" "$b/rootfs"
        echo conf >"$b/img/rootfs/etc/app.conf"
        mount -t overlay overlay -o "lowerdir=$b/img/rootfs,upperdir=$b/upper,workdir=$b/work" "$b/rootfs"
        MOUNTS+=("$b/rootfs")
        jq '.root = {"path": "rootfs", "readonly": false}' "$b/img/config.json" >"$b/config.json"
}

# watch_file ID: where dry-run keeps its watch of container ID.
watch_file() {
        ls /run/runc-harden/dry-run/"$1".*.json 2>/dev/null || true
}

# create_start_delete ID BUNDLE: the engines' sequence, waiting for the
# container to exit between start and delete.
create_start_delete() {
        assert_ok "$1: create" rh create --bundle "$2" "$1"
        assert_ok "$1: start" rh start "$1"
        wait_status "$1" stopped || fail "$1: it stops"
        assert_ok "$1: delete" rh delete "$1"
}

test_a_decision_goes_to_the_audit_log_by_default_and_one_line_to_the_engine() {
        local id log=/var/log/runc-harden/audit.log
        new_id id
        jq 'del(.["audit-log"])' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.root.readonly = false | del(.process.noNewPrivileges)'
        assert_ok "run with a policy that names no audit log" rh run --bundle "$TD/b" "$id"
        assert_eq "$id fix" "$(grep -F "\"$id\"" "$log" | tail -1 | jq -r '"\(.container) \(.verdict)"')" \
                "the decision is in $log"
        assert_eq 700 "$(stat -c %a "$(dirname "$log")")" "its directory is root's alone"
        assert_eq 600 "$(stat -c %a "$log")" "and so is the log"
        assert_eq 1 "$(grep -c 'runc-harden' <<<"$err")" "one line on stderr for the container"
        assert_contains "$err" "fixed by policy: readonly-rootfs, no-new-privileges" "naming what was fixed"
        assert_contains "$err" "the audit log $log" "and where the details are"
}

test_without_an_audit_log_the_details_stay_in_the_engines_log() {
        local id
        new_id id
        jq '.["audit-log"] = null' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" true
        spec_set "$TD/b" '.root.readonly = false'
        assert_ok "run with audit-log null" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "runc-harden: fixed by policy: readonly-rootfs: /root/readonly: " \
                "the finding's own line is there"
        assert_contains "$err" "runc-harden: fixed by policy: readonly-rootfs" "and the container's line"
}

test_the_audit_log_rotates_at_its_size_and_keeps_its_files() {
        local i n=0 f
        jq --arg l "$TD/audit.log" '.["audit-log"] = $l | .["audit-log-size"] = 65536 | .["audit-log-keep"] = 2' \
                "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        # update decisions need no container: runc then fails, the
        # decision is on record all the same (each ~800 bytes, with a long
        # container id)
        echo '{"pids": {"limit": 100}, "memory": {"limit": 1000000, "swap": 1000000}}' >"$TD/r.json"
        local pad
        pad=$(printf 'x%.0s' $(seq 500))
        for i in $(seq 400); do
                rh update --resources "$TD/r.json" "$pad-no-such-container-$i" >/dev/null 2>&1 || true
        done
        for f in "$TD/audit.log" "$TD/audit.log.1" "$TD/audit.log.2"; do
                [ -s "$f" ] && n=$((n + 1))
                [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -le 65536 ] || fail "$f is within audit-log-size"
        done
        assert_eq 3 "$n" "the log and two rotated files"
        assert_ok "nothing beyond audit-log-keep" test ! -e "$TD/audit.log.3"
        assert_eq "$pad-no-such-container-400" "$(tail -1 "$TD/audit.log" | jq -r .container)" "the newest is in the log"
        assert_ok "report reads all three" rh_own report --policy "$TD/policy.json" --format json
        local kept
        kept=$(jq .records <<<"$out")
        assert_eq "$kept" "$(cat "$TD"/audit.log* | wc -l)" "every line kept is a record the report read"
        echo "# 400 decisions: $kept kept in $(du -cb "$TD"/audit.log* | tail -1 | cut -f1) bytes"
}

test_dry_run_sees_what_a_read_only_root_would_break_and_the_report_says_how_to_pass() {
        local id w first
        new_id id
        first=$id
        dry_run_policy "$TD/policy.json"
        RH_POLICY=$TD/policy.json
        overlay_bundle "$TD/b" sh -c 'echo 1 >/var/lib/app/state && echo 1 >/tmp/scratch && echo done'
        assert_ok "create in dry-run" rh create --bundle "$TD/b" "$id"
        w=$(watch_file "$id")
        assert_ne "" "$w" "the container is watched"
        assert_eq "$TD/b/upper" "$(jq -r .rootfs.upper "$w")" "at its overlay's upper directory"
        assert_contains "$(jq -c .rootfs.writable "$w")" '"/tmp"' "knowing /tmp stays writable"
        assert_ok "start" rh start "$id"
        wait_status "$id" stopped || fail "it stops"
        assert_ok "delete" rh delete "$id"
        assert_eq "" "$(watch_file "$id")" "the watch is gone"
        assert_eq absent "$(container_status "$id")" "and so is the container"
        local rec
        rec=$(jq -c --arg id "$id" 'select(.container == $id and .command == "delete")' "$T/audit.log")
        assert_eq '["/var/lib/app/state"]' "$(jq -c '[.observed.writes[] | select(.dir == "/var/lib/app") | .paths[]]' <<<"$rec")" \
                "the record has what it wrote under /var/lib/app"
        assert_eq 0 "$(jq '[.observed.writes[] | .paths[] | select(startswith("/tmp"))] | length' <<<"$rec")" \
                "not what it wrote in /tmp, which stays writable"
        assert_ok "report" rh_own report --policy "$TD/policy.json"
        assert_contains "$out" "container $id" "the report names the container"
        assert_contains "$out" "would start it, but what it did would break under: readonly-rootfs" \
                "it says enforce would break it"
        assert_contains "$out" "/var/lib/app/state" "and what it wrote"
        assert_contains "$out" "--tmpfs /var/lib/app" "and a flag that passes"
        # The query of docs/engines.md's dry-run recipe, on this real log,
        # delete records (no verdict, no findings) included.
        capture jq -r 'select(.command != "delete" and .mode == "dry-run" and .verdict != "allow")
                | "\(.time) \(.container) \(.verdict): \([.findings[]? | select(.action != "warn") | .rule] | unique | join(", "))"' \
                "$T/audit.log"
        assert_eq 0 "$rc" "the recipe's jq reads the dry-run log: $err"
        assert_match "$out" "$id fix: [a-z, -]*readonly-rootfs" "it lists the container and the rule enforce would apply"
        assert_eq "" "$(grep -E '(^|, )([a-z-]+), \2(,|$)' <<<"$out" || true)" "each rule once per line"

        # the prediction holds: in enforce the same write fails
        new_id id
        umount "$TD/b/rootfs" && rm -rf "$TD/b/upper" "$TD/b/work" && mkdir "$TD/b/upper" "$TD/b/work"
        mount -t overlay overlay -o "lowerdir=$TD/b/img/rootfs,upperdir=$TD/b/upper,workdir=$TD/b/work" "$TD/b/rootfs"
        jq '.mode = "enforce"' "$TD/policy.json" >"$TD/enforce.json"
        cp "$TD/b/config.json" "$TD/b/config.orig"
        RH_POLICY=$TD/enforce.json
        assert_fails "enforce: the container's write fails" rh run --bundle "$TD/b" "$id"
        assert_contains "$err$out" "Read-only file system" "with a read-only root, as dry-run said"

        # and the report's policy lets it pass, with the root read-only
        new_id id
        cp "$TD/b/config.orig" "$TD/b/config.json"
        RH_POLICY=$TD/policy.json
        rh_own report --policy "$TD/policy.json" --format json >"$TD/report.json"
        jq --slurpfile r "$TD/report.json" --arg w "container $first" '.mode = "enforce" | .rules *= ($r[0].workloads[]
                | select(.workload == $w) | .rules[]
                | select(.rule == "readonly-rootfs") | .["policy-rules"])' "$TD/policy.json" >"$TD/passing.json"
        assert_contains "$(jq -c '.rules["readonly-rootfs"].params.writable' "$TD/passing.json")" '"/var/lib/app"' \
                "the report's rule keeps /var/lib/app writable"
        RH_POLICY=$TD/passing.json
        spec_set "$TD/b" '.process.args = ["sh", "-c", "echo 1 >/var/lib/app/state && cat /var/lib/app/state &&
                (touch /etc/x 2>/dev/null && echo root=rw || echo root=ro)"]'
        assert_ok "enforce with the report's policy: it runs" rh run --bundle "$TD/b" "$id"
        assert_eq "1 root=ro" "$(echo $out)" "it wrote its state, and the root is read-only"
}

test_delete_stays_a_pass_through() {
        local id start end
        new_id id
        # a watch that cannot be read is dropped; the delete goes on
        dry_run_policy "$TD/policy.json"
        RH_POLICY=$TD/policy.json
        overlay_bundle "$TD/b" true
        mkdir -p /run/runc-harden/dry-run
        local stale=/run/runc-harden/dry-run/rh-rollout-stale-$$.0000000000000000.json fresh
        fresh=/run/runc-harden/dry-run/rh-rollout-fresh-$$.0000000000000000.json
        echo '{}' >"$stale"
        echo '{}' >"$fresh"
        touch -d '40 days ago' "$stale"
        touch -d '20 days ago' "$fresh"
        assert_ok "create in dry-run" rh create --bundle "$TD/b" "$id"
        assert_ok "a watch no delete came for in 30 days is dropped" test ! -e "$stale"
        assert_ok "a younger one is kept" test -e "$fresh"
        rm -f "$fresh"
        assert_ne "" "$(watch_file "$id")" "it is watched"
        echo 'not json' >"$(watch_file "$id")"
        assert_ok "delete with a garbage watch file" rh delete "$id"
        assert_eq absent "$(container_status "$id")" "the container is gone"
        assert_eq "" "$(watch_file "$id")" "and the watch file"

        # a broken policy never stops a delete
        new_id id
        assert_ok "create" rh create --bundle "$TD/b" "$id"
        RH_POLICY=$RH_TEST_DATA/garbage.policy.json
        assert_ok "delete with a broken policy" rh delete "$id"
        assert_eq absent "$(container_status "$id")" "the container is gone"

        # a container that wrote a great deal: the walk stops at its bound
        new_id id
        RH_POLICY=$TD/policy.json
        overlay_bundle "$TD/c" sh -c 'i=0; while [ $i -lt 30000 ]; do : >/var/lib/app/f$i; i=$((i+1)); done'
        create_start_delete "$id" "$TD/c"
        assert_eq true "$(jq -r --arg id "$id" 'select(.container == $id and .command == "delete") | .observed.truncated' \
                "$T/audit.log")" "the record says the walk stopped at its bound"
        local ms
        ms=$(jq -r --arg id "$id" 'select(.container == $id and .command == "delete") | .observed["scan-ms"]' "$T/audit.log")
        echo "# a delete that walked 20000 of 30000 written files: the walk took $ms ms"
}

test_a_workload_entry_applies_to_the_image_the_engine_names() {
        local id
        new_id id
        jq '.workloads = [{"name": "web", "match": {"image": "registry.example.com/web"},
                "rules": {"readonly-rootfs": {"action": "off"}}}]' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" sh -c 'touch /x 2>/dev/null && echo root=rw || echo root=ro'
        spec_set "$TD/b" '.root.readonly = false | .annotations = {
                "io.kubernetes.cri.container-type": "container",
                "io.kubernetes.cri.image-name": "registry.example.com/web:3.1",
                "io.kubernetes.cri.container-name": "web", "io.kubernetes.cri.sandbox-namespace": "shop"}'
        assert_ok "run the image the entry names" rh run --bundle "$TD/b" "$id"
        assert_eq root=rw "$out" "its root stays writable (the entry turns readonly-rootfs off)"
        assert_eq "web registry.example.com/web:3.1 shop" \
                "$(tail -1 "$T/audit.log" | jq -r '"\(.["workload-entry"]) \(.workload["image-ref"]) \(.workload.namespace)"')" \
                "the record names the entry and the workload"
        new_id id
        spec_set "$TD/b" '.annotations["io.kubernetes.cri.image-name"] = "registry.example.com/other:1"'
        assert_ok "run another image" rh run --bundle "$TD/b" "$id"
        assert_eq root=ro "$out" "its root is made read-only"
}

# docker_like ID LABELS IMAGE_LABELS: a bundle whose root lies where
# dockerd keeps them, with dockerd's files for container ID.
docker_like() {
        local id=$1 d=$TD/docker img
        img=$(printf '%s' "$id" | sha256sum | cut -c1-64)
        mkdir -p "$d/overlay2/$id/merged" "$d/containers/$id" "$d/image/overlay2/imagedb/content/sha256"
        make_bundle "$TD/b-$id" sh -c 'touch /x 2>/dev/null && echo root=rw || echo root=ro'
        cp -a "$TD/b-$id/rootfs/." "$d/overlay2/$id/merged/"
        spec_set "$TD/b-$id" '.root = {"path": $p, "readonly": false}' --arg p "$d/overlay2/$id/merged"
        jq -n --arg id "$id" --arg img "sha256:$img" --argjson l "$2" \
                '{ID: $id, Name: "/web", Image: $img, Driver: "overlay2", Config: {Image: "rh-web:1", Labels: $l}}' \
                >"$d/containers/$id/config.v2.json"
        jq -n --argjson l "$3" '{config: {Labels: $l}}' >"$d/image/overlay2/imagedb/content/sha256/$img"
        chmod 600 "$d/containers/$id/config.v2.json"
}

test_a_docker_label_on_the_container_exempts_what_the_policy_allows() {
        local id
        id=$(printf 'label-%s' "$$" | sha256sum | cut -c1-64)
        CONTAINERS+=("$id")
        docker_like "$id" '{"org.runc-harden.exempt": "readonly-rootfs"}' '{}'
        assert_ok "run with the label" rh run --bundle "$TD/b-$id" "$id"
        assert_eq root=rw "$out" "the root stays writable: readonly-rootfs is exemptible"
        assert_finding "$err" "exempt from policy" readonly-rootfs "" "the Docker label" "the exemption is logged"
        assert_eq "docker docker.io/library/rh-web:1 web" \
                "$(tail -1 "$T/audit.log" | jq -r '.workload | "\(.engine) \(.["image-ref"]) \(.name)"')" \
                "the record names Docker's image and container"

        id=$(printf 'image-label-%s' "$$" | sha256sum | cut -c1-64)
        CONTAINERS+=("$id")
        docker_like "$id" '{"org.runc-harden.exempt": "readonly-rootfs"}' '{"org.runc-harden.exempt": "readonly-rootfs"}'
        assert_ok "run an image that carries the label itself" rh run --bundle "$TD/b-$id" "$id"
        assert_eq root=ro "$out" "the root is made read-only: an image cannot exempt itself"
        assert_finding "$err" "warning from policy" spec-invalid "" "the image sets the label" "saying why"
}

test_the_restricted_level_refuses_root_and_drops_capabilities() {
        local id
        new_id id
        assert_ok "policy show --level restricted" rh_own policy show --level restricted
        jq --arg a "$T/audit.log" '.["audit-log"] = $a | .rules.apparmor.action = "off" | .rules.selinux.action = "off"' \
                <<<"$out" >"$TD/restricted.json"
        assert_ok "it is a valid policy" rh_own policy check "$TD/restricted.json"
        echo '{"version": 1, "extends": "restricted", "audit-log": null}' >"$TD/extends.json"
        assert_ok "a file that extends it is too" rh_own policy check "$TD/extends.json"
        RH_POLICY=$TD/restricted.json
        make_bundle "$TD/b" sh -c 'grep -E "^(CapEff|CapBnd)" /proc/self/status; id -u; id -g'
        assert_status 1 "root is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "denied by policy: root-user: /process/user/uid" "by root-user, naming the field"
        new_id id
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 0}'
        assert_status 1 "group root is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "root-user: /process/user/gid" "naming the gid"
        new_id id
        spec_set "$TD/b" '.process.user = {"uid": 1000, "gid": 1000}'
        assert_ok "uid and gid 1000 run" rh run --bundle "$TD/b" "$id"
        assert_contains "$out" "CapEff:	0000000000000000" "with no effective capability (not root)"
        assert_contains "$out" "CapBnd:	0000000000000400" "and NET_BIND_SERVICE alone in the bounding set"
        new_id id
        spec_set "$TD/b" '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
        assert_status 1 "a sysctl outside the safe set is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "sysctls.only" "saying so"
        new_id id
        spec_set "$TD/b" '.linux.sysctl = {"net.ipv4.ip_unprivileged_port_start": "80"}'
        assert_ok "one in the safe set runs" rh run --bundle "$TD/b" "$id"

        # host binds only from the allowlist (here the test's data
        # directory, as an operator would list theirs)
        mkdir -p "$TD/data" "$TD/other"
        jq --arg d "$TD/data/**" '.rules["sensitive-mount"].params.only = [$d]' "$TD/restricted.json" >"$TD/only.json"
        RH_POLICY=$TD/only.json
        new_id id
        add_bind "$TD/b" "$TD/other" /other
        assert_status 1 "a bind from outside the allowlist is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "denied by policy: sensitive-mount" "by sensitive-mount"
        new_id id
        spec_set "$TD/b" '.mounts[-1].source = $s' --arg s "$TD/data"
        assert_ok "one from the allowlist runs" rh run --bundle "$TD/b" "$id"
}

test_a_workload_entry_applies_to_the_containers_updates() {
        local a b
        new_id a
        new_id b
        jq '.rules["pids-limit"].action = "fix" | .workloads = [{"name": "small", "match": {"image": "small"},
                "rules": {"pids-limit": {"action": "fix", "params": {"max": 100}}}}]' \
                "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b"
        spec_set "$TD/b" '.linux.resources.pids.limit = 50 | .annotations = {
                "io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.image-name": "small:1"}'
        assert_ok "create the image the entry names" rh create --bundle "$TD/b" "$a"
        make_bundle "$TD/c"
        spec_set "$TD/c" '.linux.resources.pids.limit = 50 | .annotations = {
                "io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.image-name": "big:1"}'
        assert_ok "and another" rh create --bundle "$TD/c" "$b"
        assert_status 1 "update --pids-limit 500 of the first is refused (its entry's maximum)" \
                rh update --pids-limit 500 "$a"
        assert_contains "$err" "denied by policy: pids-limit" "by pids-limit"
        assert_eq small "$(tail -1 "$T/audit.log" | jq -r '.["workload-entry"]')" "the record names the entry"
        assert_ok "the same update of the other passes (no maximum)" rh update --pids-limit 500 "$b"
}

test_a_workload_entry_can_run_in_dry_run_while_the_rest_is_enforced() {
        local id
        new_id id
        jq '.workloads = [{"match": {"container": "canary"}, "mode": "dry-run"}]' "$T/policy.json" >"$TD/policy.json"
        RH_POLICY=$TD/policy.json
        make_bundle "$TD/b" true
        add_bind "$TD/b" /run /host-run
        spec_set "$TD/b" '.annotations = {"io.kubernetes.cri.container-type": "container",
                "io.kubernetes.cri.container-name": "canary", "io.kubernetes.cri.image-name": "canary:1"}'
        assert_ok "the canary runs (its entry is dry-run)" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "dry-run: would deny: engine-socket" "saying what enforce would deny"
        new_id id
        spec_set "$TD/b" '.annotations["io.kubernetes.cri.container-name"] = "other"'
        assert_status 1 "any other container is refused" rh run --bundle "$TD/b" "$id"
        assert_contains "$err" "denied by policy: engine-socket" "by engine-socket"
}

run_tests
