/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "resources.h"
#include "rules.h"
#include "util.h"

/* Per-process resource limits (guide RUN-10): open files and processes.
 * They live in process.rlimits, so they apply to exec processes as well as
 * to the container's first process. */

/* Missing rlimits are inherited from whoever started runc: containerd's
 * and dockerd's units run with 1048576 open files and unlimited
 * processes. */
static int check_rlimit(struct rule_ctx *ctx, const char *type, const char *ulimit, bool report_malformed)
{
        struct jv *proc = NULL, *list = NULL;
        uint64_t max = (uint64_t)rule_param_int(ctx, "max");
        bool found = false;
        const char *rest = NULL;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_array(ctx, proc, "rlimits", &list) < 0)
                return 0;
        /* runc gives an exec process without rlimits the container's; with
         * any, only those, the others coming from runc's caller. */
        if (ctx->kind == CHECK_EXEC && (!list || list->u.arr.n == 0))
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
                if (!STREQ(t, type))
                        continue;
                found = true;
                if (max > 0 && (hard > max || soft > max))
                        rule_report_unfixable(ctx, e, NULL,
                                              "allows %s up to %" PRIu64 ", above the policy's maximum of %" PRIu64
                                              "; lower it (docker run --ulimit %s=SOFT:HARD)",
                                              type, hard > soft ? hard : soft, max, ulimit);
        }
        if (found)
                return 0;
        const struct jv *at = list ? list : resources_locate(proc, "rlimits", &rest);
        rule_report(ctx, at, list ? NULL : rest,
                    "has no %s: the processes would inherit the limit of whoever started runc (often a very "
                    "large one); set it (docker run --ulimit %s=SOFT:HARD), else it becomes %" PRId64 ":%" PRId64,
                    type, ulimit, rule_param_int(ctx, "soft"), rule_param_int(ctx, "hard"));
        return 0;
}

static int fix_rlimit(struct rule_ctx *ctx, const char *type, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *proc = jv_get(ctx->spec->root, "process"), *list, *e;
        int64_t hard = rule_param_int(ctx, "hard"), soft = rule_param_int(ctx, "soft"),
                max = rule_param_int(ctx, "max");

        if (max > 0 && hard > max)
                hard = max;
        if (soft > hard)
                soft = hard;
        if (!proc || proc->type != JV_OBJECT)
                return rh_error_set(err, EINVAL, "no process to give %s", type);
        list = jv_get(proc, "rlimits");
        if (!list && jv_obj_put(d, proc, "rlimits", list = jv_new(d, JV_ARRAY)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set process.rlimits");
        if (!(e = jv_new(d, JV_OBJECT)) || jv_obj_put(d, e, "type", jv_new_string(d, type)) < 0 ||
            resources_put_int(d, e, "hard", hard) < 0 || resources_put_int(d, e, "soft", soft) < 0 ||
            jv_arr_push(d, list, e) < 0)
                return rh_error_set(err, ENOMEM, "cannot add %s", type);
        return 0;
}

static int check_nofile_limit(struct rule_ctx *ctx)
{
        return check_rlimit(ctx, "RLIMIT_NOFILE", "nofile", true);
}
static int fix_nofile_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        return fix_rlimit(ctx, "RLIMIT_NOFILE", err);
}
static int check_nproc_limit(struct rule_ctx *ctx)
{
        return check_rlimit(ctx, "RLIMIT_NPROC", "nproc", false);
}
static int fix_nproc_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        return fix_rlimit(ctx, "RLIMIT_NPROC", err);
}

static const struct param_def nofile_limit_params[] = {
        {"soft", PARAM_INT, "1024", 1, INT64_MAX, "soft limit of open files given to a process without one"},
        {"hard", PARAM_INT, "4096", 1, INT64_MAX, "hard limit given with it"},
        {"max", PARAM_INT, "1048576", 0, INT64_MAX,
         "the largest soft or hard limit a process may ask for; 0: no maximum"},
        {0},
};

static const struct param_def nproc_limit_params[] = {
        {"soft", PARAM_INT, "512", 1, INT64_MAX, "soft limit of processes per user given to a process without one"},
        {"hard", PARAM_INT, "512", 1, INT64_MAX, "hard limit given with it"},
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
        {0},
};
