#!/bin/bash
# Load: RH_LOAD_N (200) containers created at once through runc-harden in
# front of the real runc, half with a spec the policy denies (the engine
# socket bound in), half with one it fixes (writable root, no
# noNewPrivileges). Every container gets its own decision, every bundle
# stays whole, and the audit log has exactly one record per container.
# shellcheck source=../integration/lib.sh
source "$(dirname "$0")/../integration/lib.sh"

N=${RH_LOAD_N:-200}
PARALLEL=${RH_LOAD_PARALLEL:-50}

# One busybox root file system shared by every bundle (read-only use).
make_bundle "$T/proto"
ROOTFS=$T/proto/rootfs
jq --arg r "$ROOTFS" '.root.path = $r | .root.readonly = false | del(.process.noNewPrivileges)' \
        "$T/proto/config.json" >"$T/fixable.json"
jq '.mounts += [{"destination": "/var/run/docker.sock", "type": "bind", "source": "/var/run/docker.sock",
        "options": ["rbind", "rprivate"]}]' "$T/fixable.json" >"$T/denied.json"

# kind_of I: even containers are denied, odd ones fixed.
kind_of() {
        if (($1 % 2 == 0)); then echo denied; else echo fixable; fi
}

# (exported to xargs' shells, where $$ is another number)
RUN_TAG=$$
id_of() {
        echo "rh-load-$RUN_TAG-$1"
}

# One create, run by xargs: records the exit status beside the bundle.
create_one() {
        local i=$1 id rc=0
        id=$(id_of "$i")
        timeout -k 5 100 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" create --bundle "$T/b$i" "$id" \
                >"$T/b$i.out" 2>"$T/b$i.err" || rc=$?
        echo "$rc" >"$T/b$i.rc"
}
delete_one() {
        # runc warns on stderr when it must retry a busy cgroup's removal
        # (a loaded machine): only a failed delete keeps its stderr.
        if timeout -k 5 60 "$RUNC_HARDEN" --harden-policy "$RH_POLICY" --root "$STATE" delete --force "$1" \
                >/dev/null 2>"$T/delete-$1.err"; then
                rm -f "$T/delete-$1.err"
        else
                echo "exit status $?" >>"$T/delete-$1.err"
        fi
}
export -f create_one delete_one id_of
export RUNC_HARDEN RH_POLICY STATE T RUN_TAG

test_concurrent_creates_each_get_their_own_decision() {
        local i id kind start secs rc
        for i in $(seq "$N"); do
                mkdir -p "$T/b$i"
                cp "$T/$(kind_of "$i").json" "$T/b$i/config.json"
                CONTAINERS+=("$(id_of "$i")")
        done
        sha "$T/fixable.json" >"$T/sha.fixable"
        sha "$T/denied.json" >"$T/sha.denied"
        : >"$T/audit.log"

        start=$(date +%s)
        seq "$N" | xargs -P "$PARALLEL" -I{} bash -c 'create_one {}'
        secs=$(($(date +%s) - start))
        echo "# $N creates, $PARALLEL at a time: $secs s"

        local bad_rc=0 bad_list=0 bad_bundle=0 fixed_id=""
        "$REAL_RUNC" --root "$STATE" list -q | sort >"$T/listed"
        for i in $(seq "$N"); do
                id=$(id_of "$i")
                kind=$(kind_of "$i")
                rc=$(cat "$T/b$i.rc")
                if [ "$kind" = denied ]; then
                        if [ "$rc" != 1 ] || ! grep -q "denied by policy: engine-socket" "$T/b$i.err"; then
                                bad_rc=$((bad_rc + 1))
                                echo "# $id: denied spec: exit $rc: $(head -c 300 "$T/b$i.err")"
                        fi
                        grep -qx "$id" "$T/listed" && bad_list=$((bad_list + 1))
                        [ "$(sha "$T/b$i/config.json")" = "$(cat "$T/sha.denied")" ] || bad_bundle=$((bad_bundle + 1))
                else
                        if [ "$rc" != 0 ]; then
                                bad_rc=$((bad_rc + 1))
                                echo "# $id: fixable spec: exit $rc: $(head -c 300 "$T/b$i.err")"
                        fi
                        grep -qx "$id" "$T/listed" || bad_list=$((bad_list + 1))
                        if ! jq -e '.root.readonly == true and .process.noNewPrivileges == true' \
                                "$T/b$i/config.json" >/dev/null 2>&1; then
                                bad_bundle=$((bad_bundle + 1))
                        fi
                        # Every fixed bundle is the same bytes: the fix is
                        # deterministic and no write was interleaved.
                        if [ -z "$fixed_id" ]; then
                                fixed_id=$(sha "$T/b$i/config.json")
                        elif [ "$fixed_id" != "$(sha "$T/b$i/config.json")" ]; then
                                bad_bundle=$((bad_bundle + 1))
                        fi
                fi
                [ -z "$(find "$T/b$i" -maxdepth 1 -name '.config.json.runc-harden-*')" ] || bad_bundle=$((bad_bundle + 1))
        done
        assert_eq 0 "$bad_rc" "every create exits with its decision (denied 1, fixed 0)"
        assert_eq 0 "$bad_list" "runc list has exactly the fixed containers"
        assert_eq $((N / 2)) "$(wc -l <"$T/listed")" "runc list has $((N / 2)) containers"
        assert_eq 0 "$bad_bundle" "every bundle is whole: denied unchanged, fixed complete and identical"

        # The audit log: one valid JSON line per container, its verdict.
        assert_eq "$N" "$(wc -l <"$T/audit.log")" "the audit log has $N lines"
        assert_ok "every line is JSON" jq -e . "$T/audit.log"
        assert_eq "$N" "$(jq -r .container "$T/audit.log" | sort -u | wc -l)" "one record per container id"
        local wrong
        wrong=$(jq -r '"\(.container) \(.verdict)"' "$T/audit.log" | while read -r id v; do
                i=${id##*-}
                want=deny
                [ "$(kind_of "$i")" = fixable ] && want=fix
                [ "$v" = "$want" ] || echo "$id $v"
        done)
        assert_eq "" "$wrong" "every record has the container's verdict"

        start=$(date +%s)
        for i in $(seq "$N"); do
                if [ "$(kind_of "$i")" = fixable ]; then id_of "$i"; fi
        done | xargs -P "$PARALLEL" -I{} bash -c 'delete_one {}'
        assert_eq "" "$(find "$T" -maxdepth 1 -name 'delete-*.err' -exec cat {} +)" "every delete --force succeeded"
        echo "# $((N / 2)) deletes: $(($(date +%s) - start)) s"
        assert_eq "" "$("$REAL_RUNC" --root "$STATE" list -q)" "every container is deleted"
}

run_tests
