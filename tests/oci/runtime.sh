#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The runtime command for the OCI runtime-tools validation suite, which takes
# only a program (RUNTIME=/path) and gives it runc's command line. This adds a
# private --root and, for runc-harden, its --harden-* flags:
#   OCI_MODE      runc (the real runtime alone), dry-run or enforce
#   OCI_ROOT      runc's state directory (default /tmp/oci-validation-root)
#   OCI_DELEGATE  the real runtime (default /usr/sbin/runc)
#   RUNC_HARDEN   the runc-harden binary (default: build/runc-harden of this tree)
#   OCI_POLICY    a policy file; unset: the built-in policy, unless
#                 /etc/runc-harden/policy.json exists
#   OCI_ARGV_LOG  if set, every argv the real runtime receives is appended to
#                 this file (NUL between words, a newline after each call), so
#                 that runs in two modes can be compared word for word
# See docs/testing.md, "OCI runtime-tools validation".
set -eu

log_argv() {
        [ -n "${OCI_ARGV_LOG:-}" ] || return 0
        printf '%s\0' "$@" >>"$OCI_ARGV_LOG"
        printf '\n' >>"$OCI_ARGV_LOG"
}

# Called back by runc-harden as its delegate (OCI_ARGV_LOG only).
if [ -n "${OCI_REAL_DELEGATE:-}" ]; then
        log_argv "$@"
        exec "$OCI_REAL_DELEGATE" "$@"
fi

self=$(readlink -f "$0")
root=${OCI_ROOT:-/tmp/oci-validation-root}
delegate=${OCI_DELEGATE:-/usr/sbin/runc}
rh=${RUNC_HARDEN:-$(dirname "$self")/../../build/runc-harden}
set -- --root "$root" "$@"

case "${OCI_MODE:-dry-run}" in
runc)
        log_argv "$@"
        exec "$delegate" "$@"
        ;;
dry-run | enforce)
        if [ -n "${OCI_ARGV_LOG:-}" ]; then
                export OCI_REAL_DELEGATE="$delegate"
                delegate=$self
        fi
        exec "$rh" --harden-mode "$OCI_MODE" --harden-runtime "$delegate" \
                ${OCI_POLICY:+--harden-policy "$OCI_POLICY"} "$@"
        ;;
*)
        echo "runtime.sh: OCI_MODE must be runc, dry-run or enforce, not ${OCI_MODE}" >&2
        exit 2
        ;;
esac
