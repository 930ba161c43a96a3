/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "spec.h"

/* Which directories of a container's image the readonly-rootfs fix keeps
 * writable, and how: a tmpfs that starts with a copy of the directory
 * (runc's and crun's "tmpcopyup"), with the directory's mode and owner.
 * Only directories the image has are mounted (runc cannot create a
 * mountpoint in a root it does not own, as with a user namespace), each
 * once however many symlinks lead to it (/var/run -> /run), and none that
 * lies on another mount or has one already. The image is looked at inside
 * its root only (openat2 RESOLVE_IN_ROOT): its symlinks never reach the
 * host. */

struct writable_dir {
        char *path;  /* in the container, symlinks resolved */
        mode_t mode; /* the image's directory's permission bits */
        int64_t uid; /* its owner as the container sees it; -1 unknown */
        int64_t gid;
        bool copy;      /* it holds something, which is copied */
        uint64_t bytes; /* the space that takes in a tmpfs */
        size_t before;  /* the index in mounts before which it goes (so
                         * that the mounts below it land on it), or the
                         * number of mounts */
};

struct writable_plan {
        struct writable_dir *dirs;
        size_t n;
        /* The root file system could not be opened (lint, away from the
         * image): nothing is planned. */
        bool no_image;
        /* Why the directories cannot be kept writable (malloc'd), or NULL. */
        char *problem;
};

void writable_plan_done(struct writable_plan *p);
#define _cleanup_writable_plan_ __attribute__((cleanup(writable_plan_done)))

/* Plans the directories of the string lists volatile and extra (in that
 * order) for spec s. -ENOMEM only; what cannot be done is p->problem. */
int writable_plan_make(const struct spec *s, const struct jv *volatile_dirs, const struct jv *extra,
                       struct writable_plan *p);

/* A short list of the planned paths, "/run, /tmp" (malloc'd). */
char *writable_plan_paths(const struct writable_plan *p);
