/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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
#define RH_MQUEUE_MAGIC 0x19800202UL

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
        {RH_MQUEUE_MAGIC, "mqueue"},
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
        {"mqueue", "POSIX message queues"},
};

static const char *shows(const char *class)
{
        for (size_t i = 0; i < ARRAY_SIZE(class_shows); i++)
                if (STREQ(class_shows[i][0], class))
                        return class_shows[i][1];
        return "kernel state";
}

/* A kernel class for a bind's source: the host's devpts (its terminals)
 * and mqueue count too, while a fresh one is the container's own instance.
 * An mqueue mount shows the queues of the IPC namespace of whoever mounted
 * it (a Docker volume of type mqueue: dockerd's, the host's), not the
 * container's. */
static const char *bind_class(const char *fstype)
{
        if (fstype && (STREQ(fstype, "devpts") || STREQ(fstype, "mqueue")))
                return fstype;
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

/* --- the check --------------------------------------------------------- */

struct kmounts {
        struct rule_ctx *ctx;
        char *rootfs;     /* root.path as runc takes it, NULL when unknown */
        bool userns_safe; /* kernel_userns_guards() */
};

bool kernel_userns_guards(const struct jv *spec_root)
{
        const struct jv *l = jv_get(spec_root, "linux"), *ns = jv_get(l, "namespaces");
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

/* --- host paths: binds, overlay layers, root.path ------------------------ */

/* The kernel class of what b is on this host: by the mount it lies on
 * (found by mount id); away from the host's mount table (lint), by
 * statfs(), which cannot tell devtmpfs from tmpfs. */
static const char *host_path_class(const struct host_bind *b)
{
        struct statfs sf;

        if (!b->have_st)
                return NULL; /* runc fails on a path that does not exist */
        if (b->mnt)
                return bind_class(b->mnt->fstype);
        return statfs(b->resolved, &sf) == 0 ? magic_class(&sf) : NULL;
}

/* A cgroup file system is acceptable read-only, or where the container's
 * root is not the host's (kernel_userns_guards()). */
static bool cgroup_acceptable(const struct kmounts *k, bool readonly)
{
        return readonly || k->userns_safe;
}

/* An rbind carries the mounts below its source into the container, each
 * with its own flags: a plain "ro" reaches the top one alone, "rro" (or
 * recursive-readonly's fix adding it) all of them. */
static void check_subs(struct kmounts *k, const struct host_bind *b)
{
        bool ro_below = hostpath_readonly_below(k->ctx, b);
        const struct host_sub *first = NULL;
        size_t n = 0;

        for (size_t i = 0; i < b->n_subs; i++) {
                const char *c = bind_class(b->subs[i].mnt->fstype);
                if (!c || (STREQ(c, "cgroup") && cgroup_acceptable(k, ro_below)))
                        continue;
                if (!first)
                        first = &b->subs[i];
                n++;
        }
        if (!first)
                return;
        const char *c = bind_class(first->mnt->fstype);
        if (STREQ(c, "cgroup"))
                rule_report(k->ctx, b->m, "options",
                            "binds %s recursively (rbind), bringing along %zu cgroup mount%s from below it, such as "
                            "%s, writable: the container could change the limits of every process; make them "
                            "read-only with \"rro\", or bind only the directory (\"bind\")",
                            b->src, n, n == 1 ? "" : "s", first->mnt->point);
        else
                rule_report(k->ctx, b->m, "options",
                            "binds %s recursively (rbind), bringing along %zu kernel file system mount%s from below "
                            "it, such as the host's %s at %s (%s); bind only the directory (\"bind\")",
                            b->src, n, n == 1 ? "" : "s", c, first->mnt->point, shows(c));
}

static int check_host_path(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        struct kmounts *k = data;
        const char *class = host_path_class(b);
        const char *at = b->mnt ? b->mnt->point : b->resolved;

        switch (b->role) {
        case HOST_ROLE_DEVICE:
                return 0; /* a disk: kernel-mounts.filesystems judges its type */
        case HOST_ROLE_ROOT:
        case HOST_ROLE_ROOT_LAYER:
                /* runc pivots into it: the container's whole root */
                if (class)
                        rule_report(ctx, b->at, b->key,
                                    "the root file system %s%s is on the host's %s (%s): the container's root would be "
                                    "the host's %s; give it an image root file system",
                                    b->role == HOST_ROLE_ROOT_LAYER ? "has the layer " : "", b->src, class, at,
                                    shows(class));
                return 0;
        case HOST_ROLE_DEVNODE:
                /* a node of the host's devtmpfs is what mknod makes; one of
                 * a devpts is a terminal of that instance (mknod'ed, it
                 * opens none), and any other file is no device at all */
                if (class && (!hostpath_is_device_node(b) || !STREQ(class, "devtmpfs")))
                        rule_report(ctx, b->at, b->key,
                                    "lists the device %s, which runc binds from the host (a user namespace, or mknod "
                                    "failing): it is the host's %s (a %s file system at %s), the host's %s; remove "
                                    "this device",
                                    b->src, class, class, at, shows(class));
                return 0;
        case HOST_ROLE_LOWER:
        case HOST_ROLE_UPPER:
        case HOST_ROLE_WORK:
                if (class)
                        rule_report(ctx, b->at, b->key,
                                    "mounts an overlay with the layer %s, which is on the host's %s (%s): the host's "
                                    "%s; use a directory of an ordinary file system",
                                    b->src, class, at, shows(class));
                return 0;
        default:
                break;
        }
        if (class && STREQ(class, "cgroup")) {
                if (!cgroup_acceptable(k, b->readonly))
                        rule_report(ctx, b->at, b->key,
                                    "binds %s, which is on a cgroup file system (%s), read-write: the container could "
                                    "change its own or other processes' limits; make it read-only",
                                    b->src, at);
        } else if (class) {
                rule_report(ctx, b->at, b->key,
                            "binds %s, which is the host's %s (a %s file system at %s): the host's %s, unmasked; "
                            "remove this mount",
                            b->src, class, class, at, shows(class));
                return 0;
        }
        if (b->recursive)
                check_subs(k, b);
        return 0;
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
         * folds case reads it as a bind too: judged both ways (the bind in
         * check_host_path()). */
        if (!o.bind && type && *type && !bind_type)
                check_fresh(k, m, type, where, &o);
}

static int check_kernel_mounts(struct rule_ctx *ctx)
{
        struct kmounts k = {.ctx = ctx, .userns_safe = kernel_userns_guards(ctx->spec->root)};
        const struct jv *mounts = hostpath_mounts(ctx);
        const char *root = NULL;
        int r;

        if (ctx->kind == CHECK_EXEC) {
                kernel_check_exec_cgroups(ctx);
                return 0;
        }
        if (!member_string(ctx, jv_get(ctx->spec->root, "root"), "path", &root))
                return 0;
        if (root && (root[0] == '/' || ctx->spec->bundle)) {
                _cleanup_free_ char *full = hostpath_bundle_path(ctx, root);
                k.rootfs = full ? path_normalize(full) : NULL;
        }
        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++)
                check_mount(&k, mounts->u.arr.v[i]);
        /* every host path a mount names, and root.path, as hostpath.c finds
         * them on this host (binds in any letter case and by type, overlay
         * layers, what an rbind carries) */
        r = hostpath_for_each_path(ctx, true, check_host_path, &k);
        kernel_check_cgroups_path(ctx);
        free(k.rootfs);
        return r;
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
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = kernel_mounts_params,
                .check = check_kernel_mounts,
        },
        {0},
};
