/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "host.h"
#include "overlay_trust.h"
#include "rules/hostpath.h"
#include "rules/kernel_mounts.h"
#include "util.h"
#include "verify_internal.h"

/* The container's mount table against the spec and the policy.
 *
 * What a mount is shows in mountinfo: a bind of the host's /etc made through
 * a volume has the volume's path as its source in the spec, but its device
 * and its root within that device are /etc's. The host's own table (ours)
 * says under which host paths that device's directories are reachable, and
 * each of those names is judged with the sensitive-mount and engine-socket
 * targets, as well as the file's identity (device and inode). */

static const char *const FILE_MI = "mountinfo";

/* --- kernel file systems --------------------------------------------------- */

static bool host_has_dev(const struct verify_facts *f, dev_t dev, const char *fstype)
{
        for (size_t i = 0; i < f->host_mounts.n; i++)
                if (f->host_mounts.v[i].dev == dev && STREQ(f->host_mounts.v[i].fstype, fstype))
                        return true;
        return false;
}

/* The last mount at exactly this point. */
static const struct mount_entry *mount_at(const struct mount_table *t, const char *point)
{
        const struct mount_entry *m = NULL;
        for (size_t i = 0; i < t->n; i++)
                if (STREQ(t->v[i].point, point))
                        m = &t->v[i];
        return m;
}

/* proc at /proc (a fresh instance, not the host's), and the runtimes'
 * read-only binds of its own subdirectories onto themselves
 * (linux.readonlyPaths: /proc/sys over /sys of the same proc). Anywhere
 * else proc is unmasked, with a writable sys/ tree. */
static void judge_proc(struct vctx *v, const struct mount_entry *m)
{
        const struct mount_entry *top = mount_at(&v->f->mounts, "/proc");
        const struct verify_facts *f = v->f;

        if (STREQ(m->point, "/proc") && STREQ(m->root, "/")) {
                if (host_has_dev(f, m->dev, "proc"))
                        vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                                "/proc is the host's proc (a bind of it, not a fresh mount)");
                return;
        }
        if (path_is_under(m->point, "/proc") && !STREQ(m->point, "/proc") && STREQ(m->root, m->point + 5) &&
            m->readonly && top && top->dev == m->dev)
                return;
        vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI, "%s is a proc file system%s%s outside /proc's place",
                m->point, STREQ(m->root, "/") ? "" : " (its ", STREQ(m->root, "/") ? "" : m->root);
}

/* Device nodes a runtime binds from the host's /dev (in a user namespace,
 * or crun over masked files): the spec's devices and the default ones. */
static bool allowed_device(struct vctx *v, const struct stat *st)
{
        static const unsigned defaults[][2] = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}, {5, 2}};
        const struct jv *devs = jv_get(jv_get(v->root, "linux"), "devices");

        if (!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode))
                return false;
        for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
                if (S_ISCHR(st->st_mode) && major(st->st_rdev) == defaults[i][0] &&
                    minor(st->st_rdev) == defaults[i][1])
                        return true;
        for (size_t i = 0; jv_is(devs, JV_ARRAY) && i < devs->u.arr.n; i++) {
                int64_t ma, mi;
                const char *type = vstr(devs->u.arr.v[i], "type");
                if (!type || jv_int64(jv_get(devs->u.arr.v[i], "major"), &ma) < 0 ||
                    jv_int64(jv_get(devs->u.arr.v[i], "minor"), &mi) < 0)
                        continue;
                bool chr = STREQ(type, "c") || STREQ(type, "u");
                if (chr == !!S_ISCHR(st->st_mode) && (int64_t)major(st->st_rdev) == ma &&
                    (int64_t)minor(st->st_rdev) == mi)
                        return true;
        }
        return false;
}

static void judge_kernel_mount(struct vctx *v, const struct mount_entry *m, const char *class)
{
        struct stat st;

        if (STREQ(class, "proc")) {
                judge_proc(v, m);
        } else if (STREQ(class, "sysfs")) {
                if (!STREQ(m->point, "/sys") || !STREQ(m->root, "/"))
                        vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                                "%s is a sysfs%s%s outside /sys: unmasked kernel and firmware state", m->point,
                                STREQ(m->root, "/") ? "" : " bind of /sys", STREQ(m->root, "/") ? "" : m->root);
        } else if (STREQ(class, "cgroup")) {
                if (!m->readonly && !kernel_userns_guards(v->root))
                        vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                                "%s is a writable cgroup file system (%s): the container can change its own limits "
                                "and move into other cgroups",
                                m->point, m->root);
        } else if (STREQ(class, "devtmpfs")) {
                int r = v->probe->stat_in(v->probe->data, m->point, false, &st);
                if (STREQ(m->root, "/") || r < 0 || !allowed_device(v, &st))
                        vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                                "%s is a bind of the host's /dev%s (devtmpfs) that is not one of the spec's devices",
                                m->point, STREQ(m->root, "/") ? "" : m->root);
        } else {
                vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                        "%s is a %s file system (%s): the host's kernel state", m->point, m->fstype, class);
        }
}

/* devpts and mqueue are per instance: a fresh mount is the container's own
 * (every devpts mount is a new instance since Linux 4.7; mqueue shows the
 * IPC namespace's queues). One whose device the host's table shows is the
 * host's: its terminals (runc 1.1.5 binds the host's /dev/pts/N for a
 * linux.devices entry in a user namespace) or, from another IPC namespace,
 * its message queues. Sharing the host's IPC namespace is the namespace
 * rules' to judge. */
static void judge_instance(struct vctx *v, const struct mount_entry *m)
{
        const struct verify_fileid *ipc = &v->f->ns[VNS_IPC], *self = &v->f->self_ns[VNS_IPC];

        if (!host_has_dev(v->f, m->dev, m->fstype))
                return;
        if (STREQ(m->fstype, "devpts"))
                vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                        "%s is the host's devpts%s%s (its terminals), not an instance of the container's own", m->point,
                        STREQ(m->root, "/") ? "" : ", its node ", STREQ(m->root, "/") ? "" : m->root);
        else if (!(ipc->have && self->have && ipc->dev == self->dev && ipc->ino == self->ino))
                vreport(v, "kernel-mounts", ACTION_DENY, FILE_MI,
                        "%s is the host's mqueue%s%s (its message queues), not the container's IPC namespace's",
                        m->point, STREQ(m->root, "/") ? "" : ", its queue ", STREQ(m->root, "/") ? "" : m->root);
}

/* Each linux.devices path holds the node the entry declares. Where runc
 * binds the host's file there instead (a user namespace), a host socket or
 * file at that path shows here as one; a FIFO entry with a mount on it is
 * the host's FIFO. */
static void judge_devices(struct vctx *v)
{
        const struct jv *devs = jv_get(jv_get(v->root, "linux"), "devices");
        struct stat st;

        for (size_t i = 0; jv_is(devs, JV_ARRAY) && i < devs->u.arr.n; i++) {
                const struct jv *e = devs->u.arr.v[i];
                const char *p = vstr(e, "path"), *type = vstr(e, "type");
                int64_t ma, mi;
                _cleanup_free_ char *norm = p && p[0] == '/' ? path_normalize(p) : NULL;
                if (!norm || STREQ(norm, "/dev/ptmx") || !type || jv_int64(jv_get(e, "major"), &ma) < 0 ||
                    jv_int64(jv_get(e, "minor"), &mi) < 0 || v->probe->stat_in(v->probe->data, norm, false, &st) < 0)
                        continue; /* not made: a bind of /dev stands in (the spec's to judge) */
                mode_t want = STREQ(type, "b") ? S_IFBLK : STREQ(type, "p") ? S_IFIFO : S_IFCHR;
                bool same = (st.st_mode & S_IFMT) == want &&
                            (want == S_IFIFO || ((int64_t)major(st.st_rdev) == ma && (int64_t)minor(st.st_rdev) == mi));
                if (same && want == S_IFIFO && mount_at(&v->f->mounts, norm))
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "%s, a FIFO of linux.devices, is a mount: the host's FIFO bound there", norm);
                else if (!same)
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "%s, a device of linux.devices (%s %" PRId64 ":%" PRId64 "), is another file in the "
                                "container (mode %o): the host's file bound there",
                                norm, type, ma, mi, (unsigned)st.st_mode);
        }
}

/* --- binds by identity --------------------------------------------------- */

struct targets {
        const struct host_targets *sockets, *state, *runtime_state, *paths, *allowed, *only;
};

static int targets_get(struct vctx *v, const char *rule, const char *param, bool with_ids,
                       const struct host_targets **ret)
{
        size_t idx;
        const struct rule *r = rules_find(rule, &idx);
        static const struct host_targets none = {0};
        if (!r || !jv_get_exact(v->p->conf[idx].params, param)) {
                *ret = &none;
                return 0;
        }
        struct rule_ctx ctx = {.rule = r, .conf = &v->p->conf[idx], .spec = v->s, .kind = CHECK_CONFIG};
        return hostpath_targets_get(&ctx, param, with_ids, ret);
}

/* The runtime's own state directory (--root), which sensitive-mount.state
 * may not name (a --root of the engine's choosing): binding it, a parent or
 * a part of it hands the container every container's state.json. Built
 * like the policy's targets, from a one-item list. */
static int runtime_state_targets(struct vctx *v, struct jdoc **ret_doc, const struct host_targets **ret)
{
        static const struct rule state_rule = {.id = "sensitive-mount"};
        static const struct host_targets none = {0};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *item = NULL;
        struct jv *params, *list;

        *ret = &none;
        if (!v->f->runtime_root)
                return 0;
        if (!d || asprintf(&item, "%s/**", v->f->runtime_root) < 0 || !(params = jv_new(d, JV_OBJECT)) ||
            !(list = jv_new(d, JV_ARRAY)) || jv_arr_push(d, list, jv_new_string(d, item)) < 0 ||
            jv_obj_put(d, params, "state", list) < 0)
                return -ENOMEM;
        struct rule_conf conf = {.action = ACTION_DENY, .params = params};
        struct rule_ctx ctx = {.rule = &state_rule, .conf = &conf, .spec = v->s, .kind = CHECK_CONFIG};
        if (hostpath_targets_get(&ctx, "state", true, ret) < 0)
                return -ENOMEM;
        *ret_doc = TAKE_PTR(d);
        return 0;
}

static int targets_load(struct vctx *v, struct targets *t, struct jdoc **ret_doc)
{
        if (targets_get(v, "engine-socket", "sockets", true, &t->sockets) < 0 ||
            targets_get(v, "sensitive-mount", "state", true, &t->state) < 0 ||
            targets_get(v, "sensitive-mount", "paths", true, &t->paths) < 0 ||
            targets_get(v, "sensitive-mount", "allowed", false, &t->allowed) < 0 ||
            targets_get(v, "sensitive-mount", "only", false, &t->only) < 0 ||
            runtime_state_targets(v, ret_doc, &t->runtime_state) < 0)
                return -ENOMEM;
        return 0;
}

static int shown_len(const char *given)
{
        size_t n = strlen(given);
        return (int)(n > 3 && STREQ(given + n - 3, "/**") ? n - 3 : n);
}

/* "the host's /etc", "the host's /etc/ssh (in /etc)", "the host's /var,
 * which holds /var/lib/docker", "the host's /etc (by device and inode)". */
static void describe(const struct host_target *t, const struct host_hit *h, char *buf, size_t len)
{
        int n = shown_len(t->given);
        const char *how = h->via == HOST_VIA_INODE ? " (by device and inode)" : "";

        if (h->kind == HOST_HIT_CONTAINS)
                snprintf(buf, len, "the host's %s, which holds %.*s%s", h->path, n, t->given, how);
        else if (strlen(h->path) == (size_t)n && strncmp(h->path, t->given, (size_t)n) == 0)
                snprintf(buf, len, "the host's %s%s", h->path, how);
        else
                snprintf(buf, len, "the host's %s (in %.*s)%s", h->path, n, t->given, how);
}

static bool in_only(const struct targets *t, const char *path)
{
        return hostpath_matches_any(t->only, path) || hostpath_matches_any(t->allowed, path);
}

/* Judges one mount by every host path that shows its root (names: the
 * first an engine's own allowed file when one is, the others its aliases)
 * and by its inode, as binds.c judges a spec's source. */
static void judge_host_mount(struct vctx *v, const struct mount_entry *m, char **names, size_t n, bool have_st,
                             const struct stat *st, const struct targets *t)
{
        struct host_bind b = {.role = HOST_ROLE_BIND, .have_st = have_st, .readonly = m->readonly};
        const struct host_target *hit;
        struct host_hit h;
        char what[PATH_MAX + 256];

        for (size_t i = 1; i < n; i++)
                if (hostpath_matches_any(t->allowed, names[i])) {
                        char *x = names[0];
                        names[0] = names[i];
                        names[i] = x;
                        break;
                }
        b.src = b.resolved = names[0];
        b.aliases = names + 1;
        b.n_aliases = n - 1;
        if (have_st)
                b.st = *st;
        bool allowed = hostpath_matches_any(t->allowed, names[0]);
        if ((hit = hostpath_first_exposed(&b, t->sockets, false, &h))) {
                describe(hit, &h, what, sizeof(what));
                vreport(v, "engine-socket", ACTION_DENY, FILE_MI,
                        "%s is a bind of %s, an engine's API socket: whoever reaches it controls the host", m->point,
                        what);
        } else if ((hit = hostpath_first_exposed(&b, t->state, allowed, &h)) ||
                   (hit = hostpath_first_exposed(&b, t->runtime_state, false, &h))) {
                describe(hit, &h, what, sizeof(what));
                vreport(v, "sensitive-mount", ACTION_DENY, FILE_MI,
                        "%s is a bind of %s, a container engine's state: whoever reaches it can take over the "
                        "engine and the host (read-only or not)",
                        m->point, what);
        } else if (t->only->n && !(in_only(t, names[0]) && (n < 2 || in_only(t, names[1])))) {
                vreport(v, "sensitive-mount", ACTION_DENY, FILE_MI,
                        "%s is a bind of the host's %s, outside the host directories the policy allows "
                        "(sensitive-mount.only)",
                        m->point, in_only(t, names[0]) ? names[1] : names[0]);
        } else if ((hit = hostpath_first_exposed(&b, t->paths, allowed, &h))) {
                describe(hit, &h, what, sizeof(what));
                if (m->readonly)
                        vreport(v, "sensitive-mount", ACTION_WARN, FILE_MI, "%s is a read-only bind of %s", m->point,
                                what);
                else
                        vreport(v, "sensitive-mount", ACTION_DENY, FILE_MI, "%s is a bind of %s, writable", m->point,
                                what);
        }
}

/* A bind of an overlay the host has mounted: the names its layers were
 * judged by must still be what it stacked (overlay_trust.h); a bind on
 * the way detached since, or a symlink flipped back, leaves the names
 * reaching other directories. Any of the overlay's mounts of its root
 * that shows them so will do. */
static int judge_host_overlay(struct vctx *v, const struct mount_entry *m)
{
        _cleanup_free_ char *why = NULL;
        const struct mount_entry *seen = NULL;

        for (size_t i = 0; i < v->f->host_mounts.n; i++) {
                const struct mount_entry *h = &v->f->host_mounts.v[i];
                if (h->dev != m->dev || !STREQ(h->fstype, "overlay") || !STREQ(h->root, "/"))
                        continue;
                free(why);
                why = NULL;
                seen = h;
                int r = overlay_mount_doubt(h, &why);
                if (r <= 0)
                        return r;
        }
        if (seen)
                vreport(v, "untrusted-layer", ACTION_DENY, FILE_MI,
                        "%s is a bind of the overlay the host has mounted at %s, whose layers mountinfo shows only "
                        "by the names they were given, and %s",
                        m->point, seen->point, why);
        return 0;
}

/* Whether a later mount covers this one (at its point or above it). */
static bool covered(const struct mount_table *t, size_t i)
{
        for (size_t k = i + 1; k < t->n; k++)
                if (path_is_under(t->v[i].point, t->v[k].point))
                        return true;
        return false;
}

static void names_free(char **names, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
}

static int judge_binds(struct vctx *v)
{
        struct targets t = {0};
        bool have_targets = false;
        _cleanup_jdoc_ struct jdoc *state_doc = NULL;

        for (size_t i = 0; i < v->f->mounts.n; i++) {
                const struct mount_entry *m = &v->f->mounts.v[i];
                char **names = NULL;
                size_t n = 0;
                struct stat st;

                /* the root is the root file system's (verify_root); kernel
                 * file systems are judged by type, devpts and mqueue by
                 * instance (judge_instance) */
                if (STREQ(m->point, "/") || mount_fstype_kernel_class(m->fstype) || STREQ(m->fstype, "devpts") ||
                    STREQ(m->fstype, "mqueue"))
                        continue;
                if (mount_table_names(&v->f->host_mounts, m->dev, m->root, &names, &n) < 0) {
                        names_free(names, n);
                        return -ENOMEM;
                }
                /* A device no mount of the host's shows (a fresh tmpfs) holds
                 * no host path: every target is stat()ed through those. */
                if (n == 0) {
                        names_free(names, n);
                        continue;
                }
                if (!have_targets && targets_load(v, &t, &state_doc) < 0) {
                        names_free(names, n);
                        return -ENOMEM;
                }
                have_targets = true;
                /* A covered mount is judged by its names only: the stat of
                 * its point shows what covers it. */
                bool have_st =
                        !covered(&v->f->mounts, i) && v->probe->stat_in(v->probe->data, m->point, false, &st) == 0;
                judge_host_mount(v, m, names, n, have_st, &st, &t);
                names_free(names, n);
                if (STREQ(m->fstype, "overlay") && judge_host_overlay(v, m) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* --- the root by identity ------------------------------------------------- */

/* The container's "/" as binds.c judges root.path: every host path that
 * shows it (its device and root in our table) and its inode, against the
 * engines' state and the protected paths, read-only or not (the container
 * would run on the host's own files). An engine's storage
 * (sensitive-mount.rootfs) passes by its name; its other names are still
 * judged. What root.path names may have changed since the spec was judged
 * (a bind over it): this is what runc pivoted into. */
static int judge_root_mount(struct vctx *v)
{
        const struct mount_entry *m = mount_at(&v->f->mounts, "/");
        _cleanup_jdoc_ struct jdoc *state_doc = NULL;
        const struct host_targets *rootfs;
        struct targets t = {0};
        char **names = NULL, what[PATH_MAX + 256];
        size_t n = 0;
        struct stat st;
        struct host_hit h;
        const struct host_target *hit;

        if (!m || mount_fstype_kernel_class(m->fstype))
                return 0; /* no root mount to judge; a kernel file system is judged by type */
        /* An overlay root that is the very one the spec layer judged
         * (podman's DIR:O: by its layers, not by its mount point's name in
         * engine state) was judged then; its names say nothing more. */
        if (STREQ(m->fstype, "overlay") && v->s && v->s->root_recorded && v->s->root_err == 0) {
                struct stat rst;
                if (v->probe->stat_in(v->probe->data, "/", false, &rst) == 0 && rst.st_dev == v->s->root_dev &&
                    rst.st_ino == v->s->root_ino)
                        return 0;
        }
        if (mount_table_names(&v->f->host_mounts, m->dev, m->root, &names, &n) < 0 ||
            (n > 0 && (targets_load(v, &t, &state_doc) < 0 ||
                       targets_get(v, "sensitive-mount", "rootfs", false, &rootfs) < 0))) {
                names_free(names, n);
                return -ENOMEM;
        }
        for (size_t i = 1; i < n; i++)
                if (hostpath_matches_any(rootfs, names[i])) {
                        char *x = names[0];
                        names[0] = names[i];
                        names[i] = x;
                        break;
                }
        struct host_bind b = {.role = HOST_ROLE_ROOT, .readonly = m->readonly};
        if (n > 0) {
                b.src = b.resolved = names[0];
                b.aliases = names + 1;
                b.n_aliases = n - 1;
                b.have_st = v->probe->stat_in(v->probe->data, "/", false, &st) == 0;
                if (b.have_st)
                        b.st = st;
        }
        bool storage = n > 0 && hostpath_matches_any(rootfs, names[0]);
        if (n > 0 && ((hit = hostpath_first_exposed(&b, t.state, storage, &h)) ||
                      (hit = hostpath_first_exposed(&b, t.runtime_state, false, &h)) ||
                      (hit = hostpath_first_exposed(&b, t.paths, storage, &h)))) {
                describe(hit, &h, what, sizeof(what));
                vreport(v, "sensitive-mount", ACTION_DENY, FILE_MI,
                        "/ (the root file system) is the host's %s, which exposes %s: the container would run on "
                        "the host's own files",
                        names[0], what);
        }
        names_free(names, n);
        return 0;
}

/* --- what the spec asked for ---------------------------------------------- */

static bool spec_dest_is(const struct jv *mounts, const char *real, const struct verify_probe *probe)
{
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++) {
                const char *d = vstr(mounts->u.arr.v[i], "destination");
                _cleanup_free_ char *r = NULL;
                if (d && probe->resolve_in(probe->data, d, &r) == 0 && STREQ(r, real))
                        return true;
        }
        return false;
}

static bool listed_path(const struct jv *l, const char *path)
{
        for (size_t i = 0; jv_is(l, JV_ARRAY) && i < l->u.arr.n; i++) {
                const char *s;
                if (jv_cstr(l->u.arr.v[i], &s) && STREQ(s, path))
                        return true;
        }
        return false;
}

/* A read-only bind is read-only all the way down: runc 1.1.5 makes only the
 * top of an rbind read-only for "ro"; the mounts it carries stay writable
 * unless the spec says "rro". Mounts the spec (or its masked and read-only
 * paths) puts below it are its own. */
static void judge_ro_below(struct vctx *v, const struct mount_entry *top, const char *dest, bool rro)
{
        const struct jv *lx = jv_get(v->root, "linux");
        const struct jv *mounts = jv_get(v->root, "mounts");

        for (size_t i = 0; i < v->f->mounts.n; i++) {
                const struct mount_entry *m = &v->f->mounts.v[i];
                if (m == top || !path_is_under(m->point, top->point) || STREQ(m->point, top->point) || m->readonly)
                        continue;
                if (spec_dest_is(mounts, m->point, v->probe) || listed_path(jv_get(lx, "maskedPaths"), m->point) ||
                    listed_path(jv_get(lx, "readonlyPaths"), m->point))
                        continue;
                /* with "rro" runc did not do what the spec says; with "ro"
                 * it did, and recursive-readonly decides whether that is
                 * acceptable */
                if (rro)
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "%s is writable inside %s, which the spec binds read-only all the way down (rro)",
                                m->point, dest);
                else
                        vreport(v, "recursive-readonly", ACTION_DENY, FILE_MI,
                                "%s is writable inside %s, which the spec binds read-only: \"ro\" is not recursive; "
                                "use \"rro\"",
                                m->point, dest);
        }
}

static void judge_spec_mount(struct vctx *v, const struct jv *mounts, size_t i)
{
        const struct jv *sm = mounts->u.arr.v[i];
        const char *dest = vstr(sm, "destination"), *type = vstr(sm, "type"), *src = vstr(sm, "source");
        bool bind, ro, rro;
        _cleanup_free_ char *real = NULL;

        if (!dest)
                return;
        /* a later mount at this destination or above it hides this one */
        for (size_t k = i + 1; k < mounts->u.arr.n; k++) {
                const char *d = vstr(mounts->u.arr.v[k], "destination");
                _cleanup_free_ char *a = d ? path_normalize(d) : NULL, *b = path_normalize(dest);
                if (a && b && path_is_under(b, a))
                        return;
        }
        vmount_options(sm, &bind, &ro, &rro);
        if (v->probe->resolve_in(v->probe->data, dest, &real) < 0) {
                vreport(v, "verify", ACTION_DENY, FILE_MI,
                        "the spec mounts %s at %s, which does not exist in the "
                        "container",
                        type ? type : "something", dest);
                return;
        }
        const struct mount_entry *top = mount_at(&v->f->mounts, real);
        if (!top) {
                vreport(v, "verify", ACTION_DENY, FILE_MI, "the spec mounts %s at %s; the container has no mount there",
                        bind   ? "a bind"
                        : type ? type
                               : "something",
                        real);
                return;
        }
        if (bind && src) {
                _cleanup_free_ char *host = vbundle_path(v, src);
                struct stat hs, cs;
                if (!host || stat(host, &hs) < 0) {
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "the spec binds %s at %s, which cannot be examined now (%m): what is bound there "
                                "cannot be confirmed",
                                src, real);
                } else if (v->probe->stat_in(v->probe->data, real, true, &cs) < 0 || cs.st_dev != hs.st_dev ||
                           cs.st_ino != hs.st_ino) {
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "the spec binds %s%s%s%s at %s; the container has another file there", src,
                                STREQ(src, host) ? "" : " (", STREQ(src, host) ? "" : host, STREQ(src, host) ? "" : ")",
                                real);
                }
        } else if (type && !bind && !STREQ(type, "cgroup") && !STREQ(type, top->fstype)) {
                vreport(v, "verify", ACTION_DENY, FILE_MI, "the spec mounts %s at %s; the container has %s there", type,
                        real, top->fstype);
        }
        if (!ro)
                return;
        if (!top->readonly &&
            !(type && STREQ(type, "cgroup") && !STREQ(top->fstype, "cgroup2") && !STREQ(top->fstype, "cgroup")))
                vreport(v, "verify", ACTION_DENY, FILE_MI, "the spec mounts %s read-only; it is writable", real);
        if (bind || (type && STREQ(type, "cgroup")))
                judge_ro_below(v, top, real, rro);
}

/* linux.maskedPaths are covered, linux.readonlyPaths read-only, wherever
 * they exist in the container (the runtimes skip missing ones). */
static void judge_paths(struct vctx *v, const char *key, bool want_ro)
{
        const struct jv *l = jv_get(jv_get(v->root, "linux"), key);

        for (size_t i = 0; jv_is(l, JV_ARRAY) && i < l->u.arr.n; i++) {
                const char *p;
                _cleanup_free_ char *real = NULL;
                if (!jv_cstr(l->u.arr.v[i], &p))
                        continue;
                int r = v->probe->resolve_in(v->probe->data, p, &real);
                if (r == -ENOENT || r == -ENOTDIR)
                        continue; /* absent: the runtimes skip it */
                const struct mount_entry *m = r == 0 ? mount_at(&v->f->mounts, real) : NULL;
                if (m && (!want_ro || m->readonly))
                        continue;
                if (r < 0)
                        vreport(v, "verify", ACTION_DENY, FILE_MI,
                                "%s cannot be examined in the container (%s; linux.%s)", p, strerror(-r), key);
                else
                        vreport(v, "verify", ACTION_DENY, FILE_MI, "%s is %s in the container (linux.%s)", p,
                                want_ro ? "writable" : "not masked", key);
        }
}

/* Mounts in a peer group the host's mounts are in propagate both ways. */
static void judge_propagation(struct vctx *v)
{
        for (size_t i = 0; i < v->f->mounts.n; i++) {
                const struct mount_entry *m = &v->f->mounts.v[i];
                const char *g = strstr(m->optional, "shared:");
                if (!g)
                        continue;
                size_t n = strcspn(g, " ");
                for (size_t k = 0; k < v->f->host_mounts.n; k++) {
                        const char *h = strstr(v->f->host_mounts.v[k].optional, "shared:");
                        if (h && strcspn(h, " ") == n && strncmp(g, h, n) == 0) {
                                vreport(v, "mount-propagation", ACTION_DENY, FILE_MI,
                                        "%s shares mounts with the host's %s (%.*s): mounts made on either side "
                                        "appear on the other",
                                        m->point, v->f->host_mounts.v[k].point, (int)n, g);
                                break;
                        }
                }
        }
}

int verify_mounts(struct vctx *v)
{
        for (size_t i = 0; i < v->f->mounts.n; i++) {
                const char *class = mount_fstype_kernel_class(v->f->mounts.v[i].fstype);
                if (class)
                        judge_kernel_mount(v, &v->f->mounts.v[i], class);
                else if (STREQ(v->f->mounts.v[i].fstype, "devpts") || STREQ(v->f->mounts.v[i].fstype, "mqueue"))
                        judge_instance(v, &v->f->mounts.v[i]);
        }
        if (judge_binds(v) < 0)
                return -ENOMEM;
        if (judge_root_mount(v) < 0)
                return -ENOMEM;
        judge_propagation(v);
        if (!v->s)
                return 0;
        const struct jv *mounts = jv_get(v->root, "mounts");
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++)
                judge_spec_mount(v, mounts, i);
        judge_paths(v, "maskedPaths", false);
        judge_paths(v, "readonlyPaths", true);
        judge_devices(v);
        return 0;
}
