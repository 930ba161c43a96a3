/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"

/* What a container wrote to its root file system, read from the upper
 * directory of the overlay its root is (Docker's, podman's and
 * containerd's overlay snapshots): every file it created, changed or
 * removed is there, and nothing else. In dry-run this is what a read-only
 * root would have refused.
 *
 * Writes are grouped by the directory a policy would keep writable for
 * them: the nearest directory of the written path that the image has (the
 * readonly-rootfs fix can only keep an image's own directories writable),
 * so that "nginx wrote /var/lib/nginx/body/0001" becomes "keep
 * /var/lib/nginx writable". */

#define WRITES_EXAMPLES 4

struct write_group {
        char *dir; /* in the container; "/" when only a volume helps */
        char *examples[WRITES_EXAMPLES];
        size_t n_examples;
        uint64_t count;   /* written paths under dir (a new directory counts once) */
        uint64_t removed; /* of which removals */
};

struct writes {
        struct write_group *groups;
        size_t n, cap;
        uint64_t entries; /* upper directory entries looked at */
        bool truncated;   /* a bound stopped the walk: there may be more */
};

struct writes_scan {
        const char *upper;        /* the overlay's upperdir */
        const char *const *lower; /* its lowerdirs, top first */
        size_t n_lower;
        const char *const *writable; /* what stays writable anyway (the fix's tmpfs dirs) */
        size_t n_writable;
        const char *const *mounts; /* mount destinations: runc makes their mount points */
        size_t n_mounts;
        /* Only what changed since then counts (an inode's ctime, which no
         * one but the kernel sets): the engine prepares the root before
         * the runtime is called (podman's /etc/mtab), and a restarted
         * container's earlier writes were seen at its earlier delete.
         * Zero: everything counts. */
        struct timespec since;
        uint64_t max_entries; /* bounds: entries looked at, */
        uint64_t max_groups;  /* directories reported, */
        uint64_t deadline_ms; /* and time spent (0: none) */
};

/* Walks o->upper. Never follows a symlink. -errno with a message only
 * when the upper directory cannot be opened; what cannot be read below it
 * is skipped. */
int writes_scan(const struct writes_scan *o, struct writes *ret, rh_error_t *err);
void writes_done(struct writes *w);
#define _cleanup_writes_ __attribute__((cleanup(writes_done)))
