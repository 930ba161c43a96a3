/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "rules.h"
#include "util.h"
#include "writable.h"

/* The container's own file systems: a read-only root, and the /proc and
 * /sys entries runc masks or makes read-only. Binds of host paths are in
 * binds.c. */

/* Gets parent[key] as a node of type t, creating it when absent; NULL when
 * it has another type (the check reported it) or on allocation failure. */
static struct jv *get_or_add(struct jdoc *d, struct jv *parent, const char *key, jv_type_t t)
{
        struct jv *v = jv_get(parent, key);
        if (v)
                return v->type == t ? v : NULL;
        v = jv_new(d, t);
        return v && jv_obj_put(d, parent, key, v) == 0 ? v : NULL;
}

/* --- readonly-rootfs ------------------------------------------------- */

/* A read-only root is only worth having if the images people run survive
 * it: they write to /run (pid files, sockets: postgres, apache2, cron), to
 * /tmp, and some to their own state directories (nginx to /var/lib/nginx).
 * The fix keeps the directories the image has of the policy's two lists
 * writable with a tmpfs that starts as a copy of them (writable.c), and
 * the rest of the root read-only. */

static const struct jv *volatile_dirs(const struct rule_ctx *ctx)
{
        return rule_param_strings(ctx, "tmpfs");
}
static const struct jv *extra_dirs(const struct rule_ctx *ctx)
{
        return rule_param_strings(ctx, "writable");
}

static int check_readonly_rootfs(struct rule_ctx *ctx)
{
        _cleanup_writable_plan_ struct writable_plan plan = {0};
        _cleanup_free_ char *paths = NULL;
        struct jv *root = NULL;
        bool ro = false;

        if (rule_get_object(ctx, ctx->spec->root, "root", &root) < 0)
                return 0;
        if (root && rule_get_bool(ctx, root, "readonly", &ro) < 0)
                return 0;
        /* Absent and an explicit false are the same to runc. */
        if (ro)
                return 0;
        const struct jv *at = root ? root : ctx->spec->root;
        const char *suffix = root ? "readonly" : "root/readonly";
        if (writable_plan_make(ctx->spec, volatile_dirs(ctx), extra_dirs(ctx), &plan) < 0)
                return -ENOMEM;
        if (plan.problem) {
                rule_report_unfixable(ctx, at, suffix,
                                      "the root file system is writable, and it cannot be made read-only with its "
                                      "volatile directories kept writable: %s; make the root read-only yourself "
                                      "(docker run --read-only, with a volume or tmpfs where it writes) or exempt "
                                      "the container",
                                      plan.problem);
                return 0;
        }
        if (plan.no_image) {
                rule_report(ctx, at, suffix,
                            "the root file system is writable; make it read-only (docker run --read-only) and give "
                            "the paths that need writing a tmpfs or a volume (the image is not here to see which)");
                return 0;
        }
        if (!(paths = writable_plan_paths(&plan)))
                return -ENOMEM;
        rule_report(ctx, at, suffix,
                    "the root file system is writable; it becomes read-only, with %s kept writable by a tmpfs "
                    "holding a copy of the image's (readonly-rootfs.tmpfs and .writable); a program that writes "
                    "anywhere else fails with \"Read-only file system\": give that path a volume (docker run -v), "
                    "list it in readonly-rootfs.writable, or exempt the container",
                    *paths ? paths : "nothing");
        return 0;
}

static int add_option(struct jdoc *d, struct jv *opts, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int add_option(struct jdoc *d, struct jv *opts, const char *fmt, ...)
{
        _cleanup_free_ char *o = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&o, fmt, ap);
        va_end(ap);
        return r < 0 ? -ENOMEM : jv_arr_push(d, opts, jv_new_string(d, o));
}

/* The tmpfs of one planned directory: its mode and owner are the image's
 * (crun does not copy the directory's own mode, runc does not copy its
 * owner), its size what is copied plus tmpfs-size. */
static struct jv *tmpfs_mount(struct rule_ctx *ctx, const struct writable_dir *w)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *m = jv_new(d, JV_OBJECT), *opts = jv_copy(d, rule_param_strings(ctx, "tmpfs-options"));
        uint64_t size = (uint64_t)rule_param_int(ctx, "tmpfs-size") + w->bytes;

        if (!m || !opts || jv_obj_put(d, m, "destination", jv_new_string(d, w->path)) < 0 ||
            jv_obj_put(d, m, "type", jv_new_string(d, "tmpfs")) < 0 ||
            jv_obj_put(d, m, "source", jv_new_string(d, "tmpfs")) < 0 ||
            add_option(d, opts, "mode=%o", (unsigned)w->mode) < 0 ||
            (w->uid >= 0 && add_option(d, opts, "uid=%" PRId64, w->uid) < 0) ||
            (w->gid >= 0 && add_option(d, opts, "gid=%" PRId64, w->gid) < 0) ||
            add_option(d, opts, "size=%" PRIu64 "k", (size + 1023) / 1024) < 0 ||
            (w->copy && add_option(d, opts, "tmpcopyup") < 0) || jv_obj_put(d, m, "options", opts) < 0)
                return NULL;
        return m;
}

/* Inserts v into arr at index i. */
static int arr_insert(struct jdoc *d, struct jv *arr, size_t i, struct jv *v)
{
        if (jv_arr_push(d, arr, v) < 0)
                return -ENOMEM;
        memmove(&arr->u.arr.v[i + 1], &arr->u.arr.v[i], (arr->u.arr.n - 1 - i) * sizeof(arr->u.arr.v[0]));
        arr->u.arr.v[i] = v;
        return 0;
}

static int by_before_descending(const void *a, const void *b)
{
        const struct writable_dir *x = a, *y = b;
        return x->before < y->before ? 1 : x->before > y->before ? -1 : strcmp(y->path, x->path);
}

static int fix_readonly_rootfs(struct rule_ctx *ctx, rh_error_t *err)
{
        _cleanup_writable_plan_ struct writable_plan plan = {0};
        struct jdoc *d = ctx->spec->doc;
        struct jv *root = get_or_add(d, ctx->spec->root, "root", JV_OBJECT), *mounts = NULL;

        if (!root || jv_obj_put(d, root, "readonly", jv_new_bool(d, true)) < 0)
                return rh_error_set(err, EINVAL, "cannot set root.readonly");
        if (writable_plan_make(ctx->spec, volatile_dirs(ctx), extra_dirs(ctx), &plan) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        if (plan.problem)
                return rh_error_set(err, EINVAL, "%s", plan.problem);
        if (plan.n && !(mounts = get_or_add(d, ctx->spec->root, "mounts", JV_ARRAY)))
                return rh_error_set(err, EINVAL, "cannot add to mounts");
        /* From the last place to the first, so that each index still
         * points where the plan found it. */
        if (plan.n > 1) /* qsort() wants a non-NULL base even for 0 items */
                qsort(plan.dirs, plan.n, sizeof(plan.dirs[0]), by_before_descending);
        for (size_t i = 0; i < plan.n; i++) {
                struct jv *m = tmpfs_mount(ctx, &plan.dirs[i]);
                if (!m || arr_insert(d, mounts, plan.dirs[i].before, m) < 0)
                        return rh_error_set(err, ENOMEM, "cannot add a tmpfs at %s", plan.dirs[i].path);
        }
        return 0;
}

/* The lists name directories of the image: absolute, and never the root. */
static int check_dir_list(const struct jv *v, rh_error_t *err)
{
        for (size_t i = 0; i < v->u.arr.n; i++) {
                const char *p = v->u.arr.v[i]->u.str.s;
                _cleanup_free_ char *n = path_normalize(p);
                if (p[0] != '/' || !n || STREQ(n, "/"))
                        return rh_error_set(err, EINVAL, "item %zu (\"%s\") must be an absolute path other than /", i,
                                            p);
        }
        return 0;
}

/* What the fix sets from the image and from tmpfs-size has no place here. */
static int check_tmpfs_options(const struct jv *v, rh_error_t *err)
{
        static const char *const computed[] = {
                "mode=", "uid=", "gid=", "size=", "nr_blocks=", "tmpcopyup", "notmpcopyup"};
        for (size_t i = 0; i < v->u.arr.n; i++)
                for (size_t k = 0; k < ARRAY_SIZE(computed); k++)
                        if (strncmp(v->u.arr.v[i]->u.str.s, computed[k], strlen(computed[k])) == 0)
                                return rh_error_set(err, EINVAL,
                                                    "item %zu (\"%s\"): the fix sets mode, owner and copying from "
                                                    "the image's directory, and the size from tmpfs-size",
                                                    i, v->u.arr.v[i]->u.str.s);
        return 0;
}

static const struct param_def readonly_rootfs_params[] = {
        {"tmpfs", PARAM_STRINGS, "[\"/run\", \"/var/run\", \"/run/lock\", \"/var/lock\", \"/tmp\", \"/var/tmp\"]", 0, 0,
         "the volatile directories kept writable (a tmpfs with a copy of the image's) when the fix makes the root "
         "read-only, where the image has them",
         check_dir_list},
        {"writable", PARAM_STRINGS, "[\"/var/lib/nginx\", \"/var/cache/nginx\"]", 0, 0,
         "more directories kept writable the same way, where the image has them: the state that common images "
         "write at start",
         check_dir_list},
        {"tmpfs-options", PARAM_STRINGS, "[\"rw\", \"nosuid\", \"nodev\", \"noexec\"]", 0, 0,
         "mount options of those tmpfs mounts (mode, owner and size are set by the fix)", check_tmpfs_options},
        {"tmpfs-size", PARAM_INT, "67108864", 1048576, INT64_MAX,
         "the room in bytes each of those tmpfs mounts has beyond the copy of the image's directory"},
        {0},
};

/* --- masked-paths ------------------------------------------------------ */

/* Reads linux.<key> as a list of strings; false when it cannot be judged
 * (reported as spec-invalid). */
static bool read_path_list(struct rule_ctx *ctx, const struct jv *l, const char *key, struct jv **ret)
{
        if (rule_get_array(ctx, l, key, ret) < 0)
                return false;
        for (size_t i = 0; *ret && i < (*ret)->u.arr.n; i++)
                if (!jv_is((*ret)->u.arr.v[i], JV_STRING)) {
                        rule_invalid(ctx, (*ret)->u.arr.v[i], NULL, "must be a string (runc refuses it)");
                        return false;
                }
        return true;
}

/* path is covered by an entry of list: the same path or one below an
 * entry (masking /proc/sys hides /proc/sys/kernel too). */
static bool covered(const struct jv *list, const char *path)
{
        _cleanup_free_ char *want = path_normalize(path);
        for (size_t i = 0; want && list && i < list->u.arr.n; i++) {
                const char *s;
                if (!jv_cstr(list->u.arr.v[i], &s))
                        continue;
                _cleanup_free_ char *have = path_normalize(s);
                if (have && path_is_under(want, have))
                        return true;
        }
        return false;
}

/* The required paths of param that neither list covers, comma-separated;
 * NULL when none is missing. */
static char *missing_paths(const struct rule_ctx *ctx, const char *param, const struct jv *a, const struct jv *b)
{
        const struct jv *want = rule_param_strings(ctx, param);
        char *buf = NULL;
        size_t len = 0;
        _cleanup_fclose_ FILE *f = open_memstream(&buf, &len);
        bool any = false;

        if (!f)
                return NULL;
        for (size_t i = 0; i < want->u.arr.n; i++) {
                const char *p = want->u.arr.v[i]->u.str.s;
                if (covered(a, p) || covered(b, p))
                        continue;
                fprintf(f, "%s%s", any ? ", " : "", p);
                any = true;
        }
        fclose(TAKE_PTR(f));
        if (!any) {
                free(buf);
                return NULL;
        }
        return buf;
}

static bool has_mount_namespace(const struct jv *l)
{
        const struct jv *ns = jv_get(l, "namespaces");
        const char *t;
        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++)
                if (jv_cstr(jv_get(ns->u.arr.v[i], "type"), &t) && STREQ(t, "mount"))
                        return true;
        return false;
}

static void report_missing(struct rule_ctx *ctx, const struct jv *l, const struct jv *list, const char *key,
                           const char *missing, const char *what)
{
        const struct jv *at = list ? list : l ? l : ctx->spec->root;
        const char *suffix = list ? NULL : l ? key : key[0] == 'm' ? "linux/maskedPaths" : "linux/readonlyPaths";

        /* runc can only mask in a private mount namespace (validator:
         * "unable to restrict sys entries"); host-namespace denies that. */
        if (!has_mount_namespace(l))
                rule_report_unfixable(ctx, at, suffix,
                                      "lacks %s, and without a private mount namespace runc cannot %s; give the "
                                      "container its own mount namespace",
                                      missing, what);
        else
                rule_report(ctx, at, suffix,
                            "lacks %s: the container can reach host kernel state there; %s (Docker and podman do "
                            "unless --privileged or --security-opt unmask=)",
                            missing, what);
}

static int check_masked_paths(struct rule_ctx *ctx)
{
        struct jv *l = NULL, *masked = NULL, *ro = NULL;

        if (rule_get_object(ctx, ctx->spec->root, "linux", &l) < 0 || !read_path_list(ctx, l, "maskedPaths", &masked) ||
            !read_path_list(ctx, l, "readonlyPaths", &ro))
                return 0;
        /* A masked path is hidden, stronger than read-only. */
        _cleanup_free_ char *m = missing_paths(ctx, "masked", masked, NULL);
        _cleanup_free_ char *r = missing_paths(ctx, "readonly", ro, masked);
        if (m)
                report_missing(ctx, l, masked, "maskedPaths", m, "mask them");
        if (r)
                report_missing(ctx, l, ro, "readonlyPaths", r, "make them read-only");
        return 0;
}

static int add_missing(struct rule_ctx *ctx, struct jv *l, const char *param, const char *key, const struct jv *also)
{
        struct jdoc *d = ctx->spec->doc;
        const struct jv *want = rule_param_strings(ctx, param);

        for (size_t i = 0; i < want->u.arr.n; i++) {
                _cleanup_free_ char *p = path_normalize(want->u.arr.v[i]->u.str.s);
                struct jv *list = get_or_add(d, l, key, JV_ARRAY);
                if (!p || !list)
                        return -EINVAL;
                if (covered(list, p) || covered(also, p))
                        continue;
                if (jv_arr_push(d, list, jv_new_string(d, p)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int fix_masked_paths(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jv *l = get_or_add(ctx->spec->doc, ctx->spec->root, "linux", JV_OBJECT);

        if (!l || add_missing(ctx, l, "masked", "maskedPaths", NULL) < 0 ||
            add_missing(ctx, l, "readonly", "readonlyPaths", jv_get(l, "maskedPaths")) < 0)
                return rh_error_set(err, EINVAL, "cannot add to linux.maskedPaths or linux.readonlyPaths");
        return 0;
}

static const struct param_def masked_paths_params[] = {
        {"masked", PARAM_STRINGS,
         "[\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\","
         " \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/proc/scsi\", \"/sys/firmware\","
         " \"/sys/devices/virtual/powercap\"]",
         0, 0, "paths that must be in linux.maskedPaths (or below one of its entries)"},
        {"readonly", PARAM_STRINGS,
         "[\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"]", 0, 0,
         "paths that must be in linux.readonlyPaths or linux.maskedPaths (or below one of their entries)"},
        {0},
};

const struct rule rules_mounts[] = {
        {
                .id = "readonly-rootfs",
                .summary = "the root file system is writable",
                .guide = "RUN-8",
                .default_action = ACTION_FIX,
                .default_exemptible = true,
                .scope = SCOPE_CONFIG,
                .params = readonly_rootfs_params,
                .check = check_readonly_rootfs,
                .fix = fix_readonly_rootfs,
        },
        {
                .id = "masked-paths",
                .summary = "kernel interfaces under /proc and /sys are not masked or read-only",
                .guide = "HOST-2",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG,
                .params = masked_paths_params,
                .check = check_masked_paths,
                .fix = fix_masked_paths,
        },
        {0},
};
