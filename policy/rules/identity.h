/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"
#include "spec.h"

/* Who the process of a spec is once runc 1.1 has made it, beyond its uid
 * and gid: the supplementary groups runc resolves from additionalGids,
 * and the capabilities a process that is not root keeps across execve.
 * For root-user. */

/* runc 1.1's user.GetAdditionalGroups over the text of a group file (NULL:
 * runc could not open one): each id of ags, which runc hands over as a
 * decimal string, is matched against group NAMES as well as gids, the
 * first group in file order whose gid is not taken yet wins, and an id
 * that matches no group is taken as a number. The gids go to setgroups(2)
 * as 32-bit values, which is what ret_gids holds (one per ag; a repeated
 * gid is given once, the later ag's slot repeating it). -ERANGE when runc
 * refuses the list (an unmatched id above 2^31-1). */
int identity_runc_groups(const char *text, size_t len, const uint32_t *ags, size_t n, uint32_t *ret_gids);

struct group_judgement {
        ssize_t root_at; /* index into ags of one that gives group root, or -1 */
        char *file;      /* the file runc will read, for messages (malloc'd), or NULL */
        char *unknown;   /* why what runc will read cannot be told (malloc'd), or NULL */
};

void group_judgement_done(struct group_judgement *g);
#define _cleanup_group_judgement_ __attribute__((cleanup(group_judgement_done)))

/* Judges ags against the group file runc will read for a process of the
 * container config: the image's /etc/group, read inside the root file
 * system only (openat2 RESOLVE_IN_ROOT, at most a megabyte), unless the
 * spec's mounts decide it: a bind of a file where /etc/group leads is that
 * file; any other mount at or above a path on the way (each directory and
 * symbolic link the image's links lead through) cannot be judged here. A root file
 * system that is not there says nothing (runc refuses the spec, or lint
 * runs away from the host); config NULL (an exec process whose container
 * is not known) cannot be judged. -ENOMEM only. */
int identity_judge_groups(const struct spec *config, bool offline, const uint32_t *ags, size_t n,
                          struct group_judgement *ret);

/* The capability numbers (CAP_SETUID, ...) a process that is not root may
 * hold after runc execs its program, from the sets of process.capabilities
 * as masks: the ambient set, which execve keeps, and what file capabilities
 * of a program in the image can raise within the permitted set, which
 * no_new_privs leaves possible (permitted & (inheritable | bounding)).
 * Without no_new_privs setuid programs reach the whole bounding set; that
 * is no-new-privileges' finding. */
uint64_t identity_caps_kept(uint64_t ambient, uint64_t permitted, uint64_t inheritable, uint64_t bounding);
