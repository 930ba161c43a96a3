#!/bin/bash
# The workload suite through podman, runc-harden its runtime
# (workload-lib.sh), with podman's own defaults: no --ulimit or other flags.
source "$(dirname "$0")/workload-lib.sh"

command -v podman >/dev/null || skip_all "podman is not installed (bash tests/engine/services.sh install)"
command -v debootstrap >/dev/null || skip_all "debootstrap is not installed (bash tests/engine/services.sh install)"
E=podman_
ENGINE_NAME=podman
PODMAN_IMAGE=1 # lib.sh's cleanup looks for podman containers
# podman's runtime flag names a path; the policy and runc reach runc-harden
# through a wrapper, as in test-podman.sh.
WRAPPER=$T/runc-harden-wrapper
printf '#!/bin/sh\nexec %q %s "$@"\n' "$RUNC_HARDEN" "$(printf '%q ' "${RUNTIME_ARGS[@]}")" >"$WRAPPER"
chmod +x "$WRAPPER"
podman_rt() { podman_ --runtime "$WRAPPER" "$@"; }
E=podman_rt

run_tests
