/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "json.h"

/* A mount's options as runc 1.1.5 reads them (specconv.parseMountOptions):
 * in order, each spelled exactly; an option that is not one of runc's
 * flags is file-system data ("RO" is data, not read-only). What a fresh
 * (not bound) mount needs; binds are read by hostmounts.c. */
struct mount_options {
        bool bind;    /* "bind" or "rbind": runc binds, whatever "type" says */
        bool ro;      /* MS_RDONLY once every "ro" and "rw" is applied in order */
        bool remount; /* "remount": changes the flags of a mount made earlier */
};

/* Reads options (a mount's "options"; NULL when absent). Returns -EINVAL,
 * with *ret_bad the offending node, when it is not an array of strings
 * without NUL bytes (runc refuses those). */
int mount_options_read(const struct jv *options, struct mount_options *ret, const struct jv **ret_bad);
