/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <sys/stat.h>

/* Paths below a root directory that stands for a host: "/" for this one,
 * or a copy of another's file system (a fake host in tests, setup system's
 * --root, the audit's --root-dir). */

/* root + path ("/", "" or NULL root gives path); malloc'd, NULL on
 * allocation failure. */
char *root_path(const char *root, const char *path);

/* path resolved inside root as the kernel would inside a chroot of it
 * (inroot.c): every symlink, absolute ones too, stays below root. Its
 * stat() and, when /proc can say, the path reached as seen from root
 * (malloc'd, else NULL). -errno. */
int root_resolve(const char *root, const char *path, struct stat *ret_st, char **ret_shown);
