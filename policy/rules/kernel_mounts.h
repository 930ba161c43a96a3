/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "json.h"
#include "rules.h"

/* A private user namespace that maps neither host uid 0 nor host gid 0 (a
 * namespace joined by path maps what it maps: no). Then the container's
 * root is another user to files of the host's root, which cgroup files are
 * (runc 1.1.5 does not hand them over): a cgroup mount without "ro" is not
 * writable to it, and Docker leaves it so under userns-remap. Checked in
 * a container: "Permission denied". For the rule and the post-create check
 * alike. */
bool kernel_userns_guards(const struct jv *spec_root);

/* The kernel-mounts rule's judgement of linux.cgroupsPath
 * (kernel_cgroups.c), called from its check in kernel_mounts.c. */
void kernel_check_cgroups_path(struct rule_ctx *ctx);
/* Its judgement of exec --cgroup (spec->exec_cgroups; kernel_cgroups.c),
 * the one part of the rule that applies to an exec process. */
void kernel_check_exec_cgroups(struct rule_ctx *ctx);
