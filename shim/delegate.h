/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "error.h"

/* Fails when runtime is this very program (same inode, through any
 * symlink): handing off to it would loop forever. */
int shim_check_not_self(const char *runtime, rh_error_t *err);

/* Replaces this process with the real runtime: argv[0] becomes runtime,
 * the rest is passed unchanged. Returns only on failure. */
int shim_exec_delegate(const char *runtime, char **argv, rh_error_t *err);
