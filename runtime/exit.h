/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* The exit codes of the whole binary. The runtime path keeps runc's
 * convention, 1 on any error, which engines turn into "OCI runtime ...
 * failed"; runc-harden's own commands add 2, so that a script tells "the
 * check failed" from "nothing was checked". docs/cli.md lists them. */
typedef enum {
        EXIT_OK = 0,
        /* a checked command refused (or failed); lint, audit: a finding at
         * deny level; policy: invalid; setup: a step failed, rolled back */
        EXIT_DENIED = 1,
        /* runc-harden's own commands: a usage error, input that cannot be
         * read, a broken policy; setup system: nothing done, the manual
         * steps printed */
        EXIT_ERROR = 2,
        /* the real runtime (or a child's program) could not be run at all,
         * the shell's 127 */
        EXIT_EXEC_FAILED = 127,
} rh_exit_t;
