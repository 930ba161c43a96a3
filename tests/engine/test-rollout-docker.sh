#!/bin/bash
# Rolling out through Docker, as the README says to: the workload suite's
# images (workloads.sh) run with runc-harden as the default runtime in
# dry-run, and stop; then `runc-harden report` says, before enforce, what
# enforce will change for each image. An image that writes outside what
# the readonly-rootfs fix keeps writable is predicted to break, does break
# in enforce, and runs with the policy entry the report gives. Docker's
# label reaches the exemptions the policy allows; an image's own does not.
source "$(dirname "$0")/workload-lib.sh"

# the suite's own enforce tests are test-workloads-docker.sh's
for wl_name in "${WL_NAMES[@]}"; do
        unset -f "test_${wl_name}_runs_and_serves_or_is_refused"
done
require_engines
command -v debootstrap >/dev/null || skip_all "debootstrap is not installed (bash tests/engine/services.sh install)"
E=docker_
ENGINE_NAME=docker

# The built-in policy (workload-lib.sh), in dry-run; the same file is
# switched to enforce later, which the runtime reads at every create.
set_mode() {
        jq --arg m "$1" '.mode = $m' "$RH_POLICY" >"$RH_POLICY.new" && mv "$RH_POLICY.new" "$RH_POLICY"
}
set_mode dry-run
docker_config "$(jq -n --argjson h "$(runtime_entry)" '{runtimes: {hardened: $h}, "default-runtime": "hardened"}')"

# An image that keeps its log where the fix keeps nothing writable, and
# stops when it cannot: what dry-run has to see coming.
WRITER_CMD='CMD ["sh", "-c", "echo started >>/var/log/rh-app.log || exit 3; while :; do echo alive; sleep 1; done"]'
writer_image() {
        local ref=rh-writer-$1:$$
        shift
        wl_build shell >&2 || return 1
        docker_ import --change "$WRITER_CMD" "$@" "$(wl_tar shell)" "$ref" >/dev/null || return 1
        WL_IMAGES+=("$ref")
        echo "$ref"
}

# report_json: the report, as JSON, of the test's audit log.
report_json() {
        "$RUNC_HARDEN" report --policy "$RH_POLICY" --format json
}

# stop_and_remove ID: docker stop (the shim then runs runc delete, where
# dry-run reads what the container did), then rm.
stop_and_remove() {
        docker_ stop -t 5 "$1" >/dev/null 2>&1 || true
        docker_ rm -f "$1" >/dev/null 2>&1 || true
}

test_a_dry_run_of_the_workload_suite_then_the_report_names_what_enforce_changes() {
        local name image id saw ref w verdict rules
        declare -A refs
        for name in "${WL_NAMES[@]}"; do
                image=$(wl_image "$name") || {
                        fail "$name: the image is built and imported"
                        continue
                }
                refs[$name]=docker.io/library/$image
                capture drun -d "$image"
                id=$out
                if [ "$rc" -ne 0 ]; then
                        fail "$name: dry-run starts it" "$err"
                        continue
                fi
                if saw=$(probe "$name" "$id"); then
                        pass "$name: runs and serves in dry-run ($saw)"
                else
                        fail "$name: runs and serves in dry-run" "$("$E" logs "$id" 2>&1 | tail -5)"
                fi
                stop_and_remove "$id"
        done
        capture report_json
        assert_eq 0 "$rc" "runc-harden report"
        echo "$out" >"$T/report.json"
        for name in "${WL_NAMES[@]}"; do
                ref=${refs[$name]:-}
                [ -n "$ref" ] || continue
                w=$(jq -c --arg r "$ref" '.workloads[] | select(.workload == $r)' "$T/report.json")
                assert_ne "" "$w" "$name: the report names the image ($ref)"
                assert_eq '["dry-run"]' "$(jq -c .modes <<<"$w")" "$name: from dry-run decisions"
                assert_eq 1 "$(jq .observed.containers <<<"$w")" "$name: what it did was seen at delete"
                assert_eq null "$(jq .observed.error <<<"$w")" "$name: its writes could be read"
                verdict=$(jq -r .enforce <<<"$w")
                rules=$(jq -r '[.rules[] | select(.counts["would-fix"]) | .rule] | join(", ")' <<<"$w")
                # The suite's images run in enforce (test-workloads-docker.sh):
                # dry-run must predict changes, not breakage.
                assert_eq change "$verdict" "$name: enforce would start it with changes"
                assert_contains "$rules" readonly-rootfs "$name: the read-only root is among them"
                echo "# table: docker | $name | dry-run says enforce would $verdict it | would fix: $rules" \
                        "| written outside: $(jq -r '[.observed.writes[].dir] | join(", ") | if . == "" then "nothing" else . end' <<<"$w")"
        done
        capture "$RUNC_HARDEN" report --policy "$RH_POLICY"
        assert_contains "$out" "would start it with changes: readonly-rootfs" "the text report says the same"
        # the report as an operator reads it, in the test's log
        sed 's/^/# report: /' <<<"$out"
}

test_a_predicted_break_happens_in_enforce_and_the_reports_entry_prevents_it() {
        local image id ref w entry
        image=$(writer_image plain) || {
                fail "the writer image is imported"
                return
        }
        ref=docker.io/library/$image
        set_mode dry-run
        assert_ok "dry-run: it starts" drun -d "$image"
        id=$out
        docker_wait_running "$id"
        retry 10 logs_have "$id" alive || fail "dry-run: it runs"
        stop_and_remove "$id"
        w=$(report_json | jq -c --arg r "$ref" '.workloads[] | select(.workload == $r)')
        assert_eq break "$(jq -r .enforce <<<"$w")" "the report: enforce would break it"
        assert_contains "$(jq -c '.rules[] | select(.rule == "readonly-rootfs") | .written' <<<"$w")" \
                /var/log/rh-app.log "naming what it wrote"
        entry=$(jq -c '.rules[] | select(.rule == "readonly-rootfs") | .policy' <<<"$w")
        assert_eq "\"docker.io/library/rh-writer-plain\"" "$(jq -c .match.image <<<"$entry")" \
                "its policy entry matches the image"

        set_mode enforce
        capture drun "$image"
        assert_eq 3 "$rc" "enforce, as predicted: it cannot write its log and stops"
        assert_contains "$out$err" "Read-only file system" "because the root is read-only"

        jq --argjson e "$entry" '.workloads = [$e]' "$RH_POLICY" >"$RH_POLICY.new" && mv "$RH_POLICY.new" "$RH_POLICY"
        assert_ok "enforce with the report's entry: it starts" drun -d "$image"
        id=$out
        docker_wait_running "$id"
        retry 10 logs_have "$id" alive && pass "and runs" || fail "and runs" "$("$E" logs "$id" 2>&1 | tail -5)"
        capture docker_ exec "$id" sh -c 'touch /etc/rh-probe 2>&1; cat /var/log/rh-app.log'
        assert_contains "$out" "Read-only file system" "the rest of the root is read-only"
        assert_contains "$out" started "and its log was written"
        assert_eq "$(jq -r .name <<<"$entry")" "$(tail -1 "$T/audit.log" | jq -r '.["workload-entry"]')" \
                "the audit record names the entry"
        stop_and_remove "$id"
        jq 'del(.workloads)' "$RH_POLICY" >"$RH_POLICY.new" && mv "$RH_POLICY.new" "$RH_POLICY"
}

test_docker_label_reaches_the_exemptions_the_policy_allows_and_the_images_does_not() {
        local plain labelled id
        set_mode enforce
        plain=$(writer_image label) && labelled=$(writer_image in-image --change 'LABEL org.runc-harden.exempt=readonly-rootfs') || {
                fail "the writer images are imported"
                return
        }
        assert_ok "docker run --label org.runc-harden.exempt=readonly-rootfs" \
                drun -d --label org.runc-harden.exempt=readonly-rootfs "$plain"
        id=$out
        docker_wait_running "$id"
        retry 10 logs_have "$id" alive && pass "it runs" || fail "it runs" "$("$E" logs "$id" 2>&1 | tail -5)"
        capture docker_ exec "$id" sh -c 'touch /etc/rh-probe && echo root=rw'
        assert_eq root=rw "$out" "its root is writable (readonly-rootfs is exemptible)"
        assert_eq true "$(jq -c --arg id "$("$DOCKER" inspect -f '{{.Id}}' "$id")" \
                'select(.container == $id and .command == "create") | .findings | any(.rule == "readonly-rootfs" and .exempted)' \
                "$T/audit.log")" "the record has the exemption"
        stop_and_remove "$id"

        capture drun -d --label org.runc-harden.exempt=readonly-rootfs,no-new-privileges "$plain"
        id=$out
        docker_wait_running "$id" || true
        capture docker_ exec "$id" grep NoNewPrivs /proc/1/status
        assert_contains "$out" "NoNewPrivs:	1" "a rule the policy does not make exemptible still applies"
        stop_and_remove "$id"

        capture drun "$labelled"
        assert_eq 3 "$rc" "an image that labels itself exempt gets a read-only root all the same"
        assert_contains "$(tail -1 "$T/audit.log" | jq -r '.findings[] | select(.rule == "spec-invalid") | .message')" \
                "the image sets the label" "the record says why the label was not taken"
}

run_tests
