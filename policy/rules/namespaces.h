/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "json.h"

/* The first range of linux.uidMappings or linux.gidMappings (which) that
 * maps host id 0 into a new user namespace, or NULL. Whoever holds that id
 * in the container (root can setuid() to it) is the host's root to the
 * kernel, for every file owned by it: such a namespace is in effect the
 * host's user namespace. */
const struct jv *userns_host_zero_range(const struct jv *linux_obj, const char *which);
