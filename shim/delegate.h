/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

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
