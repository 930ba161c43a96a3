/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* Resolving a path inside a root directory (a container's root file
 * system, /proc/PID/root), as a chroot or runc's securejoin would: a
 * symlink's absolute target starts again from the root, ".." never goes
 * above it. Each component is looked at with readlinkat() relative to
 * rootfd, below directories already found not to be symlinks, so no lookup
 * leaves the root and nothing is opened. Works where openat2's
 * RESOLVE_IN_ROOT does not (kernels before 5.6, valgrind).
 *
 * path with every symlink resolved (follow: the final component's too), as
 * an absolute path inside the root; -errno (-ENOENT when a component does
 * not exist, -ELOOP after 40 links). */
int inroot_resolve(int rootfd, const char *path, bool follow, char **ret);
