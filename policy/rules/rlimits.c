/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "host.h"
#include "resources.h"
#include "rules.h"
#include "util.h"

/* Per-process resource limits (guide RUN-10): open files and processes,
 * in process.rlimits of the container and of every exec process.
 *
 * runc 1.1.5 sets only the rlimits a process lists. The container's first
 * process and an exec built from flags take them from config.json, but an
 * exec process file (docker exec, podman exec, crictl exec) is used as it
 * is: without rlimits the process keeps runc's own, those of the engine's
 * shim (20000 open files and 96365 processes here). So exec processes are
 * given the container's, from its config.json (spec->container). */

/* Raising a hard limit above runc's own takes CAP_SYS_RESOURCE in the
 * initial user namespace (prlimit(2)); without it runc fails the start
 * with "error setting rlimit type 7: operation not permitted". runc runs
 * with runc-harden's limits and capabilities, so that is asked here. */
static bool can_raise_limits(void)
{
        static int known = -1;

        if (known >= 0)
                return known;
        known = host_initial_userns() && capng_get_caps_process() == 0 &&
                capng_have_capability(CAPNG_EFFECTIVE, CAP_SYS_RESOURCE) == 1;
        return known;
}

uint64_t rlimit_ceiling_real(int resource)
{
        struct rlimit rl;

        if (can_raise_limits() || getrlimit(resource, &rl) < 0 || rl.rlim_max == RLIM_INFINITY)
                return UINT64_MAX;
        return rl.rlim_max;
}

static rlimit_ceiling_fn ceiling = rlimit_ceiling_real;

rlimit_ceiling_fn rlimit_ceiling_set(rlimit_ceiling_fn fn)
{
        rlimit_ceiling_fn old = ceiling;
        ceiling = fn ? fn : rlimit_ceiling_real;
        return old;
}

/* What runc can set; anything in lint, which does not run on the host that
 * will start the container. */
static uint64_t grantable(const struct rule_ctx *ctx, int resource)
{
        return ctx->spec->offline ? UINT64_MAX : ceiling(resource);
}

struct limit_type {
        const char *type;   /* as runc names it */
        const char *ulimit; /* docker run --ulimit NAME */
        int resource;
        const char *params; /* where the default comes from, for the messages */
        const char *beyond; /* what a process meets at the limit */
};

static const struct limit_type nofile = {"RLIMIT_NOFILE", "nofile", RLIMIT_NOFILE,
                                         "the policy's nofile-limit.soft and .hard",
                                         "\"Too many open files\" (EMFILE)"};
static const struct limit_type nproc = {"RLIMIT_NPROC", "nproc", RLIMIT_NPROC,
                                        "the policy's nproc-limit.soft and .hard",
                                        "\"Resource temporarily unavailable\" at fork (EAGAIN)"};

/* The entry of type in a process's rlimits, values read; NULL if none. */
static const struct jv *find_rlimit(struct rule_ctx *ctx, const struct jv *list, const char *type, uint64_t *ret_soft,
                                    uint64_t *ret_hard)
{
        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++) {
                const char *t;
                if (resources_read_rlimit(ctx, list->u.arr.v[i], false, &t, ret_soft, ret_hard) == 0 && STREQ(t, type))
                        return list->u.arr.v[i];
        }
        return NULL;
}

static const struct jv *container_rlimits(const struct rule_ctx *ctx)
{
        if (ctx->kind != CHECK_EXEC || !ctx->spec->container)
                return NULL;
        return jv_get(jv_get(ctx->spec->container->root, "process"), "rlimits");
}

/* What a process without an entry of type gets: for an exec process the
 * container's, else the policy's default; never above max nor above what
 * runc can set. ret_from says where it comes from, for the messages;
 * true when it was lowered to what runc can set. */
static bool missing_value(struct rule_ctx *ctx, const struct limit_type *lt, uint64_t *ret_soft, uint64_t *ret_hard,
                          const char **ret_from)
{
        bool lowered = false;

        uint64_t soft, hard, max = (uint64_t)rule_param_int(ctx, "max"), most = grantable(ctx, lt->resource);

        if (find_rlimit(ctx, container_rlimits(ctx), lt->type, &soft, &hard)) {
                *ret_from = "the container's";
        } else {
                soft = (uint64_t)rule_param_int(ctx, "soft");
                hard = (uint64_t)rule_param_int(ctx, "hard");
                *ret_from = lt->params;
        }
        if (max > 0 && hard > max)
                hard = max;
        if (hard > most) {
                hard = most;
                lowered = true;
        }
        if (soft > hard)
                soft = hard;
        *ret_soft = soft;
        *ret_hard = hard;
        return lowered;
}

static void report_missing(struct rule_ctx *ctx, const struct limit_type *lt, const struct jv *proc,
                           const struct jv *list)
{
        uint64_t soft, hard;
        const char *from, *rest = NULL;
        const struct jv *at = list ? list : resources_locate(proc, "rlimits", &rest);

        const char *lowered =
                missing_value(ctx, lt, &soft, &hard, &from) ? ", the hard one lowered to what runc can set here" : "";
        if (ctx->kind == CHECK_EXEC)
                rule_report(ctx, at, list ? NULL : rest,
                            "has no %s: runc sets no limit an exec process file does not list, so the process "
                            "would keep runc's own (that of the engine's shim); it gets %s, %" PRIu64 ":%" PRIu64 "%s",
                            lt->type, from, soft, hard, lowered);
        else
                rule_report(ctx, at, list ? NULL : rest,
                            "has no %s: the processes would inherit the limit of whoever started runc (often a "
                            "very large one); it becomes %" PRIu64 ":%" PRIu64 " (%s%s): beyond it a process "
                            "meets %s; set your own with docker run --ulimit %s=SOFT:HARD",
                            lt->type, soft, hard, from, lowered, lt->beyond, lt->ulimit);
}

static int check_rlimit(struct rule_ctx *ctx, const struct limit_type *lt, bool report_malformed)
{
        struct jv *proc = NULL, *list = NULL;
        uint64_t max = (uint64_t)rule_param_int(ctx, "max"), most = grantable(ctx, lt->resource);
        bool found = false;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_array(ctx, proc, "rlimits", &list) < 0)
                return 0;
        for (size_t i = 0; list && i < list->u.arr.n; i++) {
                const struct jv *e = list->u.arr.v[i];
                const char *t;
                uint64_t soft, hard;
                if (resources_read_rlimit(ctx, e, report_malformed, &t, &soft, &hard) < 0) {
                        if (report_malformed)
                                return 0;
                        continue;
                }
                if (!STREQ(t, lt->type))
                        continue;
                found = true;
                uint64_t high = hard > soft ? hard : soft;
                if (max == 0 && high == RLIM_INFINITY) {
                        /* docker run --ulimit nproc=-1: asked for, but no limit */
                        uint64_t s2, h2;
                        const char *from;
                        (void)missing_value(ctx, lt, &s2, &h2, &from);
                        rule_report(ctx, e, NULL,
                                    "sets %s to unlimited (%" PRIu64 "), which is no limit at all; it becomes "
                                    "%" PRIu64 ":%" PRIu64
                                    " (%s); set a finite one with docker run --ulimit %s=SOFT:HARD",
                                    lt->type, high, s2, h2, from, lt->ulimit);
                } else if (max > 0 && high > max)
                        rule_report_unfixable(ctx, e, NULL,
                                              "allows %s up to %" PRIu64 ", above the policy's maximum of %" PRIu64
                                              "; lower it (docker run --ulimit %s=SOFT:HARD)",
                                              lt->type, high, max, lt->ulimit);
                else if (high > most)
                        /* podman asks for 1048576 by default. */
                        rule_report(ctx, e, NULL,
                                    "asks for %s up to %" PRIu64 ", more than runc can set here (its own hard limit "
                                    "is %" PRIu64 " and it lacks CAP_SYS_RESOURCE), so runc would fail to start the "
                                    "process; it is lowered to %" PRIu64,
                                    lt->type, high, most, most);
        }
        if (!found)
                report_missing(ctx, lt, proc, list);
        return 0;
}

/* Lowers the entries of type to what runc can set, or adds the missing
 * one; what is already right is left alone, so that this may run after
 * another fix has added the entry. */
static int fix_rlimit(struct rule_ctx *ctx, const struct limit_type *lt, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *proc = jv_get(ctx->spec->root, "process"), *list, *e;
        uint64_t most = grantable(ctx, lt->resource), soft, hard;
        bool found = false;
        const char *from;

        if (!jv_is(proc, JV_OBJECT))
                return rh_error_set(err, EINVAL, "no process to give %s", lt->type);
        list = jv_get(proc, "rlimits");
        if (!list && jv_obj_put(d, proc, "rlimits", list = jv_new(d, JV_ARRAY)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.rlimits");
        for (size_t i = 0; i < list->u.arr.n; i++) {
                const char *t;
                e = list->u.arr.v[i];
                if (resources_read_rlimit(ctx, e, false, &t, &soft, &hard) < 0 || !STREQ(t, lt->type))
                        continue;
                found = true;
                if (hard == RLIM_INFINITY || soft == RLIM_INFINITY) {
                        uint64_t s2, h2;
                        (void)missing_value(ctx, lt, &s2, &h2, &from);
                        if (resources_put_int(d, e, "hard", (int64_t)h2) < 0 ||
                            resources_put_int(d, e, "soft", (int64_t)(soft < s2 ? soft : s2)) < 0)
                                return rh_error_set(err, ENOMEM, "cannot limit %s", lt->type);
                        continue;
                }
                if ((hard > most && resources_put_int(d, e, "hard", (int64_t)most) < 0) ||
                    (soft > most && resources_put_int(d, e, "soft", (int64_t)most) < 0))
                        return rh_error_set(err, ENOMEM, "cannot lower %s", lt->type);
        }
        if (found)
                return 0;
        (void)missing_value(ctx, lt, &soft, &hard, &from);
        if (!(e = jv_new(d, JV_OBJECT)) || jv_obj_put(d, e, "type", jv_new_string(d, lt->type)) < 0 ||
            resources_put_int(d, e, "hard", (int64_t)hard) < 0 || resources_put_int(d, e, "soft", (int64_t)soft) < 0 ||
            jv_arr_push(d, list, e) < 0)
                return rh_error_set(err, ENOMEM, "cannot add %s", lt->type);
        return 0;
}

static int check_nofile_limit(struct rule_ctx *ctx)
{
        return check_rlimit(ctx, &nofile, true);
}
static int fix_nofile_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        return fix_rlimit(ctx, &nofile, err);
}
static int check_nproc_limit(struct rule_ctx *ctx)
{
        return check_rlimit(ctx, &nproc, false);
}
static int fix_nproc_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        return fix_rlimit(ctx, &nproc, err);
}

/* --- exec-rlimits ---------------------------------------------------------- */

/* The other limits the container has (docker run --ulimit core=0, a
 * daemon's default-ulimits): an exec process file that lacks them would
 * run with runc's own. NOFILE and NPROC are the two rules' above. */
static bool exec_lacks(struct rule_ctx *ctx, const struct jv *list, const struct jv *e, const char **ret_type)
{
        uint64_t soft, hard;

        if (resources_read_rlimit(ctx, e, false, ret_type, &soft, &hard) < 0 || STREQ(*ret_type, nofile.type) ||
            STREQ(*ret_type, nproc.type))
                return false;
        return !find_rlimit(ctx, list, *ret_type, &soft, &hard);
}

static int check_exec_rlimits(struct rule_ctx *ctx)
{
        const struct jv *have = container_rlimits(ctx);
        struct jv *proc = NULL, *list = NULL;
        char names[512] = "";
        size_t used = 0;
        const char *t, *rest = NULL;

        if (!have || rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_array(ctx, proc, "rlimits", &list) < 0)
                return 0;
        for (size_t i = 0; jv_is(have, JV_ARRAY) && i < have->u.arr.n; i++)
                if (exec_lacks(ctx, list, have->u.arr.v[i], &t) && used < sizeof(names))
                        used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "", t);
        if (!used)
                return 0;
        const struct jv *at = list ? list : resources_locate(proc, "rlimits", &rest);
        rule_report(ctx, at, list ? NULL : rest,
                    "lacks %s, which the container has: runc sets no limit an exec process file does not list, so "
                    "the process would keep runc's own; it gets the container's",
                    names);
        return 0;
}

static int fix_exec_rlimits(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        const struct jv *have = container_rlimits(ctx);
        struct jv *proc = jv_get(ctx->spec->root, "process"), *list;
        const char *t;

        if (!jv_is(proc, JV_OBJECT))
                return rh_error_set(err, EINVAL, "no process to give rlimits");
        list = jv_get(proc, "rlimits");
        if (!list && jv_obj_put(d, proc, "rlimits", list = jv_new(d, JV_ARRAY)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.rlimits");
        for (size_t i = 0; jv_is(have, JV_ARRAY) && i < have->u.arr.n; i++)
                if (exec_lacks(ctx, list, have->u.arr.v[i], &t) &&
                    jv_arr_push(d, list, jv_copy(d, have->u.arr.v[i])) < 0)
                        return rh_error_set(err, ENOMEM, "cannot add %s", t);
        return 0;
}

static const struct param_def nofile_limit_params[] = {
        {"soft", PARAM_INT, "1024", 1, INT64_MAX, "soft limit of open files given to a process without one"},
        {"hard", PARAM_INT, "65536", 1, INT64_MAX,
         "hard limit given with it (a process may raise its soft limit up to it; redis asks for 10032); never above "
         "what runc can set on the host"},
        {"max", PARAM_INT, "1048576", 0, INT64_MAX,
         "the largest soft or hard limit a process may ask for; 0: no maximum"},
        {0},
};

static const struct param_def nproc_limit_params[] = {
        {"soft", PARAM_INT, "512", 1, INT64_MAX, "soft limit of processes per user given to a process without one"},
        {"hard", PARAM_INT, "512", 1, INT64_MAX, "hard limit given with it; never above what runc can set on the host"},
        {"max", PARAM_INT, "0", 0, INT64_MAX, "the largest soft or hard limit a process may ask for; 0: no maximum"},
        {0},
};

const struct rule rules_rlimits[] = {
        {
                .id = "nofile-limit",
                .summary = "processes have no or too large a limit on open files",
                .guide = "RUN-10",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = nofile_limit_params,
                .check = check_nofile_limit,
                .fix = fix_nofile_limit,
        },
        {
                .id = "nproc-limit",
                .summary = "processes have no limit on processes per user",
                .guide = "RUN-10",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .params = nproc_limit_params,
                .check = check_nproc_limit,
                .fix = fix_nproc_limit,
        },
        {
                .id = "exec-rlimits",
                .summary = "an exec process lacks resource limits its container has",
                .guide = "RUN-10",
                .default_action = ACTION_FIX,
                .scope = SCOPE_EXEC,
                .check = check_exec_rlimits,
                .fix = fix_exec_rlimits,
        },
        {0},
};
