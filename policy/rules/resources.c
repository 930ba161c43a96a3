/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "resources.h"
#include "rules.h"
#include "util.h"

/* Resource limits (guide RUN-4, RUN-7, RUN-10). A container without them
 * can starve the host and every other container of memory, CPU, process
 * slots and file handles.
 *
 * Two documents carry them, with different meanings of "nothing":
 * - a config (create, run): an absent, zero or negative limit is no limit,
 *   so the rules put one in;
 * - update's resources: runc update starts from zeroes and writes only what
 *   is non-zero, so absent or 0 leaves the current limit alone, while a
 *   negative value (-1) removes it. An update is never rewritten (the
 *   operator asked for a number), so its findings all deny. */

/* --- document access ------------------------------------------------------ */

/* linux.resources.<ctl>, or linux.resources itself when ctl is NULL;
 * absent gives NULL. A wrong type on the way is spec-invalid (< 0). */
static int get_resources(struct rule_ctx *ctx, const char *ctl, struct jv **ret)
{
        struct jv *l = NULL, *res = NULL;
        int r;

        *ret = NULL;
        if ((r = rule_get_object(ctx, ctx->spec->root, "linux", &l)) < 0 ||
            (r = rule_get_object(ctx, l, "resources", &res)) < 0)
                return r;
        if (!ctl) {
                *ret = res;
                return 0;
        }
        return rule_get_object(ctx, res, ctl, ret) < 0 ? -EINVAL : 0;
}

/* The spec declares these fields uint64: Go refuses a sign or a fraction. */
static int get_uint64(struct rule_ctx *ctx, const struct jv *obj, const char *key, bool report, uint64_t *ret)
{
        struct jv *v = jv_get(obj, key);

        *ret = 0;
        if (!v)
                return 0;
        if (v->type != JV_NUMBER || jv_uint64(v, ret) < 0)
                return report ? rule_invalid(ctx, v, NULL,
                                             "must be an integer within the range of uint64 "
                                             "(runc refuses it)")
                              : -EINVAL;
        return 1;
}

/* The next key of a path of keys separated by '/'; false at its end. */
static bool path_next(const char **p, char key[static 32])
{
        size_t n = strcspn(*p, "/");
        if (!**p || n >= 32)
                return false;
        memcpy(key, *p, n);
        key[n] = '\0';
        *p += n + ((*p)[n] == '/');
        return true;
}

/* The deepest node that exists on path (from the root) and the rest of
 * the path below it: a finding about an absent field points where it
 * belongs. */
const struct jv *resources_locate(const struct jv *root, const char *path, const char **ret_rest)
{
        const struct jv *at = root, *next;
        const char *p = path, *before = p;
        char key[32];

        while (path_next(&p, key) && (next = jv_get(at, key))) {
                at = next;
                before = p;
        }
        *ret_rest = *before ? before : NULL;
        return at;
}

/* Creates the objects on path as needed; NULL when out of memory or when
 * a node on the way is not an object (the check reported that). */
static struct jv *ensure_path(struct jdoc *d, struct jv *root, const char *path)
{
        struct jv *at = root;
        char key[32];

        for (const char *p = path; at && path_next(&p, key);) {
                struct jv *next = jv_get(at, key);
                if (!next && jv_obj_put(d, at, key, next = jv_new(d, JV_OBJECT)) < 0)
                        return NULL;
                at = next->type == JV_OBJECT ? next : NULL;
        }
        return at;
}

static int64_t int_field(const struct jv *obj, const char *key)
{
        int64_t n = 0;
        if (jv_int64(jv_get(obj, key), &n) < 0)
                return 0;
        return n;
}

int resources_put_int(struct jdoc *d, struct jv *obj, const char *key, int64_t n)
{
        return jv_obj_put(d, obj, key, jv_new_int(d, n));
}

/* How a config spells "no limit", for messages. */
static const char *unset_words(const struct jv *v, int64_t n)
{
        if (!v)
                return "is not set";
        if (n == 0)
                return "is 0, which runc takes as no limit";
        return "is negative, which means unlimited";
}

/* linux.resources.unified (cgroup v2) writes controller files after the
 * typed fields, so "pids.max": "max" there undoes pids.limit. Those files
 * are only to be set through the fields the rules judge. */
static void check_unified(struct rule_ctx *ctx, const char *const *files, const char *field)
{
        struct jv *res = NULL, *u;

        /* A unified that is not a map of strings is refused by runc. */
        if (get_resources(ctx, NULL, &res) < 0 || !jv_is(u = jv_get(res, "unified"), JV_OBJECT))
                return;
        for (; *files; files++) {
                struct jv *v = jv_get_exact(u, *files);
                if (v)
                        rule_report_unfixable(ctx, v, NULL,
                                              "writes the cgroup v2 file %s directly, over the limit this rule "
                                              "enforces; set linux.resources.%s instead",
                                              *files, field);
        }
}

/* --- memory-limit ----------------------------------------------------------- */

/* "1 GiB" for the messages: the operator compares it with what the
 * workload needs. */
static const char *human_bytes(int64_t n, char buf[static 32])
{
        static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        size_t u = 0;
        double v = (double)n;
        while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
                v /= 1024;
                u++;
        }
        snprintf(buf, 32, u ? "%.4g %s" : "%.0f %s", v, units[u]);
        return buf;
}

/* runc writes a memory+swap total to memory.memsw.limit_in_bytes on
 * cgroup v1, which exists only with swap accounting: without it a swap
 * value fails the start ("open ...memsw.limit_in_bytes: no such file").
 * cgroup v2 runc skips a swap.max of 0 (swap equal to the limit) when the
 * file is missing. */
static bool swap_accounted(const struct rule_ctx *ctx)
{
        static int known = -1;

        if (ctx->spec->offline)
                return true;
        if (known < 0)
                known = access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 ||
                        access("/sys/fs/cgroup/memory/memory.limit_in_bytes", F_OK) != 0 ||
                        access("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", F_OK) == 0;
        return known;
}

static bool limit_swap(const struct rule_ctx *ctx)
{
        return rule_param_bool(ctx, "limit-swap") && swap_accounted(ctx);
}

static int64_t memory_default(const struct rule_ctx *ctx)
{
        int64_t def = rule_param_int(ctx, "default"), max = rule_param_int(ctx, "max");
        return max > 0 && def > max ? max : def;
}

static void check_memory_update(struct rule_ctx *ctx, const struct jv *mem, int64_t limit, int64_t swap, int64_t max)
{
        if (limit < 0)
                rule_report_unfixable(ctx, jv_get(mem, "limit"), NULL,
                                      "would remove the memory limit (a negative limit means unlimited); "
                                      "give a size (docker update --memory SIZE)");
        else if (max > 0 && limit > max)
                rule_report_unfixable(ctx, jv_get(mem, "limit"), NULL,
                                      "is %" PRId64 " bytes, above the policy's maximum of %" PRId64 " bytes; "
                                      "ask for at most that",
                                      limit, max);
        if (swap < 0 && limit_swap(ctx))
                rule_report_unfixable(ctx, jv_get(mem, "swap"), NULL,
                                      "would make swap unlimited; give memory plus swap as a size of at least "
                                      "the memory limit (docker update --memory-swap SIZE)");
}

static int check_memory_limit(struct rule_ctx *ctx)
{
        static const char *const unified[] = {"memory.max", "memory.swap.max", NULL};
        struct jv *mem = NULL;
        int64_t limit = 0, swap = 0, max = rule_param_int(ctx, "max");
        const char *rest;

        if (get_resources(ctx, "memory", &mem) < 0 || rule_get_int64(ctx, mem, "limit", &limit) < 0 ||
            rule_get_int64(ctx, mem, "swap", &swap) < 0)
                return 0;
        check_unified(ctx, unified, "memory");
        if (ctx->kind == CHECK_UPDATE) {
                check_memory_update(ctx, mem, limit, swap, max);
                return 0;
        }
        const struct jv *lv = jv_get(mem, "limit"), *sv = jv_get(mem, "swap");
        if (max > 0 && limit > max) {
                rule_report_unfixable(ctx, lv, NULL,
                                      "is %" PRId64 " bytes, above the policy's maximum of %" PRId64 " bytes; "
                                      "ask for at most that (docker run --memory)",
                                      limit, max);
        } else if (limit <= 0) {
                const struct jv *at =
                        lv ? lv : resources_locate(ctx->spec->root, "linux/resources/memory/limit", &rest);
                char size[32];
                rule_report(ctx, at, lv ? NULL : rest,
                            "%s: the container could take all of the host's memory; it gets %" PRId64
                            " bytes (%s, memory-limit.default): past that the kernel's OOM killer ends a process "
                            "in it (docker inspect: OOMKilled), and runtimes that size themselves from the limit "
                            "stay small (the JVM's heap is a quarter of it); ask for what it needs with docker run "
                            "--memory SIZE",
                            unset_words(lv, limit), memory_default(ctx), human_bytes(memory_default(ctx), size));
        }
        if (swap <= 0 && limit_swap(ctx)) {
                const struct jv *at = sv ? sv : resources_locate(ctx->spec->root, "linux/resources/memory/swap", &rest);
                rule_report(ctx, at, sv ? NULL : rest,
                            "%s: the container could swap without bound past its memory limit; it becomes equal "
                            "to the memory limit, so the container does not swap (memory-limit.limit-swap); set "
                            "memory plus swap with docker run --memory-swap SIZE",
                            !sv         ? "is not set"
                            : swap == 0 ? "is 0, which runc takes as no limit"
                                        : "is negative, which means unlimited swap");
        }
        return 0;
}

static int fix_memory_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *mem = ensure_path(d, ctx->spec->root, "linux/resources/memory");
        bool new_limit = false;

        if (!mem)
                return rh_error_set(err, ENOMEM, "cannot set linux.resources.memory");
        int64_t limit = int_field(mem, "limit"), swap = int_field(mem, "swap");
        if (limit <= 0) {
                limit = memory_default(ctx);
                new_limit = true;
                if (resources_put_int(d, mem, "limit", limit) < 0)
                        return rh_error_set(err, ENOMEM, "cannot set linux.resources.memory.limit");
        }
        /* swap is memory plus swap: equal to the limit means no swap. A
         * smaller one next to a limit we chose would make the kernel
         * refuse the limit. */
        if ((swap <= 0 && limit_swap(ctx)) || (new_limit && swap > 0 && swap < limit))
                if (resources_put_int(d, mem, "swap", limit) < 0)
                        return rh_error_set(err, ENOMEM, "cannot set linux.resources.memory.swap");
        return 0;
}

static const struct param_def memory_limit_params[] = {
        {"default", PARAM_INT, "1073741824", 1, INT64_MAX,
         "the limit in bytes given to a container without one (never above max)"},
        {"max", PARAM_INT, "0", 0, INT64_MAX, "the largest limit in bytes a container may ask for; 0: no maximum"},
        {"limit-swap", PARAM_BOOL, "true", 0, 0,
         "also require a finite memory.swap (memory plus swap); false on hosts without swap accounting, where "
         "runc cannot write one"},
        {0},
};

/* --- cpu-quota ---------------------------------------------------------------- */

static int check_cpu_quota(struct rule_ctx *ctx)
{
        static const char *const unified[] = {"cpu.max", NULL};
        struct jv *cpu = NULL;
        int64_t quota = 0;
        const char *rest;

        if (get_resources(ctx, "cpu", &cpu) < 0 || rule_get_int64(ctx, cpu, "quota", &quota) < 0)
                return 0;
        check_unified(ctx, unified, "cpu");
        const struct jv *qv = jv_get(cpu, "quota");
        if (ctx->kind == CHECK_UPDATE) {
                if (quota < 0)
                        rule_report_unfixable(ctx, qv, NULL,
                                              "would remove the CPU quota (a negative quota means unlimited); "
                                              "give a quota (docker update --cpus N)");
                return 0;
        }
        if (quota > 0)
                return 0;
        const struct jv *at = qv ? qv : resources_locate(ctx->spec->root, "linux/resources/cpu/quota", &rest);
        rule_report(ctx, at, qv ? NULL : rest,
                    "%s: the container may keep every CPU of the host busy; it gets %" PRId64 " us of CPU time "
                    "per %" PRId64 " us period (cpu-quota.quota and .period), and is throttled beyond; ask for "
                    "more with docker run --cpus N",
                    unset_words(qv, quota), rule_param_int(ctx, "quota"), rule_param_int(ctx, "period"));
        return 0;
}

static int fix_cpu_quota(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *cpu = ensure_path(d, ctx->spec->root, "linux/resources/cpu");

        /* The period goes with the quota: a period of its own, set without
         * a quota, had no effect, and the ratio is what the policy means. */
        if (!cpu || resources_put_int(d, cpu, "quota", rule_param_int(ctx, "quota")) < 0 ||
            resources_put_int(d, cpu, "period", rule_param_int(ctx, "period")) < 0)
                return rh_error_set(err, ENOMEM, "cannot set linux.resources.cpu.quota");
        return 0;
}

static const struct param_def cpu_quota_params[] = {
        {"quota", PARAM_INT, "100000", 1000, INT64_MAX,
         "CPU time in microseconds per period given to a container without a quota"},
        {"period", PARAM_INT, "100000", 1000, 1000000, "the CFS period in microseconds that goes with it"},
        {0},
};

/* --- cpu-priority --------------------------------------------------------- */

/* One process.rlimits entry as runc decodes it. Only one rule reports a
 * malformed entry; the others skip it (runc refuses such a spec anyway). */
int resources_read_rlimit(struct rule_ctx *ctx, const struct jv *e, bool report, const char **ret_type,
                          uint64_t *ret_soft, uint64_t *ret_hard)
{
        if (e->type != JV_OBJECT)
                return report ? rule_invalid(ctx, e, NULL, "must be an object with type, soft and hard") : -EINVAL;
        struct jv *t = jv_get(e, "type");
        if (!jv_cstr(t, ret_type)) {
                if (!report)
                        return -EINVAL;
                return rule_invalid(ctx, t ? t : e, t ? NULL : "type", "must be a string such as \"RLIMIT_NOFILE\"");
        }
        if (get_uint64(ctx, e, "soft", report, ret_soft) < 0 || get_uint64(ctx, e, "hard", report, ret_hard) < 0)
                return -EINVAL;
        return 0;
}

static const char *const realtime_policies[] = {"SCHED_FIFO", "SCHED_RR", "SCHED_DEADLINE"};

/* The process side: realtime and raised priority through rlimits or the
 * scheduler field (runtime-spec 1.1: runc 1.1 and crun 1.8 ignore it,
 * newer runtimes apply it). */
static void check_process_priority(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *list = NULL, *sched = NULL;
        const char *policy = NULL;
        int64_t nice = 0;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc)
                return;
        if (rule_get_array(ctx, proc, "rlimits", &list) >= 0)
                for (size_t i = 0; list && i < list->u.arr.n; i++) {
                        const struct jv *e = list->u.arr.v[i];
                        const char *type;
                        uint64_t soft, hard;
                        if (resources_read_rlimit(ctx, e, false, &type, &soft, &hard) < 0)
                                continue;
                        uint64_t most = soft > hard ? soft : hard;
                        if (STREQ(type, "RLIMIT_RTPRIO") && most > 0)
                                rule_report_unfixable(ctx, e, NULL,
                                                      "lets the processes give themselves realtime scheduling, "
                                                      "which can starve the host's CPUs; remove it or set it to 0 "
                                                      "(no docker run --ulimit rtprio)");
                        else if (STREQ(type, "RLIMIT_NICE") && most > 20)
                                rule_report_unfixable(ctx, e, NULL,
                                                      "lets the processes raise their priority above normal "
                                                      "(a negative nice value); keep it at 20 or below (docker "
                                                      "run --ulimit nice)");
                }
        if (rule_get_object(ctx, proc, "scheduler", &sched) < 0 || !sched ||
            rule_get_string(ctx, sched, "policy", &policy) < 0 || rule_get_int64(ctx, sched, "nice", &nice) < 0)
                return;
        for (size_t i = 0; policy && i < ARRAY_SIZE(realtime_policies); i++)
                if (STREQ(policy, realtime_policies[i]))
                        rule_report_unfixable(ctx, sched, "policy",
                                              "is the realtime policy %s, which can starve the host's CPUs; use "
                                              "SCHED_OTHER or SCHED_BATCH",
                                              policy);
        if (nice < 0)
                rule_report_unfixable(ctx, sched, "nice",
                                      "is negative: the processes would run ahead of the host's; use 0 or more");
}

/* What the kernel gives a cgroup whose cpu.shares runc leaves alone. */
#define KERNEL_DEFAULT_SHARES 1024

static uint64_t shares_clamped(const struct rule_ctx *ctx, uint64_t shares)
{
        uint64_t lo = (uint64_t)rule_param_int(ctx, "min-shares"), hi = (uint64_t)rule_param_int(ctx, "max-shares");
        if (shares == 0)
                shares = (uint64_t)rule_param_int(ctx, "default-shares");
        if (shares > hi)
                shares = hi;
        if (shares < lo)
                shares = lo;
        return shares;
}

static void check_cpu_shares(struct rule_ctx *ctx, const struct jv *cpu, uint64_t shares)
{
        const struct jv *sv = jv_get(cpu, "shares");
        int64_t lo = rule_param_int(ctx, "min-shares"), hi = rule_param_int(ctx, "max-shares");
        const char *rest;

        if (ctx->kind == CHECK_UPDATE) {
                if (shares != 0 && (shares < (uint64_t)lo || shares > (uint64_t)hi))
                        rule_report_unfixable(ctx, sv, NULL,
                                              "is %" PRIu64 ", outside the policy's range %" PRId64 "..%" PRId64
                                              "; ask for a weight within it (docker update --cpu-shares)",
                                              shares, lo, hi);
                return;
        }
        /* Absent or 0 (what Docker writes when --cpu-shares is not given):
         * runc writes nothing and the kernel's weight applies. That is a
         * finding only when the policy wants another weight for such
         * containers. */
        if (shares == 0) {
                uint64_t want = shares_clamped(ctx, 0);
                if (want == KERNEL_DEFAULT_SHARES)
                        return;
                const struct jv *at = sv ? sv : resources_locate(ctx->spec->root, "linux/resources/cpu/shares", &rest);
                rule_report(ctx, at, sv ? NULL : rest,
                            "%s, so the kernel's weight of %d would apply; it becomes %" PRIu64
                            " (cpu-priority.default-shares; docker run --cpu-shares)",
                            sv ? "is 0, which runc takes as not set" : "is not set", KERNEL_DEFAULT_SHARES, want);
        } else if (shares < (uint64_t)lo || shares > (uint64_t)hi) {
                rule_report(ctx, sv, NULL,
                            "is %" PRIu64 ", outside the policy's range %" PRId64 "..%" PRId64
                            " (a large weight takes CPU time from the other containers); it becomes %" PRIu64,
                            shares, lo, hi, shares_clamped(ctx, shares));
        }
}

static int check_cpu_priority(struct rule_ctx *ctx)
{
        static const char *const unified[] = {"cpu.weight", "cpu.weight.nice", NULL};
        struct jv *cpu = NULL;
        int64_t rt_runtime = 0;
        uint64_t rt_period = 0, shares = 0;

        check_process_priority(ctx);
        if (ctx->kind == CHECK_EXEC)
                return 0; /* an exec process joins the container's cgroup */
        if (get_resources(ctx, "cpu", &cpu) < 0 || rule_get_int64(ctx, cpu, "realtimeRuntime", &rt_runtime) < 0 ||
            get_uint64(ctx, cpu, "realtimePeriod", true, &rt_period) < 0 ||
            get_uint64(ctx, cpu, "shares", true, &shares) < 0)
                return 0;
        check_unified(ctx, unified, "cpu.shares");
        /* cgroup v1 cpu.rt_runtime_us: -1 is unlimited realtime time */
        if (rt_runtime != 0)
                rule_report_unfixable(ctx, cpu, "realtimeRuntime",
                                      "gives the container realtime CPU time, with which it can starve the host; "
                                      "remove it (no --cpu-rt-runtime)");
        if (rt_period > 0)
                rule_report_unfixable(ctx, cpu, "realtimePeriod",
                                      "configures realtime scheduling for the container; remove it (no "
                                      "--cpu-rt-period)");
        check_cpu_shares(ctx, cpu, shares);
        return 0;
}

static int fix_cpu_priority(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        uint64_t shares = 0;

        if (ctx->kind != CHECK_CONFIG)
                return 0; /* the only fixable finding is the config's shares */
        struct jv *cpu = ensure_path(d, ctx->spec->root, "linux/resources/cpu");
        if (!cpu)
                return rh_error_set(err, ENOMEM, "cannot set linux.resources.cpu");
        (void)jv_uint64(jv_get(cpu, "shares"), &shares);
        if (resources_put_int(d, cpu, "shares", (int64_t)shares_clamped(ctx, shares)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set linux.resources.cpu.shares");
        return 0;
}

/* cgroup v1 accepts 2..262144 */
static const struct param_def cpu_priority_params[] = {
        {"min-shares", PARAM_INT, "128", 2, 262144, "the smallest CPU weight (cpu.shares) a container may have"},
        {"max-shares", PARAM_INT, "2048", 2, 262144,
         "the largest CPU weight; the default weight of every container is 1024"},
        {"default-shares", PARAM_INT, "1024", 2, 262144,
         "the weight of a container that sets none (absent or 0, as Docker writes); at 1024, the kernel's own, "
         "such a container is left as it is"},
        {0},
};

/* --- pids-limit ----------------------------------------------------------- */

static int64_t pids_default(const struct rule_ctx *ctx)
{
        int64_t def = rule_param_int(ctx, "default"), max = rule_param_int(ctx, "max");
        return max > 0 && def > max ? max : def;
}

static int check_pids_limit(struct rule_ctx *ctx)
{
        static const char *const unified[] = {"pids.max", NULL};
        struct jv *pids = NULL;
        int64_t limit = 0, max = rule_param_int(ctx, "max");
        const char *rest;

        if (get_resources(ctx, "pids", &pids) < 0 || rule_get_int64(ctx, pids, "limit", &limit) < 0)
                return 0;
        check_unified(ctx, unified, "pids");
        const struct jv *lv = jv_get(pids, "limit");
        if (max > 0 && limit > max) {
                rule_report_unfixable(ctx, lv, NULL,
                                      "is %" PRId64 ", above the policy's maximum of %" PRId64 " processes; ask "
                                      "for at most that (docker %s --pids-limit)",
                                      limit, max, ctx->kind == CHECK_UPDATE ? "update" : "run");
        } else if (ctx->kind == CHECK_UPDATE) {
                if (limit < 0)
                        rule_report_unfixable(ctx, lv, NULL,
                                              "would remove the process limit (a negative limit means "
                                              "unlimited); give a number (docker update --pids-limit N)");
        } else if (limit <= 0) {
                const struct jv *at = lv ? lv : resources_locate(ctx->spec->root, "linux/resources/pids/limit", &rest);
                rule_report(ctx, at, lv ? NULL : rest,
                            "%s: a fork bomb in the container could exhaust the host's process table; it gets "
                            "%" PRId64 " (pids-limit.default): beyond that, fork fails with \"Resource temporarily "
                            "unavailable\"; ask for more with docker run --pids-limit N",
                            unset_words(lv, limit), pids_default(ctx));
        }
        return 0;
}

static int fix_pids_limit(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *pids = ensure_path(d, ctx->spec->root, "linux/resources/pids");

        if (!pids || resources_put_int(d, pids, "limit", pids_default(ctx)) < 0)
                return rh_error_set(err, ENOMEM, "cannot set linux.resources.pids.limit");
        return 0;
}

static const struct param_def pids_limit_params[] = {
        {"default", PARAM_INT, "1024", 1, INT64_MAX, "the limit given to a container without one (never above max)"},
        {"max", PARAM_INT, "0", 0, INT64_MAX, "the largest limit a container may ask for; 0: no maximum"},
        {0},
};

const struct rule rules_resources[] = {
        {
                .id = "memory-limit",
                .summary = "the container has no memory limit, or may swap without one",
                .guide = "RUN-4",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_UPDATE,
                .params = memory_limit_params,
                .check = check_memory_limit,
                .fix = fix_memory_limit,
        },
        {
                .id = "cpu-quota",
                .summary = "the container has no CPU quota",
                .guide = "RUN-4",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_UPDATE,
                .params = cpu_quota_params,
                .check = check_cpu_quota,
                .fix = fix_cpu_quota,
        },
        {
                .id = "cpu-priority",
                .summary = "the container may run ahead of the host: realtime scheduling, negative nice, CPU weight",
                .guide = "RUN-7",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_EXEC | SCOPE_UPDATE,
                .params = cpu_priority_params,
                .check = check_cpu_priority,
                .fix = fix_cpu_priority,
        },
        {
                .id = "pids-limit",
                .summary = "the container has no limit on its number of processes",
                .guide = "RUN-10",
                .default_action = ACTION_FIX,
                .scope = SCOPE_CONFIG | SCOPE_UPDATE,
                .params = pids_limit_params,
                .check = check_pids_limit,
                .fix = fix_pids_limit,
        },
        {0},
};
