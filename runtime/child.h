/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* Running a program and keeping what it prints, in one place. */

struct spawn {
        char *const *argv;  /* argv[0] is run as given: no shell, no PATH search */
        char *const *envp;  /* NULL: this process's environment */
        bool stderr_quiet;  /* without ret_err: stderr to /dev/null, not ours */
};

/* Runs sp->argv with stdin from /dev/null; its stdout into *ret_out and,
 * when ret_err is not NULL, its stderr into *ret_err (both malloc'd,
 * NUL-terminated, set only on success). Both pipes are read to the end
 * before waiting: a child blocked on a full pipe would never exit. Returns
 * the exit status (128 + the signal when one killed it; 127 when the
 * program could not be executed), or -errno when no child ran. */
int spawn_capture(const struct spawn *sp, char **ret_out, char **ret_err);
