/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <spawn.h>
#include <sys/types.h>

/* Running a child and keeping what it prints, in one place: the audit's
 * commands, setup system's dpkg, and the real runtime (delegate.c). */

/* What becomes of a child's stderr. */
typedef enum {
        CAPTURE_ERR_KEEP,    /* read into *ret_err */
        CAPTURE_ERR_INHERIT, /* ours */
        CAPTURE_ERR_NULL,    /* /dev/null */
        _CAPTURE_ERR_MAX,
} capture_err_t;

/* Starts the child with the file actions fa, which set its stdin, stdout
 * and stderr; 0 and its pid, or -errno. */
typedef int (*capture_start_t)(void *data, const posix_spawn_file_actions_t *fa, pid_t *ret_pid);

/* Runs a child that start starts, its stdin from /dev/null, its stdout
 * (and stderr, as err says) read to their end before it is waited for: a
 * child blocked on a full pipe would never exit. On success 0, *ret_out
 * and, with CAPTURE_ERR_KEEP, *ret_err (malloc'd, NUL-terminated), and
 * the wait status; -errno when no child ran or its output could not be
 * read (the child is waited for all the same). */
int capture_run(capture_start_t start, void *data, capture_err_t err, char **ret_out, char **ret_err, int *ret_status);

/* capture_run() of a program: argv[0] run as given (no PATH search), with
 * envp (NULL: this process's environment). Its exit status (128 + the
 * signal that killed it), or -errno when it could not be run. */
int capture_program(char *const *argv, char *const *envp, capture_err_t err, char **ret_out, char **ret_err);
