/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "host.h"
#include "rules/hostpath.h"
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

/* The host paths under which a mount's root is reachable: for every host
 * mount of the same device whose root contains it. malloc'd list. */
struct aliases {
        char **v;
        size_t n;
};

static void aliases_done(struct aliases *a)
{
        for (size_t i = 0; i < a->n; i++)
                free(a->v[i]);
        free(a->v);
        *a = (struct aliases){0};
}

static int aliases_of(const struct verify_facts *f, const struct mount_entry *m, struct aliases *ret)
{
        *ret = (struct aliases){0};
        for (size_t i = 0; i < f->host_mounts.n; i++) {
                const struct mount_entry *h = &f->host_mounts.v[i];
                if (h->dev != m->dev || !path_is_under(m->root, h->root))
                        continue;
                const char *rest = STREQ(h->root, "/") ? m->root : m->root + strlen(h->root);
                char *a = NULL;
                if (STREQ(h->point, "/"))
                        a = strdup(*rest ? rest : "/");
                else if (asprintf(&a, "%s%s", h->point, STREQ(rest, "/") ? "" : rest) < 0)
                        a = NULL;
                char **v = a ? realloc(ret->v, (ret->n + 1) * sizeof(*v)) : NULL;
                if (!v) {
                        free(a);
                        aliases_done(ret);
                        return -ENOMEM;
                }
                ret->v = v;
                ret->v[ret->n++] = a;
        }
        return 0;
}

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
                if (!m->readonly)
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

/* --- binds by identity --------------------------------------------------- */

struct targets {
        const struct host_targets *paths, *allowed, *sockets, *state;
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

/* The runtime's state directory (--root): binding it, a parent or a part
 * of it hands the container every container's state.json. It is judged as
 * one more engine target, built like the policy's own from a one-item
 * list. */
static int state_targets(struct vctx *v, struct jdoc **ret_doc, const struct host_targets **ret)
{
        static const struct rule state_rule = {.id = "engine-socket"};
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *item = NULL;
        struct jv *params, *list;

        *ret = NULL;
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

static bool allowed_alias(const struct host_targets *allowed, const char *alias)
{
        for (size_t i = 0; i < allowed->n; i++)
                if (hostpath_match(allowed->v[i].pattern, allowed->v[i].below, alias))
                        return true;
        return false;
}

static int shown_len(const char *given)
{
        size_t n = strlen(given);
        return (int)(n > 3 && STREQ(given + n - 3, "/**") ? n - 3 : n);
}

/* The first target of ts that the bind exposes, or NULL. */
static const struct host_target *exposed(const struct host_bind *b, const struct host_targets *ts)
{
        for (size_t k = 0; ts && k < ts->n; k++)
                if (hostpath_exposes(b, &ts->v[k]))
                        return &ts->v[k];
        return NULL;
}

/* How a host path relates to the target it exposes, for the message:
 * "the host's /etc", "the host's /etc/ssh (in /etc)", "the host's /var,
 * which holds /var/lib/docker". */
static void describe(const char *alias, const struct host_target *t, char *buf, size_t len)
{
        int n = shown_len(t->given);
        if (strlen(alias) == (size_t)n && strncmp(alias, t->given, (size_t)n) == 0)
                snprintf(buf, len, "the host's %s", alias);
        else if (hostpath_below_dir(t->pattern, alias))
                snprintf(buf, len, "the host's %s, which holds %.*s", alias, n, t->given);
        else
                snprintf(buf, len, "the host's %s (in %.*s)", alias, n, t->given);
}

/* Judges one host path of a mount (and the mount's root by its inode);
 * true when a finding was made. */
static bool judge_alias(struct vctx *v, const struct mount_entry *m, const char *alias, bool have_st,
                        const struct stat *st, const struct targets *t)
{
        struct host_bind b = {.src = alias, .resolved = (char *)alias, .have_st = have_st, .readonly = m->readonly};
        const struct host_target *hit;
        char what[PATH_MAX + 256];

        if (have_st)
                b.st = *st;
        if ((hit = exposed(&b, t->sockets)) || (hit = exposed(&b, t->state))) {
                describe(alias, hit, what, sizeof(what));
                vreport(v, "engine-socket", ACTION_DENY, FILE_MI,
                        "%s is a bind of %s: the engine's socket or state, whoever reaches it controls the host",
                        m->point, what);
                return true;
        }
        if (allowed_alias(t->allowed, alias) || !(hit = exposed(&b, t->paths)))
                return false;
        describe(alias, hit, what, sizeof(what));
        if (m->readonly)
                vreport(v, "sensitive-mount", ACTION_WARN, FILE_MI, "%s is a read-only bind of %s", m->point, what);
        else
                vreport(v, "sensitive-mount", ACTION_DENY, FILE_MI, "%s is a bind of %s, writable", m->point, what);
        return true;
}

/* Whether a later mount covers this one (at its point or above it). */
static bool covered(const struct mount_table *t, size_t i)
{
        for (size_t k = i + 1; k < t->n; k++)
                if (path_is_under(t->v[i].point, t->v[k].point))
                        return true;
        return false;
}

static int judge_binds(struct vctx *v)
{
        struct targets t = {0};
        bool have_targets = false;
        _cleanup_jdoc_ struct jdoc *state_doc = NULL;

        for (size_t i = 0; i < v->f->mounts.n; i++) {
                const struct mount_entry *m = &v->f->mounts.v[i];
                _cleanup_(aliases_done) struct aliases al = {0};
                struct stat st;

                /* the root is the root file system's (verify_root); kernel
                 * file systems are judged by type; devpts and mqueue are
                 * the namespaces' own */
                if (STREQ(m->point, "/") || mount_fstype_kernel_class(m->fstype) || STREQ(m->fstype, "devpts") ||
                    STREQ(m->fstype, "mqueue"))
                        continue;
                if (aliases_of(v->f, m, &al) < 0)
                        return -ENOMEM;
                /* A device no mount of the host's shows (a fresh tmpfs) holds
                 * no host path: every target is stat()ed through those. */
                if (al.n == 0)
                        continue;
                if (!have_targets && (targets_get(v, "sensitive-mount", "paths", true, &t.paths) < 0 ||
                                      targets_get(v, "sensitive-mount", "allowed", false, &t.allowed) < 0 ||
                                      targets_get(v, "engine-socket", "sockets", true, &t.sockets) < 0 ||
                                      state_targets(v, &state_doc, &t.state) < 0))
                        return -ENOMEM;
                have_targets = true;
                /* A covered mount is judged by its names only: the stat of
                 * its point shows what covers it. */
                bool have_st =
                        !covered(&v->f->mounts, i) && v->probe->stat_in(v->probe->data, m->point, false, &st) == 0;
                bool found = false;
                for (size_t k = 0; k < al.n && !found; k++)
                        found = judge_alias(v, m, al.v[k], have_st, &st, &t);
        }
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
                vreport(v, "verify", ACTION_DENY, FILE_MI, "%s is writable inside %s, which the spec binds read-only%s",
                        m->point, dest, rro ? " (rro)" : ": \"ro\" is not recursive; use \"rro\"");
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
        }
        if (judge_binds(v) < 0)
                return -ENOMEM;
        judge_propagation(v);
        if (!v->s)
                return 0;
        const struct jv *mounts = jv_get(v->root, "mounts");
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++)
                judge_spec_mount(v, mounts, i);
        judge_paths(v, "maskedPaths", false);
        judge_paths(v, "readonlyPaths", true);
        return 0;
}
