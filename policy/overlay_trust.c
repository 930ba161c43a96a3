/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "overlay_trust.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host.h"
#include "overlay.h"
#include "util.h"

/* Where engines keep named volumes' data: a container that mounts the
 * volume is root in there (Docker and podman create _data as root), so
 * it can turn any name below into a symlink or a directory of its own. */
static const char *const volume_data[] = {
        "/var/lib/docker/volumes/*/_data",
        "/var/lib/containers/storage/volumes/*/_data",
        "/home/*/.local/share/containers/storage/volumes/*/_data",
};

bool overlay_in_volume_data(const char *path)
{
        _cleanup_free_ char *p = path_normalize(path);

        if (!p)
                return true; /* cannot be told: taken as the worst */
        for (size_t k = 0; k < sizeof(volume_data) / sizeof(volume_data[0]); k++) {
                /* each leading part of p, at a "/" or its end */
                for (char *s = p + 1;; s++) {
                        if (*s != '/' && *s != '\0')
                                continue;
                        char c = *s;
                        *s = '\0';
                        bool hit = fnmatch(volume_data[k], p, FNM_PATHNAME) == 0;
                        *s = c;
                        if (hit)
                                return true;
                        if (c == '\0')
                                break;
                }
        }
        return false;
}

static int open_no_symlinks(const char *path)
{
        struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                               .resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
        return (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
}

/* One layer: 0 with its stat, 1 with a reason. */
static int layer_look(const struct overlay_layer *l, struct stat *ret_st, char **ret_why)
{
        const char *what = l->role == OVERLAY_UPPER ? "upperdir" : l->role == OVERLAY_WORK ? "workdir" : "lowerdir";
        _cleanup_close_ int fd = -1;
        int r;

        if (l->path[0] != '/')
                r = asprintf(ret_why, "its %s %s is relative: which directory it was cannot be told", what, l->path);
        else if (overlay_in_volume_data(l->path))
                r = asprintf(ret_why,
                             "its %s %s lies in an engine's volume data, where containers are root and can make "
                             "the name reach another directory than the one stacked",
                             what, l->path);
        else if ((fd = open_no_symlinks(l->path)) < 0 || fstat(fd, ret_st) < 0)
                r = asprintf(ret_why,
                             errno == ELOOP ? "its %s %s goes through a symlink, which may have named another "
                                              "directory when the overlay was mounted"
                                            : "its %s %s no longer reaches a directory without a symlink (%m)",
                             what, l->path);
        else
                return 0;
        return r < 0 ? -ENOMEM : 1;
}

int overlay_mount_doubt(const struct mount_entry *e, char **ret_why)
{
        _cleanup_(overlay_layers_done) struct overlay_layers l = {0};
        size_t offsets[1] = {0};
        struct stat top = {0}, st;
        bool have_top = false, have_upper = false;
        dev_t dev = 0;
        struct statx stx;
        int r;

        *ret_why = NULL;
        if (overlay_layers_parse(&l, e->super, offsets, 1) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < l.n; i++)
                have_upper |= l.v[i].role == OVERLAY_UPPER;
        for (size_t i = 0; i < l.n; i++) {
                if ((r = layer_look(&l.v[i], &st, ret_why)) != 0)
                        return r;
                if (i > 0 && st.st_dev != dev)
                        return asprintf(ret_why,
                                        "its layers lie on more than one file system, where overlayfs does not "
                                        "show which directories it stacked") < 0
                                       ? -ENOMEM
                                       : 1;
                dev = st.st_dev;
                /* the upper directory, or without one the first lower */
                if (!have_top && (have_upper ? l.v[i].role == OVERLAY_UPPER : l.v[i].role == OVERLAY_LOWER)) {
                        top = st;
                        have_top = true;
                }
        }
        if (!have_top)
                return asprintf(ret_why, "it shows no layers") < 0 ? -ENOMEM : 1;
        /* the root as the overlay itself reports it, not something mounted over it */
        if (statx(AT_FDCWD, e->point, AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_MNT_ID, &stx) < 0 ||
            !(stx.stx_mask & STATX_MNT_ID) || stx.stx_mnt_id != (uint64_t)e->id)
                return asprintf(ret_why, "its root cannot be looked at through the mount itself") < 0 ? -ENOMEM : 1;
        if (stx.stx_ino != (uint64_t)top.st_ino)
                return asprintf(ret_why,
                                "its %s names a directory that is not the one the overlay stacked (inode %llu, the "
                                "overlay's root reports %llu): a mount on the way has changed since",
                                have_upper ? "upperdir" : "first lowerdir", (unsigned long long)top.st_ino,
                                (unsigned long long)stx.stx_ino) < 0
                               ? -ENOMEM
                               : 1;
        return 0;
}
