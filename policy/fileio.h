/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/* Reading a whole file, in one place. */

/* Everything fd has left to read, NUL-terminated (the NUL is not counted
 * in *ret_len, which may be NULL); read in pieces to the end, so /proc
 * files whose size says 0 come whole. More than max bytes is -EFBIG (a
 * regular file larger than max is refused before reading); SIZE_MAX is no
 * limit. 0, or -errno (-EISDIR for a directory). */
int read_full_fd(int fd, size_t max, char **ret, size_t *ret_len);

/* read_full_fd() of path, opened read-only; -errno when it cannot be. */
int read_full_file(const char *path, size_t max, char **ret, size_t *ret_len);
