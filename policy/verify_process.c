/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util.h"
#include "verify_internal.h"

/* The container's process and its resources against the spec: the
 * credentials of /proc/PID/status, /proc/PID/limits, the cgroup it is in
 * and the limit files there. */

/* --- the process ---------------------------------------------------------- */

/* The capabilities a set of the spec names; names runc would not know
 * only widen it, which can only make the comparison more lenient. */
static uint64_t caps_of(const struct jv *set)
{
        uint64_t m = 0;
        for (size_t i = 0; jv_is(set, JV_ARRAY) && i < set->u.arr.n; i++) {
                const char *n;
                if (!jv_cstr(set->u.arr.v[i], &n))
                        continue;
                if (strncasecmp(n, "cap_", 4) == 0)
                        n += 4;
                int c = *n ? capng_name_to_capability(n) : -1;
                if (c >= 0 && c < 64)
                        m |= UINT64_C(1) << c;
        }
        return m;
}

static void caps_names(uint64_t m, char *out, size_t len)
{
        size_t o = 0;
        out[0] = '\0';
        for (unsigned c = 0; c < 64 && o < len; c++) {
                if (!(m & (UINT64_C(1) << c)))
                        continue;
                const char *n = capng_capability_to_name(c);
                int k = n ? snprintf(out + o, len - o, "%sCAP_%s", o ? ", " : "", n)
                          : snprintf(out + o, len - o, "%s%u", o ? ", " : "", c);
                o += k > 0 ? (size_t)k : 0;
        }
        for (char *p = out; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        *p = (char)(*p - 'a' + 'A');
}

static void verify_caps(struct vctx *v, const struct jv *proc)
{
        static const struct {
                const char *line, *set;
                size_t off;
        } sets[] = {
                {"CapBnd", "bounding", offsetof(struct verify_status, cap_bnd)},
                {"CapEff", "effective", offsetof(struct verify_status, cap_eff)},
                {"CapPrm", "permitted", offsetof(struct verify_status, cap_prm)},
                {"CapInh", "inheritable", offsetof(struct verify_status, cap_inh)},
                {"CapAmb", "ambient", offsetof(struct verify_status, cap_amb)},
        };
        const struct jv *caps = jv_get(proc, "capabilities");
        char names[512];

        for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
                uint64_t have = *(const uint64_t *)((const char *)&v->f->status + sets[i].off);
                uint64_t extra = have & ~caps_of(jv_get(caps, sets[i].set));
                if (!extra)
                        continue;
                caps_names(extra, names, sizeof(names));
                vreport(v, "verify", ACTION_DENY, "status", "%s has %s, which process.capabilities.%s does not grant",
                        sets[i].line, names, sets[i].set);
        }
}

/* runc 1.1.5 loads the filter before create returns, with or without
 * no-new-privileges (just before it closes its sync pipe); crun 1.8 loads
 * it at start when no-new-privileges is set, from the file it wrote in its
 * state directory (verify_runtime.c). The filters the container has beyond
 * runc-harden's own (inherited from whoever started it) are its own. */
static void verify_seccomp(struct vctx *v)
{
        const struct verify_status *st = &v->f->status;
        const struct jv *sc = jv_get(jv_get(v->root, "linux"), "seccomp");

        if (!jv_is(sc, JV_OBJECT))
                return;
        bool have = st->seccomp == 2 && (st->seccomp_filters < 0 || v->f->self_status.seccomp_filters < 0 ||
                                         st->seccomp_filters > v->f->self_status.seccomp_filters);
        if (have)
                return;
        if (verify_runtime_filter_pending(v))
                return; /* loaded at start: the spec crun read is compared (docs/verify.md) */
        vreport(v, "verify", ACTION_DENY, "status",
                "the spec has a seccomp profile (linux.seccomp) and the runtime has loaded none (Seccomp: %d)%s",
                st->seccomp,
                v->f->runc_init || st->nnp != 1 ? ""
                                                : ", nor left one to load at start with the spec it read in its "
                                                  "state directory");
}

static void verify_ids(struct vctx *v, const struct jv *proc)
{
        const struct jv *user = jv_get(proc, "user");
        const struct verify_status *st = &v->f->status;
        uint64_t uid = 0, gid = 0;

        (void)jv_uint64(jv_get(user, "uid"), &uid);
        (void)jv_uint64(jv_get(user, "gid"), &gid);
        int64_t huid = vmap_id(v->f->uid_map, uid), hgid = vmap_id(v->f->gid_map, gid);
        for (int i = 0; i < 4; i++) {
                if ((int64_t)st->uid[i] != huid) {
                        vreport(v, "verify", ACTION_DENY, "status",
                                "the process runs as uid %u; process.user.uid is %" PRIu64, (unsigned)st->uid[i], uid);
                        break;
                }
        }
        for (int i = 0; i < 4; i++) {
                if ((int64_t)st->gid[i] != hgid) {
                        vreport(v, "verify", ACTION_DENY, "status",
                                "the process runs as gid %u; process.user.gid is %" PRIu64, (unsigned)st->gid[i], gid);
                        break;
                }
        }
        /* Supplementary groups may come from the image's /etc/group as
         * well as the spec; the root group is only what the spec gives. */
        int64_t root_group = vmap_id(v->f->gid_map, 0);
        if (gid == 0 || root_group < 0)
                return;
        const struct jv *add = jv_get(user, "additionalGids");
        for (size_t i = 0; jv_is(add, JV_ARRAY) && i < add->u.arr.n; i++) {
                uint64_t g;
                if (jv_uint64(add->u.arr.v[i], &g) == 0 && g == 0)
                        return;
        }
        for (size_t i = 0; i < st->n_groups; i++)
                if ((int64_t)st->groups[i] == root_group)
                        vreport(v, "root-user", ACTION_DENY, "status",
                                "the process is in the root group (Groups), which process.user does not give it "
                                "(the image's /etc/group lists the user there)");
}

void verify_process(struct vctx *v)
{
        const struct jv *proc = jv_get(v->root, "process");
        const struct verify_status *st = &v->f->status;
        const struct jv *nnp = jv_get(proc, "noNewPrivileges");

        if (!v->s)
                return;
        verify_caps(v, proc);
        if (jv_is(nnp, JV_BOOL) && nnp->u.b && st->nnp != 1)
                vreport(v, "verify", ACTION_DENY, "status",
                        "process.noNewPrivileges is true and the process has NoNewPrivs: %d", st->nnp);
        verify_seccomp(v);
        verify_ids(v, proc);
}

/* --- rlimits -------------------------------------------------------------- */

static const struct {
        const char *type;
        int res;
        const char *row;
} rlimit_types[] = {
        {"RLIMIT_CPU", RLIMIT_CPU, "Max cpu time"},
        {"RLIMIT_FSIZE", RLIMIT_FSIZE, "Max file size"},
        {"RLIMIT_DATA", RLIMIT_DATA, "Max data size"},
        {"RLIMIT_STACK", RLIMIT_STACK, "Max stack size"},
        {"RLIMIT_CORE", RLIMIT_CORE, "Max core file size"},
        {"RLIMIT_RSS", RLIMIT_RSS, "Max resident set"},
        {"RLIMIT_NPROC", RLIMIT_NPROC, "Max processes"},
        {"RLIMIT_NOFILE", RLIMIT_NOFILE, "Max open files"},
        {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK, "Max locked memory"},
        {"RLIMIT_AS", RLIMIT_AS, "Max address space"},
        {"RLIMIT_LOCKS", RLIMIT_LOCKS, "Max file locks"},
        {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING, "Max pending signals"},
        {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE, "Max msgqueue size"},
        {"RLIMIT_NICE", RLIMIT_NICE, "Max nice priority"},
        {"RLIMIT_RTPRIO", RLIMIT_RTPRIO, "Max realtime priority"},
        {"RLIMIT_RTTIME", RLIMIT_RTTIME, "Max realtime timeout"},
};

static void show_limit(uint64_t x, char *buf, size_t len)
{
        if (x == RLIM_INFINITY)
                snprintf(buf, len, "unlimited");
        else
                snprintf(buf, len, "%" PRIu64, x);
}

void verify_rlimits(struct vctx *v)
{
        const struct jv *list = jv_get(jv_get(v->root, "process"), "rlimits");

        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++) {
                const struct jv *e = list->u.arr.v[i];
                const char *type = vstr(e, "type");
                uint64_t soft, hard;
                if (!type || jv_uint64(jv_get(e, "soft"), &soft) < 0 || jv_uint64(jv_get(e, "hard"), &hard) < 0)
                        continue;
                for (size_t k = 0; k < ARRAY_SIZE(rlimit_types); k++) {
                        const struct verify_limit *l = &v->f->limits[rlimit_types[k].res];
                        char a[32], b[32], c[32], d[32];
                        if (!STREQ(type, rlimit_types[k].type) || !l->have || (l->soft == soft && l->hard == hard))
                                continue;
                        show_limit(l->soft, a, sizeof(a));
                        show_limit(l->hard, b, sizeof(b));
                        show_limit(soft, c, sizeof(c));
                        show_limit(hard, d, sizeof(d));
                        vreport(v, "verify", ACTION_DENY, "limits",
                                "%s is %s (soft) and %s (hard); process.rlimits sets %s to %s and %s",
                                rlimit_types[k].row, a, b, type, c, d);
                }
        }
}

/* --- the cgroup ----------------------------------------------------------- */

static void verify_cgroup_membership(struct vctx *v)
{
        for (size_t i = 0; i < v->f->cgroups.n; i++) {
                const struct verify_cgroup *c = &v->f->cgroups.v[i];
                const char *name = *c->controllers ? c->controllers : "the unified hierarchy";
                if (STREQ(c->path, "/")) {
                        vreport(v, "kernel-mounts", ACTION_DENY, "cgroup",
                                "the container is in the root cgroup of %s (linux.cgroupsPath): no limit applies to "
                                "it",
                                name);
                        continue;
                }
                for (size_t k = 0; k < v->f->self_cgroups.n; k++) {
                        const struct verify_cgroup *o = &v->f->self_cgroups.v[k];
                        if (STREQ(o->controllers, c->controllers) && STREQ(o->path, c->path))
                                vreport(v, "kernel-mounts", ACTION_DENY, "cgroup",
                                        "the container is in the cgroup of its engine (%s of %s)", c->path, name);
                }
        }
}

/* The key under which the probe finds hierarchy c: its first controller
 * ("cpu" of "cpu,cpuacct", "name=systemd"), "" for the unified one. */
static char *hierarchy_key(const struct verify_cgroup *c)
{
        return strndup(c->controllers, strcspn(c->controllers, ","));
}

/* A process other than the init in the container's cgroup of hierarchy c,
 * 0 when none. At create the init is alone there: another one means the
 * container was put in a cgroup that is not its own. */
static long cgroup_other_process(const struct verify_facts *f, const struct verify_probe *probe,
                                 const struct verify_cgroup *c)
{
        _cleanup_free_ char *procs = NULL, *key = hierarchy_key(c);
        if (!key || probe->cgroup_read(probe->data, key, "cgroup.procs", &procs) < 0)
                return 0; /* not mounted here: nothing to read */
        for (const char *p = procs; p && *p;) {
                long pid = strtol(p, NULL, 10);
                if (pid > 0 && pid != f->pid)
                        return pid;
                p = strchr(p, '\n');
                if (p)
                        p++;
        }
        return 0;
}

/* A cgroup below the container's in hierarchy c (malloc'd), or NULL. A
 * fresh cgroup has none: one with cgroups below is another's parent, and
 * the runtime has just written the container's limits over all of them. */
static char *cgroup_child(const struct verify_probe *probe, const struct verify_cgroup *c)
{
        _cleanup_free_ char *key = hierarchy_key(c);
        char *name = NULL;
        if (!probe->cgroup_child || !key || STREQ(c->path, "/") || probe->cgroup_child(probe->data, key, &name) <= 0)
                return NULL;
        return name;
}

static void verify_cgroup_procs(struct vctx *v)
{
        bool procs_told = false, child_told = false;

        for (size_t i = 0; i < v->f->cgroups.n; i++) {
                const struct verify_cgroup *c = &v->f->cgroups.v[i];
                const char *name = *c->controllers ? c->controllers : "the unified hierarchy";
                long pid = procs_told ? 0 : cgroup_other_process(v->f, v->probe, c);
                _cleanup_free_ char *child = child_told ? NULL : cgroup_child(v->probe, c);

                if (pid) {
                        vreport(v, "kernel-mounts", ACTION_DENY, "cgroup",
                                "the container's cgroup also holds process %ld (%s of %s): it is another's cgroup "
                                "(linux.cgroupsPath)",
                                pid, c->path, name);
                        procs_told = true;
                }
                if (child) {
                        vreport(v, "kernel-mounts", ACTION_DENY, "cgroup",
                                "the container's cgroup (%s of %s) has cgroups below it (%s): it is another's parent "
                                "cgroup, and the runtime has set the container's limits on all of them "
                                "(linux.cgroupsPath)",
                                c->path, name, child);
                        child_told = true;
                }
        }
}

bool verify_cgroup_is_shared(const struct verify_facts *f, const struct verify_probe *probe)
{
        for (size_t i = 0; i < f->cgroups.n; i++) {
                const struct verify_cgroup *c = &f->cgroups.v[i];
                if (STREQ(c->path, "/"))
                        return true;
                for (size_t k = 0; k < f->self_cgroups.n; k++)
                        if (STREQ(f->self_cgroups.v[k].controllers, c->controllers) &&
                            STREQ(f->self_cgroups.v[k].path, c->path))
                                return true;
                _cleanup_free_ char *child = cgroup_child(probe, c);
                if (child || cgroup_other_process(f, probe, c) != 0)
                        return true;
        }
        return false;
}

/* The text of a cgroup file without its newline; v1 first, then v2. */
static int cgroup_value(struct vctx *v, const char *v1, const char *file1, const char *file2, char **ret, bool *ret_v2)
{
        char *s = NULL;
        *ret_v2 = false;
        if (v->probe->cgroup_read(v->probe->data, v1, file1, &s) < 0) {
                if (!file2 || v->probe->cgroup_read(v->probe->data, "", file2, &s) < 0)
                        return -ENOENT;
                *ret_v2 = true;
        }
        s[strcspn(s, "\n")] = '\0';
        *ret = s;
        return 0;
}

static void cgroup_expect(struct vctx *v, const char *what, const char *v1, const char *file1, const char *want1,
                          const char *file2, const char *want2)
{
        _cleanup_free_ char *have = NULL;
        bool v2;
        if (cgroup_value(v, v1, file1, file2, &have, &v2) < 0) {
                vreport(v, "verify", ACTION_DENY, "cgroup",
                        "the spec sets %s and the container's cgroup has no %s to confirm it", what, file1);
                return;
        }
        const char *want = v2 ? want2 : want1;
        if (want && !STREQ(have, want))
                vreport(v, "verify", ACTION_DENY, "cgroup", "%s is %s; the spec's %s makes it %s", v2 ? file2 : file1,
                        have, what, want);
}

static void verify_cgroup_limits(struct vctx *v)
{
        const struct jv *res = jv_get(jv_get(v->root, "linux"), "resources");
        const struct jv *mem = jv_get(res, "memory"), *pids = jv_get(res, "pids"), *cpu = jv_get(res, "cpu");
        int64_t limit, quota;
        uint64_t period, shares;
        char a[48], b[48];
        long page = sysconf(_SC_PAGESIZE);

        if (jv_int64(jv_get(mem, "limit"), &limit) == 0 && limit > 0) {
                /* the kernel keeps whole pages */
                snprintf(a, sizeof(a), "%" PRId64, limit / page * page);
                cgroup_expect(v, "linux.resources.memory.limit", "memory", "memory.limit_in_bytes", a, "memory.max", a);
        }
        if (jv_int64(jv_get(pids, "limit"), &limit) == 0 && limit != 0) {
                if (limit > 0)
                        snprintf(a, sizeof(a), "%" PRId64, limit);
                else
                        snprintf(a, sizeof(a), "max");
                cgroup_expect(v, "linux.resources.pids.limit", "pids", "pids.max", a, "pids.max", a);
        }
        bool have_quota = jv_int64(jv_get(cpu, "quota"), &quota) == 0 && quota != 0;
        bool have_period = jv_uint64(jv_get(cpu, "period"), &period) == 0 && period != 0;
        if (have_quota) {
                snprintf(a, sizeof(a), "%" PRId64, quota);
                if (quota > 0)
                        snprintf(b, sizeof(b), "%" PRId64 " %" PRIu64, quota, have_period ? period : 100000);
                else
                        snprintf(b, sizeof(b), "max %" PRIu64, have_period ? period : 100000);
                cgroup_expect(v, "linux.resources.cpu.quota", "cpu", "cpu.cfs_quota_us", a, "cpu.max", b);
        }
        if (have_period) {
                snprintf(a, sizeof(a), "%" PRIu64, period);
                cgroup_expect(v, "linux.resources.cpu.period", "cpu", "cpu.cfs_period_us", a, "cpu.max", NULL);
        }
        if (jv_uint64(jv_get(cpu, "shares"), &shares) == 0 && shares != 0) {
                uint64_t k = shares < 2 ? 2 : shares > 262144 ? 262144 : shares;
                snprintf(a, sizeof(a), "%" PRIu64, k);
                snprintf(b, sizeof(b), "%" PRIu64, 1 + ((k - 2) * 9999) / 262142);
                cgroup_expect(v, "linux.resources.cpu.shares", "cpu", "cpu.shares", a, "cpu.weight", b);
        }
}

void verify_cgroups(struct vctx *v)
{
        verify_cgroup_membership(v);
        verify_cgroup_procs(v);
        verify_cgroup_limits(v);
}
