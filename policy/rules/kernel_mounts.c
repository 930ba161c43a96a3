/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "host.h"
#include "hostpath.h"
#include "kernel_mounts.h"
#include "mount_options.h"
#include "namespaces.h"
#include "rules.h"
#include "util.h"

/* Kernel file systems in the container. A fresh proc, sysfs or cgroup
 * mount shows kernel state that only runc's masked and read-only paths
 * keep in check, and those apply at /proc and /sys alone (and to cgroup
 * mounts only through "ro"). The other kernel file systems (debugfs,
 * tracefs, bpf, efivarfs, ...) are the host's whatever their source. A
 * bind of a path on any of them is the host's own instance: its
 * processes, devices, terminals or cgroups, whatever the path is called
 * (a Docker volume made with type=proc is a bind of one). */

/* Not in <linux/magic.h> of every kernel's headers. */
#define RH_CONFIGFS_MAGIC 0x62656570UL
#define RH_FUSECTL_MAGIC 0x65735543UL
#define RH_RPC_PIPEFS_MAGIC 0x67596969UL

static const struct {
        unsigned long magic;
        const char *fstype;
} kernel_magics[] = {
        {PROC_SUPER_MAGIC, "proc"},          {SYSFS_MAGIC, "sysfs"},
        {CGROUP_SUPER_MAGIC, "cgroup"},      {CGROUP2_SUPER_MAGIC, "cgroup2"},
        {DEBUGFS_MAGIC, "debugfs"},          {TRACEFS_MAGIC, "tracefs"},
        {SECURITYFS_MAGIC, "securityfs"},    {BPF_FS_MAGIC, "bpf"},
        {RH_CONFIGFS_MAGIC, "configfs"},     {EFIVARFS_MAGIC, "efivarfs"},
        {PSTOREFS_MAGIC, "pstore"},          {RH_FUSECTL_MAGIC, "fusectl"},
        {BINFMTFS_MAGIC, "binfmt_misc"},     {NSFS_MAGIC, "nsfs"},
        {SELINUX_MAGIC, "selinuxfs"},        {SMACK_MAGIC, "smackfs"},
        {RH_RPC_PIPEFS_MAGIC, "rpc_pipefs"}, {DEVPTS_SUPER_MAGIC, "devpts"},
};

/* What each class shows, for messages. */
static const char *const class_shows[][2] = {
        {"proc", "processes and kernel settings"},
        {"sysfs", "devices, firmware and kernel settings"},
        {"cgroup", "resource limits of every process"},
        {"debugfs", "kernel internals"},
        {"tracefs", "kernel tracing"},
        {"securityfs", "LSM and integrity policy"},
        {"bpf", "BPF programs and maps"},
        {"configfs", "kernel object configuration"},
        {"efivarfs", "firmware variables"},
        {"pstore", "kernel crash records"},
        {"fusectl", "FUSE connections"},
        {"binfmt_misc", "interpreters the kernel runs on exec"},
        {"devtmpfs", "device nodes"},
        {"nsfs", "namespaces"},
        {"selinuxfs", "SELinux policy"},
        {"smackfs", "Smack policy"},
        {"rpc_pipefs", "RPC pipes"},
        {"devpts", "terminals"},
};

static const char *shows(const char *class)
{
        for (size_t i = 0; i < ARRAY_SIZE(class_shows); i++)
                if (STREQ(class_shows[i][0], class))
                        return class_shows[i][1];
        return "kernel state";
}

/* A kernel class for a bind's source: the host's devpts (its terminals)
 * counts too, while a fresh devpts is the container's own instance. */
static const char *bind_class(const char *fstype)
{
        if (fstype && STREQ(fstype, "devpts"))
                return "devpts";
        return mount_fstype_kernel_class(fstype);
}

static const char *magic_class(const struct statfs *sf)
{
        unsigned long t = (unsigned long)sf->f_type & 0xffffffffUL;
        for (size_t i = 0; i < ARRAY_SIZE(kernel_magics); i++)
                if (kernel_magics[i].magic == t)
                        return bind_class(kernel_magics[i].fstype);
        return NULL;
}

/* --- what a host path is ---------------------------------------------- */

static int found(const char *class, const char *at, const char **ret_class, char **ret_at)
{
        *ret_class = class;
        return (*ret_at = strdup(at)) ? 0 : -ENOMEM;
}

int kernel_path_class(const char *path, bool with_table, const char **ret_class, char **ret_at)
{
        const struct mount_table *t;
        _cleanup_free_ char *norm = path_normalize(path), *resolved = path_resolve(path);
        struct statfs sf, whole;
        const char *c;

        *ret_class = NULL;
        *ret_at = NULL;
        if (!norm || !resolved)
                return -ENOMEM;
        /* With a symlink on the way, the leading directories as written,
         * from the top: a path through proc is proc's, for its links lead
         * elsewhere in runc's process ("/proc/self/fd/3": not what our fd
         * 3 is, or that we have none). path_resolve() is remembered, so
         * the common case (no symlink) costs one statfs(). */
        for (char *p = norm + 1; !STREQ(norm, resolved);) {
                char *slash = strchr(p, '/');
                if (slash)
                        *slash = '\0';
                bool in_proc = statfs(norm, &sf) == 0 && (unsigned long)sf.f_type == PROC_SUPER_MAGIC;
                if (in_proc)
                        return found("proc", norm, ret_class, ret_at);
                if (!slash)
                        break;
                *slash = '/';
                p = slash + 1;
        }
        if (statfs(path, &whole) < 0)
                return -errno;
        if ((c = magic_class(&whole)))
                return found(c, path, ret_class, ret_at);
        /* devtmpfs is a tmpfs to statfs() */
        if (!with_table || (unsigned long)whole.f_type != TMPFS_MAGIC || hostpath_mount_table(&t) < 0)
                return 0;
        /* the mount by the id the kernel gives (exact under stacked
         * mounts), else by the longest mount point */
        struct statx stx;
        const struct mount_entry *m = NULL;
        if (statx(AT_FDCWD, path, 0, STATX_MNT_ID, &stx) == 0 && (stx.stx_mask & STATX_MNT_ID))
                m = mount_table_find_id(t, (int)stx.stx_mnt_id);
        if (!m)
                m = mount_table_find(t, resolved);
        if (m && (c = bind_class(m->fstype)))
                return found(c, m->point, ret_class, ret_at);
        return 0;
}

/* --- the check --------------------------------------------------------- */

struct kmounts {
        struct rule_ctx *ctx;
        char *rootfs;     /* root.path as runc takes it, NULL when unknown */
        bool userns_safe; /* see userns_guards() */
};

/* A private user namespace that maps neither host uid 0 nor host gid 0:
 * to the container's root, files of the host's root are another user's.
 * cgroup files are (runc 1.1.5 does not hand them over), so a cgroup mount
 * without "ro" stays unwritable, as Docker leaves it under userns-remap. A
 * namespace joined by path maps what it maps: no guard is assumed. */
static bool userns_guards(const struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *ns = jv_get(l, "namespaces");
        bool user = false;
        const char *t, *path;

        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++) {
                const struct jv *e = ns->u.arr.v[i];
                if (!jv_cstr(jv_get(e, "type"), &t) || !STREQ(t, "user"))
                        continue;
                if (jv_cstr(jv_get(e, "path"), &path) && *path)
                        return false;
                user = true;
        }
        return user && !userns_host_zero_range(l, "uidMappings") && !userns_host_zero_range(l, "gidMappings");
}

/* Where runc mounts: the destination cleaned and taken from the rootfs,
 * with the rootfs path taken off when written under it (WithProcfd's
 * stripRoot). Symlinks in the image are not followed: proc and sysfs,
 * the only types allowed at one path alone, are judged by the path as
 * written, and runc refuses both when its last component is a symlink. */
static char *container_dest(const struct kmounts *k, const char *dest)
{
        char *n = path_normalize(dest);
        if (!n || !k->rootfs || STREQ(k->rootfs, "/") || !path_is_under(n, k->rootfs))
                return n;
        char *out = strdup(n[strlen(k->rootfs)] ? n + strlen(k->rootfs) : "/");
        free(n);
        return out;
}

static char *ascii_lower(const char *s)
{
        char *l = strdup(s);
        for (char *p = l; p && *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                        *p = (char)(*p - 'A' + 'a');
        return l;
}

/* A fresh mount of type (runc mounts the type as written; the kernel
 * knows its file systems by exact name, so another case only fails). */
static void check_fresh(struct kmounts *k, const struct jv *m, const char *type, const char *where,
                        const struct mount_options *o)
{
        struct rule_ctx *ctx = k->ctx;
        _cleanup_free_ char *lower = ascii_lower(type);
        const char *class = mount_fstype_kernel_class(lower);

        if (!rule_param_strings_contains(ctx, "filesystems", type)) {
                if (class)
                        rule_report(ctx, m, "type",
                                    "mounts %s at %s: a kernel file system that shows the host's %s whatever its "
                                    "source; remove this mount",
                                    type, where, shows(class));
                else
                        rule_report(ctx, m, "type",
                                    "mounts a file system of type %s at %s, which is not in "
                                    "kernel-mounts.filesystems: a fresh mount of it can reach the host's disks or "
                                    "kernel; remove it, or add the type to the list",
                                    type, where);
                return;
        }
        if (!class)
                return;
        if (STREQ(class, "proc") && !STREQ(where, "/proc"))
                rule_report(ctx, m, "destination",
                            "mounts a second proc at %s: runc masks and makes read-only only what lies under "
                            "/proc, so there the container could write host kernel settings such as "
                            "sys/kernel/core_pattern and read keys and kcore; mount proc only at /proc",
                            where);
        else if (STREQ(class, "sysfs") && !STREQ(where, "/sys"))
                rule_report(ctx, m, "destination",
                            "mounts sysfs at %s: runc masks /sys/firmware and the like only under /sys; mount "
                            "sysfs only at /sys, read-only",
                            where);
        else if (STREQ(class, "sysfs") && !o->ro)
                rule_report(ctx, m, "options",
                            "mounts sysfs at /sys read-write: the container could change device and kernel "
                            "settings of the host; add \"ro\" (runc 1.1.5 ignores \"rro\" for sysfs)");
        else if (STREQ(class, "cgroup") && !o->ro && !k->userns_safe)
                rule_report(ctx, m, "options",
                            "mounts %s at %s read-write: the container could raise its own memory, CPU and pids "
                            "limits; add \"ro\" (runc 1.1.5 ignores \"rro\" for cgroup mounts), or give it a user "
                            "namespace that does not map host root",
                            type, where);
}

/* A bind whose source's own file system is class (top) or, for an rbind,
 * has a mount of class below it (!top): is it acceptable? Only cgroup
 * file systems, read-only as runc leaves them. */
static bool bind_acceptable(const struct kmounts *k, const char *class, bool top, const struct mount_options *o)
{
        if (!STREQ(class, "cgroup"))
                return false;
        if (k->userns_safe)
                return true;
        return top ? mount_options_bind_readonly(o) : o->rro && !o->rrw;
}

/* An rbind carries the mounts below its source into the container, each
 * with its own flags: a plain "ro" applies to the top one alone. */
static void check_submounts(struct kmounts *k, const struct jv *m, const char *src, const char *full,
                            const struct mount_options *o)
{
        _cleanup_free_ char *resolved = path_resolve(full);
        const struct mount_table *t;
        const struct mount_entry *first = NULL;
        struct stat st;
        size_t n = 0;

        /* only a directory has mounts below it (runc refuses one that
         * does not exist) */
        if (!resolved || host_stat(resolved, &st) < 0 || !S_ISDIR(st.st_mode))
                return;
        int r = hostpath_mount_table(&t);
        if (r < 0) {
                rule_report_unfixable(k->ctx, m, "source",
                                      "binds %s recursively, and what lies below it cannot be judged: %s cannot be "
                                      "read (%s)",
                                      src, "/proc/self/mountinfo", strerror(-r));
                return;
        }
        for (size_t i = 0; i < t->n; i++) {
                const struct mount_entry *e = &t->v[i];
                const char *c = bind_class(e->fstype);
                if (!c || STREQ(e->point, resolved) || !path_is_under(e->point, resolved) ||
                    bind_acceptable(k, c, false, o))
                        continue;
                if (!first)
                        first = e;
                n++;
        }
        if (!first)
                return;
        const char *c = bind_class(first->fstype);
        if (STREQ(c, "cgroup"))
                rule_report(k->ctx, m, "options",
                            "binds %s recursively (rbind), bringing along %zu cgroup mount%s from below it, such as "
                            "%s, %s: the container could change the limits of every process; make them read-only "
                            "with \"rro\", or bind only the directory (\"bind\")",
                            src, n, n == 1 ? "" : "s", first->point,
                            o->ro ? "which \"ro\" leaves writable (it applies to the top mount alone)" : "writable");
        else
                rule_report(k->ctx, m, "options",
                            "binds %s recursively (rbind), bringing along %zu kernel file system mount%s from below "
                            "it, such as the host's %s at %s (%s); bind only the directory (\"bind\")",
                            src, n, n == 1 ? "" : "s", c, first->point, shows(c));
}

static void check_bind(struct kmounts *k, const struct jv *m, const char *src, const struct mount_options *o)
{
        struct rule_ctx *ctx = k->ctx;
        _cleanup_free_ char *full = hostpath_bundle_path(ctx, src), *at = NULL;
        const char *class;

        if (!full)
                return;
        int r = kernel_path_class(full, true, &class, &at);
        if (r == -ENOENT || r == -ENOTDIR)
                return; /* runc stats the source first and fails */
        if (r < 0) {
                rule_report_unfixable(ctx, m, "source",
                                      "binds %s, which cannot be examined (%s): whether it is a kernel file system "
                                      "cannot be judged",
                                      src, strerror(-r));
                return;
        }
        if (class && !bind_acceptable(k, class, true, o)) {
                bool same = STREQ(at, full);
                if (STREQ(class, "cgroup"))
                        rule_report(ctx, m, "source",
                                    "binds %s, which is on a cgroup file system%s%s, read-write: the container could "
                                    "change its own or other processes' limits; make it read-only",
                                    src, same ? "" : " at ", same ? "" : at);
                else
                        rule_report(ctx, m, "source",
                                    "binds %s, which is the host's %s (a %s file system%s%s): the host's %s, "
                                    "unmasked; remove this mount",
                                    src, class, class, same ? "" : " at ", same ? "" : at, shows(class));
                return;
        }
        if (o->rec)
                check_submounts(k, m, src, full, o);
}

/* A string member, or NULL; a wrong type is spec-invalid (once: the bind
 * rules read these fields too). */
static bool member_string(struct rule_ctx *ctx, const struct jv *obj, const char *key, const char **ret)
{
        const struct jv *v = jv_get(obj, key);
        *ret = NULL;
        if (!v || v->type == JV_NULL)
                return true;
        if (jv_cstr(v, ret))
                return true;
        hostpath_invalid_once(ctx, v, NULL, "must be a string without NUL bytes (runc refuses it)");
        return false;
}

static void check_mount(struct kmounts *k, const struct jv *m)
{
        struct rule_ctx *ctx = k->ctx;
        const char *type, *src, *dest;
        struct mount_options o;
        const struct jv *bad;

        if (m->type != JV_OBJECT) {
                hostpath_invalid_once(ctx, m, NULL, "a mount must be an object");
                return;
        }
        if (!member_string(ctx, m, "type", &type) || !member_string(ctx, m, "source", &src) ||
            !member_string(ctx, m, "destination", &dest))
                return;
        if (mount_options_read(jv_get(m, "options"), &o, &bad) < 0) {
                hostpath_invalid_once(ctx, bad, NULL,
                                      "mount options must be a JSON array of strings (runc refuses it)");
                return;
        }
        _cleanup_free_ char *where = container_dest(k, dest ? dest : "");
        if (!where)
                return;
        /* MS_REMOUNT (through the procfd of the destination) changes the
         * mount already there: the read-only /sys or cgroup mounts made
         * writable, nosuid or nodev cleared. Engines never write it. */
        if (o.remount) {
                rule_report(ctx, m, "options",
                            "remounts %s (option \"remount\"): runc would change the flags of the mount already "
                            "there, such as the read-only /sys or cgroup mounts; remove the option",
                            where);
                return;
        }
        bool bind_type = type && strcasecmp(type, "bind") == 0;
        /* runc binds on the flag alone; a runtime that binds on the type or
         * folds case reads it as a bind too: judged both ways. */
        if (!o.bind && type && *type && !bind_type)
                check_fresh(k, m, type, where, &o);
        if ((o.bind || o.bind_other_case || bind_type) && src)
                check_bind(k, m, src, &o);
}

/* runc pivots into root.path: on a kernel file system, the container's
 * whole root would be the host's kernel state. */
static void check_root(struct kmounts *k, const char *path)
{
        _cleanup_free_ char *full = hostpath_bundle_path(k->ctx, path), *at = NULL;
        const char *class;

        if (!full || kernel_path_class(full, true, &class, &at) < 0 || !class)
                return; /* a root runc cannot reach fails in runc */
        rule_report(k->ctx, jv_get(k->ctx->spec->root, "root"), "path",
                    "the root file system %s is on the host's %s file system (at %s): the container's root would be "
                    "the host's %s; give it an image root file system",
                    path, class, at, shows(class));
}

static int check_kernel_mounts(struct rule_ctx *ctx)
{
        struct kmounts k = {.ctx = ctx, .userns_safe = userns_guards(ctx)};
        const struct jv *mounts = jv_get(ctx->spec->root, "mounts");
        const char *root = NULL;

        if (!member_string(ctx, jv_get(ctx->spec->root, "root"), "path", &root))
                return 0;
        if (root && (root[0] == '/' || ctx->spec->bundle)) {
                _cleanup_free_ char *full = hostpath_bundle_path(ctx, root);
                k.rootfs = full ? path_normalize(full) : NULL;
                check_root(&k, root);
        }
        if (mounts && mounts->type != JV_ARRAY)
                hostpath_invalid_once(ctx, mounts, NULL, "must be a JSON array of mounts (runc refuses it)");
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++)
                check_mount(&k, mounts->u.arr.v[i]);
        kernel_check_cgroups_path(ctx);
        free(k.rootfs);
        return 0;
}

static const struct param_def kernel_mounts_params[] = {
        {"filesystems", PARAM_STRINGS,
         "[\"proc\", \"sysfs\", \"cgroup\", \"cgroup2\", \"tmpfs\", \"ramfs\", \"devpts\", \"mqueue\", \"hugetlbfs\","
         " \"overlay\"]",
         0, 0,
         "file system types a mount may create fresh (exact names, as the kernel knows them); proc only at /proc, "
         "sysfs only at /sys and read-only, cgroup and cgroup2 read-only"},
        {0},
};

const struct rule rules_kernel_mounts[] = {
        {
                .id = "kernel-mounts",
                .summary = "a kernel file system is mounted or bound where runc does not confine it",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = kernel_mounts_params,
                .check = check_kernel_mounts,
        },
        {0},
};
