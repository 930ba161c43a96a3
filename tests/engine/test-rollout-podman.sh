#!/bin/bash
# Rolling out through podman: the workload suite's images in dry-run, then
# `runc-harden report` names each by the image podman resolved (from
# containers/storage's containers.json) with what enforce will change,
# and what the container did was seen when podman deleted it.
source "$(dirname "$0")/workload-lib.sh"

# the suite's own enforce tests are test-workloads-podman.sh's
for wl_name in "${WL_NAMES[@]}"; do
        unset -f "test_${wl_name}_runs_and_serves_or_is_refused"
done
command -v podman >/dev/null || skip_all "podman is not installed (bash tests/engine/services.sh install)"
command -v debootstrap >/dev/null || skip_all "debootstrap is not installed (bash tests/engine/services.sh install)"
E=podman_
ENGINE_NAME=podman
PODMAN_IMAGE=1 # lib.sh's cleanup looks for podman containers
jq '.mode = "dry-run"' "$RH_POLICY" >"$RH_POLICY.new" && mv "$RH_POLICY.new" "$RH_POLICY"
# podman's runtime flag names a path; the policy and runc reach runc-harden
# through a wrapper, as in test-podman.sh.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"
podman_rt() { podman_ --runtime "$WRAPPER" "$@"; }
E=podman_rt

test_a_dry_run_through_podman_then_the_report_names_each_image() {
        local name image id saw w
        for name in shell nginx redis; do
                image=$(wl_image "$name") || {
                        fail "$name: the image is built and imported"
                        continue
                }
                # podman asks for more open files and processes than runc
                # can set where it lacks CAP_SYS_RESOURCE (as here): in
                # enforce the rlimit fixes lower them, dry-run changes nothing
                capture "$E" run -d --label "rh-engine-test=$ENGINE_TAG" --ulimit nofile=1024:4096 \
                        --ulimit nproc=4096:4096 "$image"
                id=$out
                [ "$rc" -eq 0 ] || fail "$name: dry-run starts it" "$err"
                if saw=$(probe "$name" "$id"); then
                        pass "$name: runs in dry-run ($saw)"
                else
                        fail "$name: runs in dry-run" "$("$E" logs "$id" 2>&1 | tail -5)"
                fi
                "$E" stop -t 5 "$id" >/dev/null 2>&1 || true
                "$E" rm -f "$id" >/dev/null 2>&1 || true
                capture "$RUNC_HARDEN" report --policy "$RH_POLICY" --format json
                w=$(jq -c --arg r "$image" '.workloads[] | select(.workload == $r)' <<<"$out")
                assert_ne "" "$w" "$name: the report names podman's image ($image)"
                assert_eq podman "$(jq -r .identity.engine <<<"$w")" "$name: as podman's"
                assert_eq change "$(jq -r .enforce <<<"$w")" "$name: enforce would start it with changes"
                assert_eq 1 "$(jq .observed.containers <<<"$w")" "$name: what it did was seen when podman deleted it"
                echo "# table: podman | $name | dry-run says enforce would $(jq -r .enforce <<<"$w") it" \
                        "| would fix: $(jq -r '[.rules[] | select(.counts["would-fix"]) | .rule] | join(", ")' <<<"$w")"
        done
}

run_tests
