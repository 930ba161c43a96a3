/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "error.h"

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
