/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>

#include "mountinfo.h"

/* Whether the layers mountinfo names for an overlay the host has mounted
 * are the directories the kernel stacked. mountinfo shows the layer
 * paths as they were given, names resolved once when the overlay was
 * mounted: a bind on the way that has since been detached, or a symlink
 * flipped back, leaves the same string naming another directory. So the
 * names are trusted only when
 *   - each is absolute, reaches a directory without a symlink, and lies
 *     outside an engine's volume data (containers are root there and can
 *     plant or flip what the name reaches),
 *   - all lie on one file system (then overlayfs reports its root with
 *     the inode number of its top layer, the upper directory or the first
 *     lower one, and numbers do not collide within one file system),
 *   - the top layer's inode number is the overlay root's, read at the
 *     mount point through the mount itself.
 * 0 when they can be trusted; 1 with ret_why (malloc'd, ending without a
 * period, naming the layer) when they cannot; -ENOMEM. */
int overlay_mount_doubt(const struct mount_entry *e, char **ret_why);

/* path lies in an engine's volume data (/var/lib/docker/volumes/X/_data,
 * podman's and rootless podman's likewise). */
bool overlay_in_volume_data(const char *path);
