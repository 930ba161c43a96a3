/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

#include "cli.h"
#include "error.h"

/* "runc update" without --resources builds its resources from flags.
 * This builds the same document, as runc 1.1.5's update.go does (every
 * field starts at 0, "leave unchanged"; the last of a repeated flag wins;
 * memory sizes go through go-units' RAMInBytes, with "-1" for unlimited),
 * so that it is judged like a --resources document.
 *
 * runc refuses the whole command when any value does not parse, before it
 * changes anything. A value that does not parse in a flag that carries a
 * limit the policy judges (memory, memory-swap, cpu-quota, cpu-share,
 * cpu-rt-period, cpu-rt-runtime, pids-limit) is an error here (-EINVAL,
 * the caller denies it as spec-invalid) rather than trusting that runc
 * reads it the same way; in the other flags it is left at 0 and runc is
 * left to refuse it. The cpuset strings are left out: no rule judges them.
 * Returns the JSON text (malloc'd). */
int update_flags_resources(const struct runc_kv *flags, int n_flags, char **ret_json, size_t *ret_len, rh_error_t *err);
