/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "rules.h"

/* Helpers shared by the resource families (resources.c, rlimits.c). */

/* One process.rlimits entry as runc reads it; < 0 when malformed (reported
 * as spec-invalid when report). */
int resources_read_rlimit(struct rule_ctx *ctx, const struct jv *e, bool report, const char **ret_type,
                          uint64_t *ret_soft, uint64_t *ret_hard);
/* The deepest existing node on a dotted path below root; *ret_rest is the
 * part that does not exist yet, for pointers to absent fields. */
const struct jv *resources_locate(const struct jv *root, const char *path, const char **ret_rest);
int resources_put_int(struct jdoc *d, struct jv *obj, const char *key, int64_t n);

/* The one host fact the rlimit rules depend on: the largest hard limit
 * runc can set for a resource here, UINT64_MAX when it can set any. A seam
 * (as lsm_host.h is for the LSM rules), so that tests stand in for a host
 * whatever limits and capabilities they run with. */
typedef uint64_t (*rlimit_ceiling_fn)(int resource);
uint64_t rlimit_ceiling_real(int resource);
/* For tests: fn answers instead of the host (NULL restores it); returns
 * the one it replaces. */
rlimit_ceiling_fn rlimit_ceiling_set(rlimit_ceiling_fn fn);
