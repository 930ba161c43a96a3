/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
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

/* Whether this process runs in the initial user namespace: its uid_map
 * maps every id onto itself, in one line (runc's RunningInUserNS() is the
 * opposite test, and runc runs where runc-harden runs). */
bool host_initial_userns(void);

/* A file's identity. */
struct host_fileid {
        dev_t dev;
        ino_t ino;
};

/* Lexically normalised absolute path: no empty, "." or ".." components.
 * A relative path is taken from "/". malloc'd. This is also Go's
 * filepath.Clean of an absolute path, which is how runc joins a relative
 * bind source to the bundle directory. */
char *path_normalize(const char *path);

/* 0, or -ENAMETOOLONG when the kernel would refuse the path before looking
 * at it: PATH_MAX bytes or more, or a component longer than NAME_MAX. */
int path_check_length(const char *path);

/* What a walk of a host path found. The walk is the kernel's: symlinks are
 * followed (at most 40), ".." goes to the physical parent. From the first
 * component that does not exist (or is not a directory where one is
 * needed) the rest is taken by name: nothing there can be a symlink yet. */
struct host_walk {
        char *path;       /* the resolved absolute path */
        bool exists;      /* every component exists */
        size_t exist_len; /* the part of path that exists ("/" at least) */
        /* The last object that exists on the way (the final one when
         * exists): st_mode, st_uid, st_gid, st_dev, st_ino, st_rdev set. */
        struct stat st;
        /* That object and every directory above it, up to "/". */
        struct host_fileid *chain;
        size_t n_chain;
        bool followed_link; /* a symlink was followed */
        /* A symlink was followed, and some entry on the way (the link, a
         * directory above it, or one reached through it) can be replaced by
         * a user other than root: what the path names can change between
         * runc-harden's look and runc's. racy_at is that entry. */
        char *racy_at;
        /* Whatever a link: the first entry on the way a user other than
         * root can replace (or, when the path does not exist, the last
         * directory that does, when such a user can create entries in it),
         * and a sentence saying why. The object the path names can change
         * after this look: a directory swapped for a symlink. */
        char *untrusted_at, *untrusted_why;
        /* A symlink inside a proc file system was followed: what it names
         * depends on the process that resolves it (runc's, not ours). */
        char *proc_link;
        bool watched; /* the walk went through the object given as watch */
};

/* Walks path, which must be absolute. Linear in the length of the path
 * and of the symlink targets followed, one system call for each component
 * not seen before in this process. -ENAMETOOLONG (path_check_length) before
 * anything else; -ELOOP, -EACCES, ... when a component cannot be looked at.
 * watch, when not NULL, sets ret->watched. */
int host_walk(const char *path, const struct host_fileid *watch, struct host_walk *ret);
void host_walk_done(struct host_walk *w);

/* The path the kernel will reach: host_walk()'s path; a relative path is
 * taken from the working directory. When the path cannot be walked (no
 * permission, a loop, too long) it is normalised by name. malloc'd. */
char *path_resolve(const char *path);
/* stat() of a host path (following symlinks), from the facts host_walk()
 * keeps: st_mode, st_uid, st_gid, st_dev, st_ino and st_rdev are set. */
int host_stat(const char *path, struct stat *ret);

/* Forgets what host_walk() learnt: call when the mount table changed. */
void host_facts_forget(void);

/* path is dir or lies below it (both normalised). */
bool path_is_under(const char *path, const char *dir);

/* open() that follows no /proc magic link (a process's cwd, root, exe,
 * fd/N): through those, the same name reaches different files from
 * runc-harden and from the runtime it runs. A fd, or -errno: -ELOOP when
 * such a link is in the way, -ENOSYS without openat2(). */
int host_open_no_magiclinks(const char *path, int flags);

/* Go 1.19's os.Getwd(), which filepath.Abs() joins relative paths to:
 * $PWD when it is absolute and is the working directory, else getcwd().
 * The two differ when $PWD goes through a symlink, and so does a ".." of
 * the joined path. malloc'd, NULL on failure (errno set). */
char *go_getwd(void);

/* Go's filepath.Abs(): relative paths joined to go_getwd(), then cleaned
 * by name. malloc'd, NULL on failure. */
char *go_abs(const char *path);
