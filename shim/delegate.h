/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <sys/types.h>

#include "error.h"

/* Every check below stats a path at most once per process: what a path
 * names is remembered (by the path string) from the first question on, so
 * that choosing the runtime, checking it before fixes are written and
 * checking it again at the hand-off cost one stat() each of the runtime
 * and of /proc/self/exe, not three. */

/* The runtime to hand off to. An explicit one (--harden-runtime) is
 * returned as it is: if it is runc-harden itself, the checks below fail.
 * Otherwise default_runtime, unless it resolves to this very program (by
 * device and inode, through symlinks: `runc-harden setup system` made
 * runc-harden the system's runc) and system_runtime, where setup system
 * keeps the real runc, is a regular file that is not this program: then
 * system_runtime. When neither is usable, default_runtime is returned and
 * the checks below say why. */
const char *shim_choose_runtime(const char *explicit_runtime, const char *default_runtime, const char *system_runtime);

/* Fails when runtime is this very program (same inode, through any
 * symlink): handing off to it would loop forever. */
int shim_check_not_self(const char *runtime, rh_error_t *err);

/* Fails unless runtime is an executable regular file other than this
 * program: checked before any fix is written, so that a spec is never
 * rewritten for a hand-off that cannot happen. */
int shim_check_runtime(const char *runtime, rh_error_t *err);

/* Replaces this process with the real runtime: argv[0] becomes runtime,
 * the rest is passed unchanged. Returns only on failure. */
int shim_exec_delegate(const char *runtime, char **argv, rh_error_t *err);

/* Runs the real runtime as a child instead of replacing this process:
 * argv[0] becomes runtime, the environment, the open file descriptors
 * (stdio, preserved fds, LISTEN_FDS), the signal mask and the ignored
 * signals are handed on as an exec would. Every other signal this process
 * receives until the child exits is sent on to it (a runtime that was
 * exec'ed would have received it); once it has exited they are caught
 * and dropped, as runc create does until it returns. Synchronous signals
 * (SIGSEGV, SIGABRT, ...) and ignored ones keep their disposition.
 * *ret_status: the wait status. */
int shim_spawn_delegate(const char *runtime, char **argv, int *ret_status, rh_error_t *err);
/* From now on forwarded signals go to pid (0: dropped): `run` hands them
 * to the container's init process as runc run does. */
void shim_forward_signals_to(pid_t pid);

/* Runs runtime with argv (argv[0] is replaced), stdin from /dev/null, and
 * stdout and stderr captured (a NULL return pointer: that stream is read
 * and dropped). Reads both to the end before waiting.
 * *ret_status: the wait status. */
int shim_run_capture(const char *runtime, char **argv, char **ret_out, char **ret_err, int *ret_status,
                     rh_error_t *err);

/* The exit code that reproduces a child's wait status for whoever waits for
 * this process: its exit status, or SHIM_EXIT_SIGNALED | signal, which
 * shim_raise_exit() (main's last step) turns into death by that signal. */
#define SHIM_EXIT_SIGNALED 0x100
int shim_exit_code(int status);
/* Returns code, or ends the process with the signal a SHIM_EXIT_SIGNALED
 * code names (default action, unblocked; 128 + signal if it survives). */
int shim_raise_exit(int code);
