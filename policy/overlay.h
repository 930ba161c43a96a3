/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stddef.h>

/* overlayfs' mount data, read as the kernel reads mount(2) data
 * (fs/overlayfs/params.c, Linux 6.x):
 *   - split into options at each "," not escaped by a "\"; a "\" escapes
 *     the next character and stays in the text, and a "\" at the very end
 *     ends the last option (ovl_next_opt). Empty options and ones starting
 *     with "=" are skipped; the key is what precedes the first "=",
 *     compared exactly;
 *   - lowerdir= is split into layers at each ":" not so escaped ("::"
 *     marks data-only layers), the escapes kept; then each of its layers,
 *     and upperdir= and workdir=, is unescaped: every "\" is dropped and
 *     the next character kept, a final "\" dropped (ovl_unescape);
 *   - lowerdir+= and datadir+= are taken as they are, backslashes and all
 *     (ovl_mount_dir_noesc).
 * The same text is a spec's overlay options (runc hands every option it
 * does not know to the kernel, joined by ",") and the super options
 * mountinfo shows for a mounted overlay (the names as they were given).
 * mount(2) copies at most a page of data and cuts the rest: the caller
 * decides what to do with a longer text. */

typedef enum {
        OVERLAY_LOWER, /* lowerdir, lowerdir+, datadir+: never written */
        OVERLAY_UPPER, /* upperdir: the writes land there */
        OVERLAY_WORK,  /* workdir: the kernel's */
        _OVERLAY_ROLE_MAX,
} overlay_role_t;

struct overlay_layer {
        overlay_role_t role;
        char *path;
        size_t opt; /* the option the piece came from */
};

struct overlay_layers {
        struct overlay_layer *v;
        size_t n;
};

void overlay_layers_done(struct overlay_layers *l);
/* The layers text names; offsets[i] is where option i starts (one option
 * at 0 for mountinfo's text). -ENOMEM only. */
int overlay_layers_parse(struct overlay_layers *l, const char *text, const size_t *offsets, size_t n_opts);

/* Where a layer a mounted overlay shows relative comes from: the
 * directory two levels above its mount point. Docker's overlay2 and
 * containers/storage mount "l/ABC" from their storage directory when the
 * option string would be too long (.../overlay2/ID/merged). malloc'd. */
char *overlay_layer_home(const char *point);

/* A mounted overlay's upper and lower directories, absolute, from its
 * super options and mount point. -ENOENT without an upper directory (a
 * read-only overlay: nothing is written), -ENOMEM. */
struct overlay_dirs {
        char *upper;
        char **lower;
        size_t n_lower;
};
int overlay_dirs_parse(const char *options, const char *point, struct overlay_dirs *ret);
void overlay_dirs_done(struct overlay_dirs *o);
