/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "json.h"

/* A mount's options as runc 1.1.5 reads them (specconv.parseMountOptions):
 * in order, each spelled exactly; an option that is not one of runc's
 * flags is file-system data ("RO" is data, not read-only). */
struct mount_options {
        bool bind;     /* "bind" or "rbind": runc binds, whatever "type" says */
        bool rec;      /* "rbind": the source's submounts come along */
        bool ro;       /* MS_RDONLY once every "ro" and "rw" is applied in order */
        bool remount;  /* "remount": changes the flags of a mount made earlier */
        bool rro, rrw; /* recursive read-only and read-write (mount_setattr);
                        * runc 1.1.5 applies them to binds only */
        bool shared;   /* "shared" or "rshared" propagation */
        /* "bind" or "rbind" in another letter case: file-system data to
         * runc, but a runtime that folds case would bind. */
        bool bind_other_case;
};

/* Reads options (a mount's "options"; NULL when absent). Returns -EINVAL,
 * with *ret_bad the offending node, when it is not an array of strings
 * without NUL bytes (runc refuses those). */
int mount_options_read(const struct jv *options, struct mount_options *ret, const struct jv **ret_bad);

/* Read-only as the kernel will leave the top of a bind: runc remounts it
 * with MS_RDONLY, then applies rro/rrw; with both rro and rrw mount_setattr
 * fails, and the mount is not counted as read-only. */
static inline bool mount_options_bind_readonly(const struct mount_options *o)
{
        return !o->rrw && (o->ro || o->rro);
}
