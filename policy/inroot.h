/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

/* Paths inside a root directory (an image's root file system, a fake
 * host, /proc/PID/root), in one place. */

/* Opens path inside the root at rootfd, O_PATH, with openat2()'s
 * RESOLVE_IN_ROOT and RESOLVE_NO_MAGICLINKS: symlinks, ".." and absolute
 * names stay within it, as in a chroot, so a root's content never points
 * runc-harden at a file outside it. -errno; -ENOSYS on a kernel before
 * 5.6 (or under valgrind), where there is no race-free way to open it:
 * the caller decides. */
int inroot_open(int rootfd, const char *path, int *ret_fd);
/* The same with open flags of the caller's (O_PATH, O_DIRECTORY...;
 * O_CLOEXEC always): the descriptor, or -1 with errno, as openat(). */
int inroot_openat(int rootfd, const char *path, int flags);

/* The path the kernel names fd by (readlink of /proc/self/fd/N), malloc'd;
 * NULL when it names none (a deleted file, no /proc). */
char *fd_path(int fd);

/* path (as the kernel names it) as seen from root (as the kernel names
 * it): "/" for root itself; malloc'd, NULL when path is not below root. */
char *inroot_path_below(const char *root, const char *path);

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
