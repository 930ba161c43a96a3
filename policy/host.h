/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

/* Facts about the host that rules compare a spec with. Namespaces and
 * files are compared by device and inode, never by their names: a path can
 * name the same object many ways. */

/* The /proc/<pid>/ns entry name for an OCI namespace type, NULL if the
 * type is unknown to runc. */
const char *host_ns_proc_name(const char *oci_type);

/* Whether st (of a namespace file) is the namespace of the host: that of
 * pid 1 or of runc-harden itself, which engines start in the host's. */
bool host_ns_is_host(const char *proc_name, const struct stat *st);

/* Lexically normalised absolute path: no empty, "." or ".." components.
 * A relative path is taken from "/". malloc'd. */
char *path_normalize(const char *path);
/* The path the kernel will reach: symlinks resolved in the longest prefix
 * that exists, the rest normalised. malloc'd. */
char *path_resolve(const char *path);
/* stat() of a host path, remembered for the life of the process like
 * path_resolve(): rules look at the same system directories many times. */
int host_stat(const char *path, struct stat *ret);

/* path is dir or lies below it (both normalised). */
bool path_is_under(const char *path, const char *dir);
