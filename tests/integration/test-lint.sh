#!/bin/bash
# lint checks specs offline: the engines' real specs from the corpus, in
# text, JSON and SARIF; exit 0 when nothing is denied, 1 when something is,
# 2 on a usage or I/O error; --fix prints the fixed spec.
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

D=$RH_CORPUS/docker
# The corpus's container specs (not its exec process files or update documents).
CONFIGS=()
for f in "$D"/*.json "$RH_CORPUS"/podman/*.json; do
        case $f in *.process.json | *.resources.json) continue ;; esac
        CONFIGS+=("$f")
done

# The built-in policy, whole (a policy must be a regular file).
rh_own policy show --level baseline >"$T/builtin-policy.json"

lint() {
        rh_own lint --policy "$RH_POLICY" "$@"
}

# verdict_of PATH: from the last lint --format json output ($out).
verdict_of() {
        jq -r --arg p "$1" '.results[] | select(.path == $p) | .verdict' <<<"$out"
}

# findings_of PATH: "rule action pointer" lines.
findings_of() {
        jq -r --arg p "$1" '.results[] | select(.path == $p) | .findings[] | "\(.rule) \(.action) \(.pointer)"' <<<"$out"
}

test_the_corpus_is_there() {
        assert_ok "the corpus is in the tree ($RH_CORPUS)" test -f "$D/docker-sock.json"
        assert_eq 9 "${#CONFIGS[@]}" "nine container specs (eight of docker, one of podman)"
}

test_lint_json_of_the_corpus_is_one_document() {
        assert_status 1 "lint --format json of the corpus exits 1 (docker-sock is denied)" \
                lint --format json "${CONFIGS[@]}"
        assert_ok "the output is JSON" jq -e . <<<"$out"
        assert_eq 1 "$(jq -s length <<<"$out")" "one document"
        assert_eq 1 "$(jq .version <<<"$out")" "version 1"
        assert_eq "${#CONFIGS[@]}" "$(jq '.results | length' <<<"$out")" "one result per path"
        assert_eq "$(printf '%s\n' "${CONFIGS[@]}")" "$(jq -r '.results[].path' <<<"$out")" "results in argument order"
        assert_eq "" "$(jq -r '.results[] | select(.verdict | IN("allow", "fix", "deny") | not) | .path' <<<"$out")" \
                "every verdict is allow, fix or deny"
        assert_eq "" "$(jq -r '.results[].findings[] | select((.rule | type) != "string" or (.action | IN("deny", "fix", "warn") | not)
                or (.pointer | type) != "string" or (.message | type) != "string") | .rule' <<<"$out")" \
                "every finding has rule, action, pointer and message"
}

test_docker_sock_is_denied_by_engine_socket() {
        assert_status 1 "lint docker-sock.json exits 1" lint --format json "$D/docker-sock.json"
        assert_eq deny "$(verdict_of "$D/docker-sock.json")" "verdict deny"
        assert_contains "$(findings_of "$D/docker-sock.json")" "engine-socket deny /mounts/" "an engine-socket denial"
        assert_eq "$(jq '.mounts | map(.destination) | index("/var/run/docker.sock")' "$D/docker-sock.json")" \
                "$(jq -r '.results[0].findings[] | select(.rule == "engine-socket") | .pointer' <<<"$out" | cut -d/ -f3)" \
                "the pointer is the docker.sock mount"
}

test_the_corpus_verdicts_under_the_foundation() {
        capture lint --format json "${CONFIGS[@]}"
        local f want
        for f in "${CONFIGS[@]}"; do
                case $(basename "$f") in
                docker-sock.json) want=deny ;;
                read-only.json | hardened.json) want=$([ "$(jq .process.noNewPrivileges "$f")" = true ] && echo allow || echo fix) ;;
                *) want=fix ;;
                esac
                assert_eq "$want" "$(verdict_of "$f")" "$(basename "$(dirname "$f")")/$(basename "$f"): verdict $want"
        done
        assert_eq "readonly-rootfs fix /root/readonly
no-new-privileges fix /process/noNewPrivileges" "$(findings_of "$D/default.json")" "default.json: the two fixes, nothing else"
        assert_eq "readonly-rootfs fix /root/readonly
no-new-privileges fix /process/noNewPrivileges" "$(findings_of "$D/privileged.json")" \
                "privileged.json: the two fixes (the foundation has no privilege rule)"
        assert_eq "no-new-privileges fix /process/noNewPrivileges" "$(findings_of "$D/read-only.json")" \
                "read-only.json: only no-new-privileges"
        assert_eq "" "$(findings_of "$D/hardened.json")" "hardened.json: no finding"
}

test_the_built_in_policy_finds_at_least_the_foundations() {
        # Whatever other rule families add, the foundation's findings stay.
        capture rh_own lint --policy "$T/builtin-policy.json" --format json "$D/default.json" "$D/docker-sock.json" "$D/privileged.json"
        assert_ne 2 "$rc" "lint with the built-in policy runs"
        assert_contains "$(findings_of "$D/default.json")" "readonly-rootfs fix /root/readonly" "default.json: readonly-rootfs fix"
        assert_contains "$(findings_of "$D/default.json")" "no-new-privileges fix /process/noNewPrivileges" \
                "default.json: no-new-privileges fix"
        assert_ne allow "$(verdict_of "$D/default.json")" "default.json is not allowed as it is"
        assert_eq deny "$(verdict_of "$D/docker-sock.json")" "docker-sock.json: deny"
        assert_contains "$(findings_of "$D/docker-sock.json")" "engine-socket deny /mounts/" "docker-sock.json: engine-socket"
        assert_contains "$(findings_of "$D/privileged.json")" "readonly-rootfs fix /root/readonly" "privileged.json: readonly-rootfs fix"
        assert_ne allow "$(verdict_of "$D/privileged.json")" "privileged.json is not allowed as it is"
}

test_exit_status_is_0_when_nothing_is_denied() {
        assert_status 0 "lint of default.json (fixes only)" lint "$D/default.json"
        assert_status 0 "lint of hardened.json" lint --format json "$D/hardened.json"
        assert_status 1 "lint of default.json and docker-sock.json" lint "$D/default.json" "$D/docker-sock.json"
}

test_exit_status_is_2_on_usage_and_io_errors() {
        assert_status 2 "an unknown flag" lint --no-such-flag "$D/default.json"
        assert_contains "$err" "usage" "usage is printed"
        assert_status 2 "an unknown format" lint --format yaml "$D/default.json"
        assert_status 2 "no path" lint
        assert_status 2 "a missing file" lint "$TD/missing.json"
        assert_contains "$err" "missing.json" "the message names the file"
        assert_status 2 "a missing file among good ones" lint --format json "$D/default.json" "$TD/missing.json"
        assert_status 2 "an invalid policy" rh_own lint --policy "$RH_TEST_DATA/invalid-action.policy.json" "$D/default.json"
        assert_status 2 "--fix with two paths" lint --fix "$D/default.json" "$D/user.json"
}

test_a_spec_that_is_not_json_is_denied_as_spec_invalid() {
        assert_status 1 "lint of a file that is not JSON" lint --format json "$RH_TEST_DATA/not-json.json"
        assert_eq deny "$(verdict_of "$RH_TEST_DATA/not-json.json")" "verdict deny"
        assert_contains "$(findings_of "$RH_TEST_DATA/not-json.json")" "spec-invalid deny" "a spec-invalid finding"
}

test_text_output_names_path_verdict_and_rules() {
        assert_status 1 "lint (text)" lint "$D/docker-sock.json"
        assert_contains "$out" "$D/docker-sock.json: deny" "the path and verdict"
        assert_contains "$out" "engine-socket: /mounts/" "the rule and pointer"
}

test_a_bundle_directory_means_its_config_json() {
        make_bundle "$TD/b"
        add_bind "$TD/b" /run /host-run
        assert_status 1 "lint of a bundle directory" lint --format json "$TD/b"
        assert_contains "$(jq -r '.results[0].findings[] | "\(.rule) \(.action)"' <<<"$out")" "engine-socket deny" \
                "the bundle's config.json was read"
}

test_sarif_output_is_sarif_2_1_0() {
        assert_status 1 "lint --format sarif" lint --format sarif "$D/default.json" "$D/docker-sock.json"
        assert_ok "the output is JSON" jq -e . <<<"$out"
        assert_eq '"2.1.0"' "$(jq .version <<<"$out")" '"version": "2.1.0"'
        assert_eq 1 "$(jq '.runs | length' <<<"$out")" "one run"
        assert_contains "$(jq -r '.runs[0].results[].ruleId' <<<"$out")" "engine-socket" "the engine-socket result"
        assert_contains "$(jq -r '.runs[0].results[] | select(.ruleId == "engine-socket") | .level' <<<"$out")" "error" \
                "a denial is an error"
}

test_fix_prints_a_spec_that_lints_clean() {
        local f
        for f in "$D/default.json" "$D/privileged.json" "$D/user.json"; do
                capture lint --fix "$f"
                assert_eq 0 "$rc" "lint --fix $(basename "$f") exits 0"
                printf '%s\n' "$out" >"$TD/fixed.json"
                assert_ok "the fixed $(basename "$f") is JSON" jq -e . "$TD/fixed.json"
                assert_eq "true true" "$(jq -r '"\(.root.readonly) \(.process.noNewPrivileges)"' "$TD/fixed.json")" \
                        "the fixed $(basename "$f"): read-only root, noNewPrivileges"
                assert_eq "$(jq -S 'del(.root.readonly, .process.noNewPrivileges) | .mounts |= map(select(.destination != "/tmp"))' "$f")" \
                        "$(jq -S 'del(.root.readonly, .process.noNewPrivileges) | .mounts |= map(select(.destination != "/tmp"))' "$TD/fixed.json")" \
                        "the fixed $(basename "$f"): nothing else changed"
                capture lint --format json "$TD/fixed.json"
                assert_eq 0 "$rc" "the fixed $(basename "$f") lints with exit 0"
                assert_eq "" "$(jq -r '.results[].findings[] | select(.rule | IN("readonly-rootfs", "no-new-privileges"))
                        | select(.action | IN("fix", "deny")) | .rule' <<<"$out")" \
                        "the fixed $(basename "$f") has no readonly-rootfs/no-new-privileges finding"
        done
        capture rh_own lint --policy "$T/builtin-policy.json" --fix "$D/default.json"
        printf '%s\n' "$out" >"$TD/fixed.json"
        capture rh_own lint --policy "$T/builtin-policy.json" --format json "$TD/fixed.json"
        # Denials may stay (not every rule can fix), but a fixed spec needs no
        # further fix: --fix is complete in one pass.
        assert_eq "" "$(jq -r '.results[].findings[] | select(.action == "fix") | "\(.rule) \(.pointer)"' <<<"$out")" \
                "with the built-in policy, the fixed default.json has no fix finding left"
        assert_eq 1 "$(jq '.results | length' <<<"$out")" "(that lint did run)"
}

test_fix_does_not_touch_the_file() {
        cp "$D/default.json" "$TD/config.json"
        local before
        before=$(sha "$TD/config.json")
        assert_ok "lint --fix" lint --fix "$TD/config.json"
        assert_eq "$before" "$(sha "$TD/config.json")" "the file linted is unchanged"
        assert_contains "$err" "readonly-rootfs" "the findings go to stderr"
}

test_lint_follows_the_policy() {
        jq '.rules["engine-socket"].action = "warn"' "$T/policy.json" >"$TD/policy.json"
        assert_status 0 "docker-sock.json with engine-socket at warn" \
                rh_own lint --policy "$TD/policy.json" --format json "$D/docker-sock.json"
        assert_contains "$(findings_of "$D/docker-sock.json")" "engine-socket warn" "an engine-socket warning"
}

run_tests
