/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "cli.h"
#include "spec.h"

/* The container's config.json, from the bundle the runtime's `state`
 * names (with bundle set). */
int exec_container_config(const struct runc_invocation *inv, const char *runtime, struct spec **ret, rh_error_t *err);

/* runc exec without --process: the process runc would build from the
 * container's config.json and the flags, as a process document. */
int exec_flags_process(const struct runc_invocation *inv, const struct spec *config, struct spec **ret,
                       rh_error_t *err);

/* The argv that hands runc the checked process: the same globals and exec
 * flags, with --process naming an inherited memfd instead of the flags that
 * build the process. The fd stays open across the exec on purpose, above
 * fds_end, the end of the range the runtime hands to the container
 * (checked_preserved_fds()). */
int exec_flags_handoff_argv(const struct runc_invocation *inv, const struct spec *s, int fds_end, char ***ret_argv,
                            rh_error_t *err);
