/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "auditlog.h"
#include "escape.h"
#include "host.h"
#include "mountinfo.h"
#include "overlay.h"
#include "report.h"
#include "rules/writable.h"
#include "runtime.h"
#include "util.h"
#include "writes.h"

/* Dry-run says what enforce would change; this says what that would have
 * broken. At create, a container that enforce would give a read-only root
 * (or a memory limit) is put on watch: a small file under DRYRUN_DIR says
 * where its root's writes land (the upper directory of its overlay, from
 * the mount table), which directories the fix would keep writable, and
 * the limit. At delete, runc-harden reads the upper directory (every path
 * the container wrote) and the memory cgroup's peak, and appends what it
 * saw to the audit log, where `runc-harden report` turns "nginx wrote
 * /var/lib/nginx/body" into "keep /var/lib/nginx writable".
 *
 * delete stays a pass-through: it never reads the policy, does nothing
 * for a container without a watch file (one failed open), and gives the
 * walk a bound in entries and time; whatever fails is logged and the
 * delete goes on. */

#define DRYRUN_DIR "/run/runc-harden/dry-run"
#define DRYRUN_MAX_ENTRIES 20000
#define DRYRUN_MAX_GROUPS 32
#define DRYRUN_DEADLINE_MS 250
/* A watch no delete ever came for (runc run, which deletes by itself; a
 * host that lost the container) is dropped after this long. */
#define DRYRUN_STALE_SECONDS (30 * 86400)

/* runc's own rule for ids ([\w+-.]+, not . or ..): anything else cannot
 * be a file name here, and runc refuses it anyway. */
static bool id_usable(const char *id)
{
        if (!id || !*id || STREQ(id, ".") || STREQ(id, "..") || strlen(id) > 1024)
                return false;
        for (const char *p = id; *p; p++)
                if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
                        return false;
        return true;
}

/* The watch file's name: the id and a hash of the runtime's state
 * directory (the same id may live under two roots). */
static char *watch_name(const struct runc_invocation *inv, const char *id)
{
        const char *root = inv->g.root ? inv->g.root : "";
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */
        char *name = NULL;

        for (const char *p = root; *p; p++)
                h = (h ^ (unsigned char)*p) * 1099511628211ULL;
        if (asprintf(&name, "%s.%016" PRIx64 ".json", id, h) < 0)
                return NULL;
        return name;
}

static const struct finding *fix_of(const struct eval *ev, const char *rule)
{
        for (size_t i = 0; i < ev->n; i++)
                if (!ev->findings[i].exempted && ev->findings[i].action == ACTION_FIX &&
                    STREQ(ev->findings[i].rule, rule))
                        return &ev->findings[i];
        return NULL;
}

static const struct rule_conf *conf_of(const struct checked *c, const struct eval *ev, const char *rule)
{
        size_t idx;
        if (!rules_find(rule, &idx))
                return NULL;
        return &policy_confs(c->policy, ev->entry)[idx];
}

static int push_str(struct jdoc *d, struct jv *arr, const char *s)
{
        return jv_arr_push(d, arr, jv_new_string(d, s));
}

/* Once each: the plan and the lists name the same directories. */
static int push_new(struct jdoc *d, struct jv *arr, const char *s)
{
        for (size_t i = 0; i < arr->u.arr.n; i++)
                if (STREQ(arr->u.arr.v[i]->u.str.s, s))
                        return 0;
        return push_str(d, arr, s);
}

/* The directories the readonly-rootfs fix would keep writable: its plan
 * for this image (symlinks resolved in the image), and the lists as
 * written where there is no plan. */
static int writable_dirs(const struct spec *s, const struct rule_conf *conf, struct jdoc *d, struct jv *out)
{
        const struct jv *lists[] = {jv_get_exact(conf->params, "tmpfs"), jv_get_exact(conf->params, "writable")};
        _cleanup_writable_plan_ struct writable_plan plan = {0};
        int k = 0;

        if (lists[0] && lists[1] && writable_plan_make(s, lists[0], lists[1], &plan) == -ENOMEM)
                return -ENOMEM;
        for (size_t i = 0; !k && i < plan.n; i++)
                k = push_new(d, out, plan.dirs[i].path);
        for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
                for (size_t i = 0; !k && jv_is(lists[l], JV_ARRAY) && i < lists[l]->u.arr.n; i++) {
                        const char *p;
                        if (jv_cstr(lists[l]->u.arr.v[i], &p))
                                k = push_new(d, out, p);
                }
        return k;
}

static int mount_destinations(const struct spec *s, struct jdoc *d, struct jv *out)
{
        const struct jv *mounts = jv_get(s->root, "mounts");
        int k = 0;
        for (size_t i = 0; !k && jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++) {
                const char *dest;
                if (!jv_cstr(jv_get(mounts->u.arr.v[i], "destination"), &dest))
                        continue;
                _cleanup_free_ char *n = path_normalize(dest);
                k = n ? push_str(d, out, n) : -ENOMEM;
        }
        return k;
}

/* The overlay the root file system is: its upper and lower directories. */
static int root_overlay(const struct spec *s, struct overlay_dirs *ret, rh_error_t *err)
{
        _cleanup_mount_table_ struct mount_table t = {0};
        _cleanup_free_ char *joined = NULL, *real = NULL;
        const char *path;

        if (!jv_cstr(jv_get(jv_get(s->root, "root"), "path"), &path))
                return rh_error_set(err, EINVAL, "the spec has no root.path");
        if (path[0] != '/' && asprintf(&joined, "%s/%s", s->bundle ? s->bundle : ".", path) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (!(real = realpath(joined ? joined : path, NULL)))
                return rh_error_set(err, errno, "the root file system %s: %m", joined ? joined : path);
        if (mount_table_read("/proc/self/mountinfo", &t, err) < 0)
                return -EINVAL;
        const struct mount_entry *m = mount_table_find(&t, real);
        if (!m || !STREQ(m->point, real) || !STREQ(m->fstype, "overlay"))
                return rh_error_set(err, ENOTSUP,
                                    "the root file system %s is not an overlay mount: what the "
                                    "container writes there cannot be told apart from the image",
                                    real);
        int r = overlay_dirs_parse(m->super, m->point, ret);
        if (r == -ENOENT)
                return rh_error_set(err, ENOTSUP, "the root file system's overlay has no upper directory");
        return r < 0 ? rh_error_set(err, -r, "out of memory") : 0;
}

static int watch_doc(struct checked *c, const struct spec *s, const struct eval *ev, const char *id, struct jdoc *d,
                     rh_error_t *err)
{
        struct auditlog log = policy_auditlog(c->policy);
        struct jv *o = jv_new(d, JV_OBJECT), *al = jv_new(d, JV_OBJECT), *wl = NULL;
        char now[32];
        int k;

        auditlog_time_format(time(NULL), now, sizeof(now));
        if (!o || !al)
                return rh_error_set(err, ENOMEM, "out of memory");
        d->root = o;
        /* what changes in the root from now on is the container's (the
         * kernel's own coarse clock, as file times are kept) */
        struct timespec since;
        clock_gettime(CLOCK_REALTIME_COARSE, &since);
        k = jv_obj_put(d, o, "container", jv_new_string(d, id));
        k = k ?: jv_obj_put(d, o, "time", jv_new_string(d, now));
        k = k ?: jv_obj_put(d, o, "since-sec", jv_new_int(d, since.tv_sec));
        k = k ?: jv_obj_put(d, o, "since-nsec", jv_new_int(d, since.tv_nsec));
        k = k ?: jv_obj_put(d, al, "path", jv_new_string(d, log.path));
        k = k ?: jv_obj_put(d, al, "size", jv_new_int(d, (int64_t)log.max_size));
        k = k ?: jv_obj_put(d, al, "keep", jv_new_int(d, log.keep));
        k = k ?: jv_obj_put(d, o, "audit-log", al);
        if (!k && s->workload && workload_known(s->workload) && (k = workload_to_json(s->workload, d, &wl)) == 0)
                k = jv_obj_put(d, o, "workload", wl);
        if (k < 0)
                return rh_error_set(err, ENOMEM, "out of memory");

        const struct rule_conf *mem = conf_of(c, ev, "memory-limit");
        if (fix_of(ev, "memory-limit") && mem) {
                int64_t def = 0, max = 0;
                jv_int64(jv_get_exact(mem->params, "default"), &def);
                jv_int64(jv_get_exact(mem->params, "max"), &max);
                if (jv_obj_put(d, o, "memory-limit", jv_new_int(d, max > 0 && def > max ? max : def)) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        const struct rule_conf *ro = conf_of(c, ev, "readonly-rootfs");
        if (fix_of(ev, "readonly-rootfs") && ro) {
                _cleanup_(overlay_dirs_done) struct overlay_dirs ov = {0};
                struct jv *r = jv_new(d, JV_OBJECT), *lower = jv_new(d, JV_ARRAY), *w = jv_new(d, JV_ARRAY),
                          *m = jv_new(d, JV_ARRAY);
                _cleanup_error_ rh_error_t why = RH_ERROR_INIT;
                if (!r || !lower || !w || !m)
                        return rh_error_set(err, ENOMEM, "out of memory");
                /* Without an overlay the writes cannot be seen; the delete
                 * record says so, and the rest is still watched. */
                if (root_overlay(s, &ov, &why) < 0)
                        return jv_obj_put(d, o, "rootfs-error", jv_new_string(d, rh_error_msg(&why))) < 0
                                       ? rh_error_set(err, ENOMEM, "out of memory")
                                       : 0;
                k = jv_obj_put(d, r, "upper", jv_new_string(d, ov.upper));
                for (size_t i = 0; !k && i < ov.n_lower; i++)
                        k = push_str(d, lower, ov.lower[i]);
                k = k ?: jv_obj_put(d, r, "lower", lower);
                k = k ?: writable_dirs(s, ro, d, w);
                k = k ?: jv_obj_put(d, r, "writable", w);
                k = k ?: mount_destinations(s, d, m);
                k = k ?: jv_obj_put(d, r, "mounts", m);
                k = k ?: jv_obj_put(d, o, "rootfs", r);
                if (k < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static void say(struct checked *c, const char *what, const rh_error_t *err)
{
        _cleanup_free_ char *msg = NULL;
        if (asprintf(&msg, "runc-harden: dry-run: %s: %s", what, rh_error_msg(err)) >= 0)
                rh_log_write(&c->log, "warning", msg);
        if (access(_PATH_LOG, W_OK) == 0)
                syslog(LOG_WARNING, "dry-run: %s: %s", what, rh_error_msg(err));
}

/* Drops watch files older than DRYRUN_STALE_SECONDS: /run is emptied at
 * boot, but a long-running host would keep what no delete took. */
static void sweep_stale(int dfd)
{
        int fd = dup(dfd);
        DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
        time_t now = time(NULL);
        struct dirent *de;
        struct stat st;

        if (!d) {
                if (fd >= 0)
                        close(fd);
                return;
        }
        while ((de = readdir(d)))
                if (de->d_name[0] != '.' && fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    now - st.st_mtime > DRYRUN_STALE_SECONDS)
                        unlinkat(dfd, de->d_name, 0);
        closedir(d);
}

void dryrun_watch(struct checked *c, const struct spec *s, const struct eval *ev, const char *id)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_free_ char *name = NULL, *json = NULL;
        _cleanup_close_ int dfd = -1;
        size_t len;

        if (!c->policy->audit_log || !id_usable(id) || (!fix_of(ev, "readonly-rootfs") && !fix_of(ev, "memory-limit")))
                return;
        if (!d || !(name = watch_name(c->inv, id))) {
                rh_error_set(&err, ENOMEM, "out of memory");
                goto fail;
        }
        if (watch_doc(c, s, ev, id, d, &err) < 0 || jv_serialize(d->root, false, &json, &len, &err) < 0)
                goto fail;
        if (mkdir("/run/runc-harden", 0700) < 0 && errno != EEXIST) {
                rh_error_set(&err, errno, "/run/runc-harden: %m");
                goto fail;
        }
        if (mkdir(DRYRUN_DIR, 0700) < 0 && errno != EEXIST) {
                rh_error_set(&err, errno, DRYRUN_DIR ": %m");
                goto fail;
        }
        if ((dfd = open(DRYRUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
                rh_error_set(&err, errno, DRYRUN_DIR ": %m");
                goto fail;
        }
        if (spec_write_atomic(dfd, name, json, len, NULL, &err) < 0)
                goto fail;
        sweep_stale(dfd);
        return;
fail:
        say(c, "the container is not watched for what enforce would break", &err);
}

/* --- at delete ---------------------------------------------------------------- */

static const char *const *strings_of(const struct jv *arr, size_t *ret_n)
{
        static const char *none[1];
        const char **v;
        *ret_n = 0;
        if (!jv_is(arr, JV_ARRAY) || !arr->u.arr.n || !(v = calloc(arr->u.arr.n + 1, sizeof(*v))))
                return none;
        for (size_t i = 0; i < arr->u.arr.n; i++)
                if (jv_cstr(arr->u.arr.v[i], &v[*ret_n]))
                        (*ret_n)++;
        if (*ret_n == 0) {
                free(v);
                return none;
        }
        return v;
}

static void strings_free(const char *const *v)
{
        if (v && *v != NULL) /* the shared empty list holds one NULL */
                free((void *)v);
}

static int observe_writes(const struct jv *watch, const struct jv *rootfs, struct jdoc *d, struct jv *out,
                          rh_error_t *err)
{
        struct writes_scan o = {
                .max_entries = DRYRUN_MAX_ENTRIES, .max_groups = DRYRUN_MAX_GROUPS, .deadline_ms = DRYRUN_DEADLINE_MS};
        _cleanup_writes_ struct writes w = {0};
        int64_t sec = 0, nsec = 0;
        int k;

        if (jv_int64(jv_get_exact(watch, "since-sec"), &sec) == 0 &&
            jv_int64(jv_get_exact(watch, "since-nsec"), &nsec) == 0)
                o.since = (struct timespec){.tv_sec = sec, .tv_nsec = nsec};

        if (!jv_cstr(jv_get_exact(rootfs, "upper"), &o.upper))
                return rh_error_set(err, EINVAL, "the watch names no upper directory");
        o.lower = strings_of(jv_get_exact(rootfs, "lower"), &o.n_lower);
        o.writable = strings_of(jv_get_exact(rootfs, "writable"), &o.n_writable);
        o.mounts = strings_of(jv_get_exact(rootfs, "mounts"), &o.n_mounts);
        k = writes_scan(&o, &w, err);
        strings_free(o.lower);
        strings_free(o.writable);
        strings_free(o.mounts);
        if (k < 0)
                return k;
        struct jv *groups = jv_new(d, JV_ARRAY);
        k = groups ? 0 : -ENOMEM;
        for (size_t i = 0; !k && i < w.n; i++) {
                const struct write_group *g = &w.groups[i];
                struct jv *go = jv_new(d, JV_OBJECT), *ex = jv_new(d, JV_ARRAY);
                k = go && ex ? 0 : -ENOMEM;
                k = k ?: jv_obj_put(d, go, "dir", rh_escape_jv(d, g->dir));
                k = k ?: jv_obj_put(d, go, "count", jv_new_int(d, (int64_t)g->count));
                k = k ?: jv_obj_put(d, go, "removed", jv_new_int(d, (int64_t)g->removed));
                /* the container chose these names: any bytes at all */
                for (size_t e = 0; !k && e < g->n_examples; e++)
                        k = jv_arr_push(d, ex, rh_escape_jv(d, g->examples[e]));
                k = k ?: jv_obj_put(d, go, "paths", ex);
                k = k ?: jv_arr_push(d, groups, go);
        }
        k = k ?: jv_obj_put(d, out, "writes", groups);
        k = k ?: jv_obj_put(d, out, "entries", jv_new_int(d, (int64_t)w.entries));
        k = k ?: jv_obj_put(d, out, "truncated", jv_new_bool(d, w.truncated));
        return k < 0 ? rh_error_set(err, ENOMEM, "out of memory") : 0;
}

static int read_u64(const char *path, uint64_t *ret)
{
        char buf[32];
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;
        if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
                return -errno ?: -EIO;
        buf[n] = '\0';
        char *end;
        errno = 0;
        *ret = strtoull(buf, &end, 10);
        return errno || end == buf ? -EINVAL : 0;
}

/* The memory cgroup's peak, from runc's state (its cgroup paths) before
 * runc removes the cgroup: cgroup v1's max_usage_in_bytes, v2's peak. */
static int memory_peak(const struct runc_invocation *inv, const char *id, uint64_t *ret)
{
        _cleanup_free_ char *dir = NULL, *buf = NULL, *file = NULL;
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_jdoc_ struct jdoc *st = NULL;
        _cleanup_close_ int dfd = -1, fd = -1;
        const char *cg;
        size_t len;

        if (asprintf(&dir, "%s/%s", inv->g.root ? inv->g.root : "/run/runc", id) < 0)
                return -ENOMEM;
        if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
            spec_open_regular(dfd, "state.json", &fd, NULL, &err) < 0 || spec_read_fd(fd, &buf, &len, &err) < 0 ||
            jdoc_parse(buf, len, &st, &err) < 0)
                return -ENOENT;
        const struct jv *paths = jv_get_exact(st->root, "cgroup_paths");
        const char *leaf = "memory.max_usage_in_bytes";
        if (!jv_cstr(jv_get_exact(paths, "memory"), &cg)) {
                leaf = "memory.peak";
                if (!jv_cstr(jv_get_exact(paths, ""), &cg))
                        return -ENOENT;
        }
        if (asprintf(&file, "%s/%s", cg, leaf) < 0)
                return -ENOMEM;
        return read_u64(file, ret);
}

static void record_error(struct jdoc *d, struct jv *o, const char *what, const rh_error_t *err)
{
        _cleanup_free_ char *msg = NULL;
        if (asprintf(&msg, "%s: %s", what, rh_error_msg(err)) >= 0)
                jv_obj_put(d, o, "error", rh_escape_jv(d, msg));
        if (access(_PATH_LOG, W_OK) == 0)
                syslog(LOG_WARNING, "dry-run at delete: %s: %s", what, rh_error_msg(err));
}

static void observe(const struct runc_invocation *inv, const char *id, const struct jv *watch)
{
        _cleanup_jdoc_ struct jdoc *d = jdoc_new();
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *json = NULL, *line = NULL;
        const struct jv *al = jv_get_exact(watch, "audit-log"), *x;
        struct auditlog log = {0};
        struct jv *o, *seen;
        int64_t n;
        char now[32];

        if (!d || !(o = jv_new(d, JV_OBJECT)) || !(seen = jv_new(d, JV_OBJECT)))
                return;
        if (!jv_cstr(jv_get_exact(al, "path"), &log.path) || log.path[0] != '/')
                return;
        log.max_size =
                jv_int64(jv_get_exact(al, "size"), &n) == 0 && n > 0 ? (uint64_t)n : POLICY_AUDIT_LOG_SIZE_DEFAULT;
        log.keep = jv_int64(jv_get_exact(al, "keep"), &n) == 0 && n >= 0 && n <= AUDITLOG_MAX_KEEP ? (unsigned)n : 0;
        auditlog_time_format(time(NULL), now, sizeof(now));
        jv_obj_put(d, o, "time", jv_new_string(d, now));
        jv_obj_put(d, o, "command", jv_new_string(d, "delete"));
        jv_obj_put(d, o, "container", rh_escape_jv(d, id));
        jv_obj_put(d, o, "mode", jv_new_string(d, "dry-run"));
        if ((x = jv_get_exact(watch, "time")))
                jv_obj_put(d, o, "created", jv_copy(d, x));
        if ((x = jv_get_exact(watch, "workload")))
                jv_obj_put(d, o, "workload", jv_copy(d, x));
        if ((x = jv_get_exact(watch, "rootfs"))) {
                struct timespec a, b;
                clock_gettime(CLOCK_MONOTONIC, &a);
                if (observe_writes(watch, x, d, seen, &err) < 0)
                        record_error(d, o, "reading what the container wrote", &err);
                clock_gettime(CLOCK_MONOTONIC, &b);
                jv_obj_put(d, seen, "scan-ms",
                           jv_new_int(d, (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000));
                jv_obj_put(d, seen, "writable", jv_copy(d, jv_get_exact(x, "writable")));
        }
        if ((x = jv_get_exact(watch, "rootfs-error")))
                jv_obj_put(d, seen, "writes-error", jv_copy(d, x));
        if (jv_int64(jv_get_exact(watch, "memory-limit"), &n) == 0) {
                uint64_t peak = 0;
                jv_obj_put(d, seen, "memory-limit", jv_new_int(d, n));
                if (memory_peak(inv, id, &peak) == 0)
                        jv_obj_put(d, seen, "memory-peak", jv_new_int(d, (int64_t)peak));
        }
        jv_obj_put(d, o, "observed", seen);
        if (jv_serialize(o, false, &json, NULL, &err) < 0 || asprintf(&line, "%s\n", json) < 0)
                return;
        if (auditlog_append(&log, line, &err) < 0 && access(_PATH_LOG, W_OK) == 0)
                syslog(LOG_ERR, "dry-run at delete: the audit log: %s", rh_error_msg(&err));
}

void dryrun_at_delete(const struct runc_invocation *inv)
{
        _cleanup_error_ rh_error_t err = RH_ERROR_INIT;
        _cleanup_free_ char *name = NULL, *buf = NULL;
        _cleanup_jdoc_ struct jdoc *watch = NULL;
        _cleanup_close_ int dfd = -1, fd = -1;
        size_t len;

        if (!id_usable(inv->container_id) || !(name = watch_name(inv, inv->container_id)))
                return;
        if ((dfd = open(DRYRUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
                return; /* nothing was ever watched */
        if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
                return;
        /* Taken once: a second delete (a retry, --force after a failure)
         * finds nothing. */
        unlinkat(dfd, name, 0);
        if (spec_read_fd(fd, &buf, &len, &err) < 0 || jdoc_parse(buf, len, &watch, &err) < 0 ||
            !jv_is(watch->root, JV_OBJECT)) {
                if (access(_PATH_LOG, W_OK) == 0)
                        syslog(LOG_WARNING, "dry-run at delete: %s: %s", name, rh_error_msg(&err));
                return;
        }
        openlog("runc-harden", LOG_PID, LOG_AUTHPRIV);
        observe(inv, inv->container_id, watch->root);
        closelog();
}
