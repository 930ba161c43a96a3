/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "rules.h"
#include "util.h"

/* The container's own file systems: a read-only root, and the /proc and
 * /sys entries runc masks or makes read-only. Binds of host paths are in
 * binds.c. */

static bool has_mount_at(const struct jv *mounts, const char *dest)
{
        _cleanup_free_ char *want = path_normalize(dest);
        for (size_t i = 0; want && jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++) {
                const char *d;
                if (!jv_cstr(jv_get(mounts->u.arr.v[i], "destination"), &d))
                        continue;
                /* runc takes a relative destination from the rootfs, as
                 * path_normalize() does from "/". */
                _cleanup_free_ char *a = path_normalize(d);
                if (a && STREQ(a, want))
                        return true;
        }
        return false;
}

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

static int check_readonly_rootfs(struct rule_ctx *ctx)
{
        struct jv *root = NULL;
        bool ro = false;

        if (rule_get_object(ctx, ctx->spec->root, "root", &root) < 0)
                return 0;
        if (root && rule_get_bool(ctx, root, "readonly", &ro) < 0)
                return 0;
        /* Absent and an explicit false are the same to runc. */
        if (!ro)
                rule_report(ctx, root ? root : ctx->spec->root, root ? "readonly" : "root/readonly",
                            "the root file system is writable; make it read-only (docker run --read-only) and "
                            "give the paths that need writing a tmpfs or a volume");
        return 0;
}

static int fix_readonly_rootfs(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        const struct jv *paths = rule_param_strings(ctx, "tmpfs"), *opts = rule_param_strings(ctx, "tmpfs-options");
        struct jv *root = get_or_add(d, ctx->spec->root, "root", JV_OBJECT);

        if (!root || jv_obj_put(d, root, "readonly", jv_new_bool(d, true)) < 0)
                return rh_error_set(err, EINVAL, "cannot set root.readonly");
        for (size_t i = 0; i < paths->u.arr.n; i++) {
                _cleanup_free_ char *p = path_normalize(paths->u.arr.v[i]->u.str.s);
                if (!p)
                        return rh_error_set(err, ENOMEM, "out of memory");
                if (has_mount_at(jv_get(ctx->spec->root, "mounts"), p))
                        continue;
                struct jv *mounts = get_or_add(d, ctx->spec->root, "mounts", JV_ARRAY);
                struct jv *m = jv_new(d, JV_OBJECT);
                if (!mounts || !m || jv_obj_put(d, m, "destination", jv_new_string(d, p)) < 0 ||
                    jv_obj_put(d, m, "type", jv_new_string(d, "tmpfs")) < 0 ||
                    jv_obj_put(d, m, "source", jv_new_string(d, "tmpfs")) < 0 ||
                    jv_obj_put(d, m, "options", jv_copy(d, opts)) < 0 || jv_arr_push(d, mounts, m) < 0)
                        return rh_error_set(err, EINVAL, "cannot add a tmpfs at %s", p);
        }
        return 0;
}

static const struct param_def readonly_rootfs_params[] = {
        {"tmpfs", PARAM_STRINGS, "[\"/tmp\"]", 0, 0,
         "paths that get a writable tmpfs when the fix makes the root read-only (unless already mounted)"},
        {"tmpfs-options", PARAM_STRINGS, "[\"rw\", \"nosuid\", \"nodev\", \"noexec\", \"mode=1777\", \"size=65536k\"]",
         0, 0, "mount options of those tmpfs mounts; keep a size= limit"},
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
