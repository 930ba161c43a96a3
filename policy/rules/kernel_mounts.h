/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "mountinfo.h"
#include "rules.h"

/* Host paths that reach a kernel file system, for the kernel-mounts rule
 * and any rule that judges a host path (binds, overlay directories, the
 * root file system).
 *
 * A path is on a kernel file system when statfs() says so for the path,
 * or when the mount table says so for the path once resolved (statfs()
 * cannot tell devtmpfs from tmpfs). A path whose leading directories as
 * written go through proc is proc's: a link there (/proc/self/fd/3,
 * /proc/self/root/...) names another object in runc's process than in
 * ours. */

/* The class (mount_fstype_kernel_class(), plus "devpts" for the host's
 * terminals) of the kernel file system path reaches, NULL for none, with
 * *ret_at the path or leading directory where it was found (malloc'd;
 * NULL when none). with_table: tell devtmpfs from tmpfs by the mount table
 * (hostpath_mount_table()). Returns -errno when path cannot be examined:
 * -ENOENT when it does not exist. */
int kernel_path_class(const char *path, bool with_table, const char **ret_class, char **ret_at);

/* linux.cgroupsPath, in kernel_cgroups.c. */
void kernel_check_cgroups_path(struct rule_ctx *ctx);
