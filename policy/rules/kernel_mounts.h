/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "rules.h"

/* The kernel-mounts rule's judgement of linux.cgroupsPath
 * (kernel_cgroups.c), called from its check in kernel_mounts.c. */
void kernel_check_cgroups_path(struct rule_ctx *ctx);
