/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* A mount table as the kernel shows it in /proc/PID/mountinfo
 * (proc(5)). What a mount *is* shows here and nowhere else: a bind mount
 * of /etc made on the host under /var/lib/docker/volumes/x/_data has that
 * directory as its mount point, /etc as its root within the file system,
 * and the root file system's device. Rules and the post-create check use
 * this to judge a path by what it is, not by what it is called. */

struct mount_entry {
        int id, parent;
        dev_t dev;      /* st_dev of files on this mount */
        char *root;     /* the directory of the file system mounted here */
        char *point;    /* mount point, relative to the reader's root */
        char *options;  /* per-mount options: "rw,nosuid,relatime" */
        char *optional; /* optional fields ("shared:1 master:2"), "" if none */
        char *fstype;   /* "ext4", "proc", "fuse.sshfs" */
        char *source;   /* "/dev/vda", "overlay", "none" */
        char *super;    /* super block options */
        bool readonly;  /* "ro" among the per-mount options */
        char *block;    /* the strings above live in it: one allocation */
};

struct mount_table {
        struct mount_entry *v;
        size_t n;
};

/* Parses mountinfo text (escapes of space, tab, newline and backslash
 * undone). A malformed line fails the whole table: a check that cannot
 * read the table must not judge from part of it. */
int mount_table_parse(const char *text, size_t len, struct mount_table *ret, rh_error_t *err);
/* Reads and parses path, normally "/proc/self/mountinfo" or
 * "/proc/PID/mountinfo". */
int mount_table_read(const char *path, struct mount_table *ret, rh_error_t *err);
void mount_table_done(struct mount_table *t);
#define _cleanup_mount_table_ __attribute__((cleanup(mount_table_done)))

/* The mount that path (absolute, normalised, symlinks already resolved)
 * lies on: the last-listed mount with the longest mount point that is path
 * or an ancestor of it (a later mount on the same point hides the earlier
 * ones). NULL when none, which cannot happen for a table with "/". */
const struct mount_entry *mount_table_find(const struct mount_table *t, const char *path);

/* The path within the mount's file system that path names:
 * root + (path - point). For "/var/lib/docker/volumes/v/_data/x" on a
 * mount of root "/etc" and point "/var/lib/docker/volumes/v/_data" that
 * is "/etc/x". malloc'd; NULL on allocation failure. */
char *mount_entry_fs_path(const struct mount_entry *m, const char *path);

/* Whether the comma-separated list (mount options, super block options,
 * a cgroup line's controllers) holds the len bytes of word as an item. */
bool mount_list_has(const char *list, const char *word, size_t len);
/* Whether the per-mount options hold option, as a whole word. */
bool mount_entry_has_option(const struct mount_entry *m, const char *option);
/* Propagation from the optional fields: "shared", "slave" (master:N
 * without shared), "unbindable" or "private". */
const char *mount_entry_propagation(const struct mount_entry *m);

/* Kernel file systems: they show kernel objects, not files, and each is
 * judged by what it is wherever it is mounted or bound from. Returns a
 * short class name ("proc", "sysfs", "cgroup", "debug", ...), NULL for an
 * ordinary file system. */
const char *mount_fstype_kernel_class(const char *fstype);

/* The mount with this id (statx()'s stx_mnt_id names it), NULL if none. */
const struct mount_entry *mount_table_find_id(const struct mount_table *t, int id);

/* The places this mount table shows fs_path, a path within the file
 * system of device dev (as mount_entry_fs_path() gives it): for every mount
 * of that device whose root holds fs_path, its point plus the rest. Each is
 * a malloc'd string appended to *names (*n of them), unless already there.
 * A bind of /etc on /var/lib/docker/volumes/v/_data makes /etc/x and
 * /var/lib/docker/volumes/v/_data/x names of one another. */
int mount_table_names(const struct mount_table *t, dev_t dev, const char *fs_path, char ***names, size_t *n);
