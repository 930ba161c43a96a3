/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <sys/stat.h>

#include "host.h"
#include "json.h"
#include "rules.h"

/* Which host object a path in a spec names, for the rules of binds.c.
 *
 * A bind source names a host object in many ways: symlinks, "..",
 * repeated slashes, /proc/self/root, a hard link, another bind mount of a
 * parent directory, or a directory that has such a bind mounted somewhere
 * below it. A protected target is therefore compared with a bind both by
 * resolved path and by device and inode, for the target and each of its
 * ancestors (binding an ancestor exposes the target too).
 *
 * Targets come from rule parameters: absolute paths, where "*" matches
 * within one component and a final "**" component means "this directory
 * and everything below it". */

struct host_idlist {
        struct host_fileid *v;
        size_t n;
};

struct host_target {
        const char *given;       /* the parameter's item (a copy) */
        char *pattern;           /* resolved, without the final "**" */
        bool below;              /* paths below it count too */
        struct host_idlist anc;  /* existing matches and their ancestors */
        struct host_idlist base; /* existing matches */
};

/* The targets of one parameter. */
struct host_targets {
        struct host_target *v;
        size_t n;
};

/* A bind mount of the spec, as runc will make it. */
struct host_bind {
        const struct jv *m;
        const char *src; /* as written */
        char *resolved;  /* the host path runc will bind */
        bool have_st;
        struct stat st;
        struct host_idlist up;     /* the source and its ancestors */
        struct host_idlist inside; /* mounts below the source */
        bool readonly, shared;
};

bool hostpath_ids_have(const struct host_idlist *l, const struct stat *st);

/* path matches the (resolved) pattern, or, when below, lies under a match. */
bool hostpath_match(const char *pattern, bool below, const char *path);
/* dir is a strict ancestor of some path the pattern matches. */
bool hostpath_below_dir(const char *pattern, const char *dir);

/* The targets of parameter param (borrowed: kept for the life of the
 * process); with_ids also finds what the patterns name on this host, for
 * the inode comparisons (not needed to match by path). */
int hostpath_targets_get(const struct rule_ctx *ctx, const char *param, bool with_ids,
                         const struct host_targets **ret);
void hostpath_targets_done(struct host_targets *ts);

/* The spec's mounts (NULL when absent; a wrong type is reported once). */
const struct jv *hostpath_mounts(struct rule_ctx *ctx);
/* A path of the spec as runc takes it: relative ones from the bundle. */
char *hostpath_bundle_path(const struct rule_ctx *ctx, const char *src);

/* Calls fn for every bind mount of the spec; stops on a negative return.
 * on_host: also find what the source is on this host (paths, inodes and
 * mounts below it), which a look at the options alone does not need. */
int hostpath_for_each_bind(struct rule_ctx *ctx, bool on_host,
                           int (*fn)(struct rule_ctx *, const struct host_bind *, void *), void *data);
/* How many bind mounts the spec has (read from the spec alone): a rule
 * need not look at the host for a spec without any. */
size_t hostpath_count_binds(struct rule_ctx *ctx);
/* Whether the bind exposes target t inside the container. */
bool hostpath_exposes(const struct host_bind *b, const struct host_target *t);
