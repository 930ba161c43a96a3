/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "host.h"
#include "json.h"
#include "mountinfo.h"
#include "rules.h"

/* Which host objects the mounts of a spec name, for the rules of binds.c.
 *
 * A path names a host object in many ways: symlinks, "..", repeated
 * slashes, a hard link, a bind mount of the object or of a directory above
 * it made anywhere on the host (a Docker volume of type "none" is one), or
 * a directory that has such a mount somewhere below it. So a host path in a
 * spec is judged by what the kernel says it is:
 *   - resolved as the kernel walks it (host_walk());
 *   - the mount it lies on, found by mount id, and that mount's root in its
 *     file system (/proc/self/mountinfo): every other place the same file
 *     system shows that directory is another name for it (an alias);
 *   - device and inode, for the object and each directory above it;
 *   - the mounts below it, which an rbind carries into the container.
 * A protected target is compared with each of these.
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
        /* the pattern's first component when it has no wildcard: a path
         * whose first component differs can neither match nor hold it */
        const char *first;
        size_t first_len;
};

/* The targets of one parameter. */
struct host_targets {
        struct host_target *v;
        size_t n;
};

/* What in a spec names the host path. */
typedef enum {
        HOST_ROLE_BIND,       /* a bind mount's source */
        HOST_ROLE_LOWER,      /* an overlay mount's lowerdir (never written) */
        HOST_ROLE_UPPER,      /* an overlay mount's upperdir: the container's writes land there */
        HOST_ROLE_WORK,       /* an overlay mount's workdir: the kernel writes there */
        HOST_ROLE_DEVICE,     /* a block device given as a mount's source */
        HOST_ROLE_ROOT,       /* root.path */
        HOST_ROLE_ROOT_LAYER, /* a layer of the overlay mounted at root.path */
        HOST_ROLE_DEVNODE,    /* a linux.devices path: runc may bind the host's file there */
        _HOST_ROLE_MAX,
} host_role_t;

/* A mount below a bind's source: an rbind carries it into the container. */
struct host_sub {
        const struct mount_entry *mnt;
        char **names; /* its mount point, then its other names on this host */
        size_t n_names;
};

/* A host path named by the spec, as runc will reach it. */
struct host_bind {
        const struct jv *m;  /* the mount object (root: the root object) */
        const struct jv *at; /* findings point at at/key */
        const char *key;
        host_role_t role;
        const char *src; /* the path as written (for an overlay layer, unescaped) */
        char *src_owned;
        /* What it is on this host (borrowed: kept by hostmounts.c for the
         * life of the process, until the mount table changes): */
        const char *resolved; /* the host path the kernel reaches */
        bool have_st;         /* it exists; st holds its mode, owner, device, inode, rdev */
        struct stat st;
        struct host_idlist up; /* the object and the directories above it */
        /* Known only on the host that runs the spec (not in lint): */
        const struct mount_entry *mnt; /* the mount it lies on */
        char **aliases;                /* other host paths of the same object */
        size_t n_aliases;
        struct host_sub *subs; /* mounts below it an rbind carries (binds only) */
        size_t n_subs;
        int walk_err; /* the walk failed (-errno): judged by name only */
        /* An entry on the way that a user other than root can replace (or a
         * missing part such a user can create), and why; NULL when none. */
        const char *untrusted_at, *untrusted_why;
        bool spec_layer; /* a layer of an overlay the spec mounts: the kernel resolves it when runc mounts */
        /* The first layer of an overlay the host has mounted at a bind's
         * source, when its layer names cannot be trusted (overlay_trust.h). */
        const char *layers_doubt;
        /* From the options, as runc 1.1.5 parses them: */
        bool readonly;  /* the container cannot write the top */
        bool rro;       /* "rro": read-only all the way down */
        bool recursive; /* rbind: mounts below the source come along */
        bool shared;    /* shared or rshared propagation */
};

bool hostpath_ids_have(const struct host_idlist *l, const struct stat *st);

/* path matches the (resolved) pattern, or, when below, lies under a match. */
bool hostpath_match(const char *pattern, bool below, const char *path);
/* dir is a strict ancestor of some path the pattern matches. */
bool hostpath_below_dir(const char *pattern, const char *dir);
/* path matches one of the targets (by name only). */
bool hostpath_matches_any(const struct host_targets *ts, const char *path);

/* The targets of parameter param (borrowed: kept for the life of the
 * process); with_ids also finds what the patterns name on this host, for
 * the inode comparisons (not needed to match by path). */
int hostpath_targets_get(const struct rule_ctx *ctx, const char *param, bool with_ids, const struct host_targets **ret);
void hostpath_targets_done(struct host_targets *ts);

/* How a host path in a spec reaches a target. */
typedef enum {
        HOST_HIT_NONE,
        HOST_HIT_IN,       /* it is the target or lies inside it */
        HOST_HIT_CONTAINS, /* the target lies inside it */
} host_hit_kind_t;

typedef enum {
        HOST_VIA_NAME,  /* its resolved path */
        HOST_VIA_INODE, /* the same file or directory, by device and inode */
        HOST_VIA_ALIAS, /* another name of it, by its mount */
        HOST_VIA_SUB,   /* a mount below it (an rbind carries it) */
} host_via_t;

enum {
        HOST_VIA_NAME_BIT = 1 << HOST_VIA_NAME,
        HOST_VIA_INODE_BIT = 1 << HOST_VIA_INODE,
        HOST_VIA_ALIAS_BIT = 1 << HOST_VIA_ALIAS,
        HOST_VIA_SUB_BIT = 1 << HOST_VIA_SUB,
        HOST_VIA_ALL = 0xf,
};

struct host_hit {
        host_hit_kind_t kind;
        host_via_t via;
        const char *path;           /* the host path that is in the target or holds it */
        const struct host_sub *sub; /* for HOST_VIA_SUB */
};

/* Whether b exposes target t, and how (the first way found: by name, by
 * an alias, by inode, by a mount below). With
 * name_allowed the source's own path is an engine's file (an allowed
 * path): it is not compared by name, nor with what lies above it by inode;
 * its aliases, inode and the mounts below it still are. */
bool hostpath_exposes(const struct host_bind *b, const struct host_target *t, bool name_allowed, struct host_hit *ret);
/* The first target of ts that b exposes, preferring one b lies in over
 * one it holds (then a message names the path itself); NULL when none. */
const struct host_target *hostpath_first_exposed(const struct host_bind *b, const struct host_targets *ts,
                                                 bool name_allowed, struct host_hit *ret);
/* The same, looking only the ways in vias (HOST_VIA_*_BIT). */
bool hostpath_exposes_via(const struct host_bind *b, const struct host_target *t, bool name_allowed, unsigned vias,
                          struct host_hit *ret);
/* Every host path b is known by: its resolved path, its aliases and those
 * of the mounts below it; fn stops the walk with false. */
bool hostpath_all_names(const struct host_bind *b, bool (*fn)(const char *path, void *data), void *data);

/* --- the spec's mounts (hostmounts.c) ------------------------------------ */

/* Mount m's options as runc 1.1.5 parses them into b (readonly, rro,
 * recursive, shared); *ret_is_bind: whether runc binds. -EINVAL, and
 * *ret_bad the node, for options runc refuses. Reports nothing. */
int hostpath_read_options(const struct jv *m, struct host_bind *b, bool *ret_is_bind, const struct jv **ret_bad);

/* The spec's mounts (NULL when absent; a wrong type is reported once). */
const struct jv *hostpath_mounts(struct rule_ctx *ctx);
/* A path of the spec as runc takes it: a relative one joined to the bundle
 * directory and cleaned lexically (Go's filepath.Join), never taken from
 * our working directory; an absolute one as written. malloc'd. */
char *hostpath_bundle_path(const struct rule_ctx *ctx, const char *src);
/* A spec-invalid finding at at/key, once per node whichever rule reads
 * the field first. */
void hostpath_invalid_once(struct rule_ctx *ctx, const struct jv *at, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Records what root.path is (s->root_*), once: opened as runc 1.1.5 takes
 * it (joined to the bundle when relative; runc refuses a root.path with a
 * symlink anywhere, so none is followed), without following anything. */
void hostpath_root_record(struct spec *s);

/* Calls fn for every bind mount of the spec, read from the spec alone
 * (no look at the host); stops on a negative return. */
int hostpath_for_each_bind(struct rule_ctx *ctx, int (*fn)(struct rule_ctx *, const struct host_bind *, void *),
                           void *data);
/* Whether a mount of the spec names a host path (a bind, an overlay, a
 * device source): a rule need not look at the host for a spec without. */
bool hostpath_names_host_paths(struct rule_ctx *ctx);
/* How runc 1.1.5 makes the nodes of linux.devices (createDevices): with
 * mknod, or as a plain writable bind (MS_BIND) of the host's file at the
 * entry's path, taken as a host path, onto that path in the container. */
typedef enum {
        HOST_DEVICES_MKNOD, /* mknod; the bind only where mknod fails with EPERM */
        HOST_DEVICES_BIND,  /* always the bind */
} host_devices_t;
host_devices_t hostpath_devices_mode(const struct rule_ctx *ctx);
/* Whether b (a HOST_ROLE_DEVNODE) is a character or block device here. */
bool hostpath_is_device_node(const struct host_bind *b);
/* Calls fn for every linux.devices entry with a path, looked up on this
 * host (at: the entry, key "path"); also for paths that do not exist. */
int hostpath_for_each_device(struct rule_ctx *ctx, int (*fn)(struct rule_ctx *, const struct host_bind *, void *),
                             void *data);

/* Calls fn for every host path the spec's mounts name (with_root: and
 * root.path, and the layers of an overlay mounted there) and every
 * linux.devices path that exists here (runc may bind it), each looked up
 * on this host. Paths that cannot be judged (too long, inside the
 * container's own root file system, through a /proc link or a symlink
 * others can change) are reported as spec-invalid and skipped. */
int hostpath_for_each_path(struct rule_ctx *ctx, bool with_root,
                           int (*fn)(struct rule_ctx *, const struct host_bind *, void *), void *data);

/* --- what paths are on this host (hostfacts.c) ----------------------------- */

/* The mount table of this process, read when first asked for and again
 * only when it changed (then every host_facts is dropped too). */
int hostpath_mount_table(const struct mount_table **ret);

/* What a path (absolute, as runc takes it) is on this host. */
struct host_facts {
        char *path; /* the key: path, flags, watch */
        unsigned flags;
        struct host_fileid watch;
        uint64_t hash;
        int walk_err;   /* host_walk() failed: judged by name */
        char *resolved; /* host_walk()'s findings */
        bool exists;
        struct stat st;
        struct host_idlist up;
        char *racy_at, *proc_link;
        char *untrusted_at, *untrusted_why;
        bool watched;
        const struct mount_entry *mnt; /* with HOST_FACTS_MOUNTS */
        char **aliases;
        size_t n_aliases;
        struct host_sub *subs; /* with HOST_FACTS_SUBS */
        size_t n_subs;
};

enum {
        HOST_FACTS_MOUNTS = 1 << 0, /* look at the mount table */
        HOST_FACTS_SUBS = 1 << 1,   /* and collect the mounts below (an rbind) */
        HOST_FACTS_DEVICE = 1 << 2, /* a block device: where its file system is mounted */
};

/* The facts of path walked with watch (borrowed: valid until the mount
 * table changes or the cache fills). */
int hostpath_facts_get(const char *path, const struct host_fileid *watch, unsigned flags,
                       const struct host_facts **ret);

/* Whether the mounts below b's source are read-only in the container:
 * b is read-only and "rro" makes it so all the way down, or the
 * recursive-readonly rule will add "rro" (its fix finding is pending). */
bool hostpath_readonly_below(const struct rule_ctx *ctx, const struct host_bind *b);
/* The mounts below b that the container can write. */
size_t hostpath_writable_subs(const struct rule_ctx *ctx, const struct host_bind *b);
