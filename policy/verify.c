/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <cap-ng.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "util.h"
#include "verify_internal.h"

/* The container against the spec and the policy: namespaces, the root,
 * the process's credentials, rlimits and cgroup (mounts: verify_mounts.c).
 * Two kinds of findings:
 *   - "verify": the container is not what the judged spec says, so the
 *     judgement was about something else than what runs;
 *   - a rule id: the container breaks a requirement of the policy that the
 *     spec cannot show (what a bind really is, which kernel file system is
 *     mounted, whose namespace it is in), judged with the rule's parameters
 *     and its action (a rule that is off is off in both layers, one that
 *     warns only warns) and the container's exemptions. */

/* Rules whose requirement verification also judges, and where it falls
 * back when a rule is not in this build's registry. */
static const struct rule *rule_of(const char *id)
{
        const struct rule *r = rules_find(id, NULL);
        return r ? r : rules_find("sensitive-mount", NULL);
}

void vreport(struct vctx *v, const char *rule, rh_action_t action, const char *file, const char *fmt, ...)
{
        const struct rule *r = NULL;
        char *msg = NULL, *ptr = NULL;
        bool exempted = false;
        va_list ap;

        /* A policy rule's requirement is judged with its action: off is
         * not judged, warn only warns; the exemptions hold too. What the
         * spec itself says ("verify") always is. */
        if (!STREQ(rule, "verify")) {
                size_t idx;
                if (!(r = rule_of(rule)) || !rules_find(r->id, &idx))
                        return;
                rh_action_t configured = v->p->conf[idx].action;
                if (configured == ACTION_OFF)
                        return;
                if (configured == ACTION_WARN)
                        action = ACTION_WARN;
                exempted = engine_is_exempt(v->p, v->s, r->id);
                rule = r->id;
        }
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (asprintf(&ptr, "/proc/%d/%s", (int)v->f->pid, file) < 0)
                ptr = NULL;
        eval_add(v->ev, rule, r ? r->guide : "", action, exempted, ptr, msg);
}

const char *vstr(const struct jv *obj, const char *key)
{
        const char *s;
        return jv_cstr(jv_get(obj, key), &s) ? s : NULL;
}

void vmount_options(const struct jv *m, bool *ret_bind, bool *ret_readonly, bool *ret_recursive_ro)
{
        const struct jv *opts = jv_get(m, "options");
        const char *type = vstr(m, "type");
        bool ro = false, rro = false, rrw = false;

        *ret_bind = type && strcasecmp(type, "bind") == 0;
        for (size_t i = 0; jv_is(opts, JV_ARRAY) && i < opts->u.arr.n; i++) {
                const char *o;
                if (!jv_cstr(opts->u.arr.v[i], &o))
                        continue;
                if (strcasecmp(o, "bind") == 0 || strcasecmp(o, "rbind") == 0)
                        *ret_bind = true;
                else if (STREQ(o, "ro") || STREQ(o, "rw"))
                        ro = STREQ(o, "ro");
                else if (STREQ(o, "rro"))
                        rro = true;
                else if (STREQ(o, "rrw"))
                        rrw = true;
        }
        *ret_readonly = rro || (ro && !rrw);
        *ret_recursive_ro = rro;
}

char *vbundle_path(const struct vctx *v, const char *path)
{
        char *out = NULL;
        if (path[0] == '/' || !v->f->bundle)
                return strdup(path);
        if (asprintf(&out, "%s/%s", v->f->bundle, path) < 0)
                return NULL;
        return out;
}

static bool same_id(const struct verify_fileid *a, const struct verify_fileid *b)
{
        return a->have && b->have && a->dev == b->dev && a->ino == b->ino;
}

/* --- namespaces ----------------------------------------------------------- */

static int ns_from_oci(const char *type)
{
        for (int t = 0; t < _VNS_MAX; t++)
                if (STREQ(type, verify_ns_oci_type((verify_ns_t)t)))
                        return t;
        return -1;
}

/* host-namespace.required names types as OCI does or as /proc does. */
static bool ns_required(struct vctx *v, verify_ns_t t)
{
        size_t idx;
        if (!rules_find("host-namespace", &idx))
                return false;
        const struct jv *req = jv_get_exact(v->p->conf[idx].params, "required");
        for (size_t i = 0; jv_is(req, JV_ARRAY) && i < req->u.arr.n; i++) {
                const char *s;
                if (jv_cstr(req->u.arr.v[i], &s) &&
                    (STREQ(s, verify_ns_oci_type(t)) || STREQ(s, verify_ns_proc_name(t))))
                        return true;
        }
        return false;
}

static bool ns_is_host(const struct verify_facts *f, verify_ns_t t)
{
        struct stat st = {.st_dev = f->ns[t].dev, .st_ino = f->ns[t].ino};
        return same_id(&f->ns[t], &f->self_ns[t]) || host_ns_is_host(verify_ns_proc_name(t), &st);
}

/* One namespace the spec names with a path: runc opens it in its init
 * process, whose working directory is the root file system, so a relative
 * path is taken from there. */
static void ns_check_path(struct vctx *v, verify_ns_t t, const char *path)
{
        _cleanup_free_ char *full = NULL;
        struct stat st;

        if (path[0] != '/' && v->rootfs && asprintf(&full, "%s/%s", v->rootfs, path) < 0)
                full = NULL;
        const char *look = path[0] == '/' ? path : full;
        if (!look || stat(look, &st) < 0) {
                vreport(v, "verify", ACTION_DENY, "ns", "the spec joins the %s namespace at %s, which cannot be examined "
                        "now (%s); what the container joined cannot be confirmed",
                        verify_ns_oci_type(t), path, look ? strerror(errno) : "no root file system");
                return;
        }
        if (st.st_dev != v->f->ns[t].dev || st.st_ino != v->f->ns[t].ino)
                vreport(v, "verify", ACTION_DENY, "ns",
                        "the spec joins the %s namespace at %s (%s); the container is in another one",
                        verify_ns_oci_type(t), path, look);
}

/* uid_map lines "inside outside count": the host id of a container id, or
 * -1 when unmapped. Without a user namespace ids are the host's. */
static int64_t map_id(const char *map, uint64_t inside)
{
        if (!map || !*map)
                return (int64_t)inside;
        for (const char *p = map; p && *p;) {
                unsigned long long in, out, n;
                if (sscanf(p, "%llu %llu %llu", &in, &out, &n) == 3 && inside >= in && inside - in < n)
                        return (int64_t)(out + (inside - in));
                p = strchr(p, '\n');
                if (p)
                        p++;
        }
        return -1;
}

/* The spec's idMappings must be what the kernel holds: a mapping runc did
 * not read would leave the ids of the host. */
static void ns_check_mappings(struct vctx *v, const char *key, const char *map, const char *file)
{
        const struct jv *l = jv_get(jv_get(v->root, "linux"), key);
        for (size_t i = 0; jv_is(l, JV_ARRAY) && i < l->u.arr.n; i++) {
                uint64_t c = 0, h = 0, n = 0;
                const struct jv *e = l->u.arr.v[i];
                if (jv_uint64(jv_get(e, "containerID"), &c) < 0 || jv_uint64(jv_get(e, "hostID"), &h) < 0 ||
                    jv_uint64(jv_get(e, "size"), &n) < 0 || n == 0)
                        continue;
                if (map_id(map, c) != (int64_t)h || map_id(map, c + n - 1) != (int64_t)(h + n - 1))
                        vreport(v, "verify", ACTION_DENY, file,
                                "linux.%s maps %" PRIu64 "-%" PRIu64 " to %" PRIu64 "; the container's map differs",
                                key, c, c + n - 1, h);
        }
        if (map_id(map, 0) == 0 && ns_required(v, VNS_USER))
                vreport(v, "host-namespace", ACTION_DENY, file,
                        "maps the container's id 0 to the host's 0: the user namespace is the host's in effect");
}

static void verify_namespaces(struct vctx *v)
{
        const struct jv *list = jv_get(jv_get(v->root, "linux"), "namespaces");
        bool listed[_VNS_MAX] = {false};
        const char *path[_VNS_MAX] = {NULL};

        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++) {
                const char *type = vstr(list->u.arr.v[i], "type");
                int t = type ? ns_from_oci(type) : -1;
                if (t < 0)
                        continue;
                listed[t] = true;
                path[t] = vstr(list->u.arr.v[i], "path");
                if (path[t] && !*path[t])
                        path[t] = NULL;
        }
        for (int i = 0; i < _VNS_MAX; i++) {
                verify_ns_t t = (verify_ns_t)i;
                const char *type = verify_ns_oci_type(t);
                if (!v->f->ns[t].have)
                        continue; /* the kernel has no such namespace */
                bool is_self = same_id(&v->f->ns[t], &v->f->self_ns[t]);
                if (!v->s)
                        ; /* no spec to compare with: the policy only */
                else if (!listed[t] && !is_self)
                        vreport(v, "verify", ACTION_WARN, "ns",
                                "the container has a %s namespace of its own that the spec does not ask for", type);
                else if (listed[t] && !path[t] && is_self)
                        vreport(v, "verify", ACTION_DENY, "ns",
                                "the spec asks for a new %s namespace; the container shares runc-harden's (the "
                                "host's)",
                                type);
                else if (listed[t] && path[t])
                        ns_check_path(v, t, path[t]);
                if (ns_required(v, t) && ns_is_host(v->f, t))
                        vreport(v, "host-namespace", ACTION_DENY, "ns", "the container is in the host's %s namespace",
                                type);
        }
        if (v->f->ns[VNS_USER].have && !same_id(&v->f->ns[VNS_USER], &v->f->self_ns[VNS_USER])) {
                ns_check_mappings(v, "uidMappings", v->f->uid_map, "uid_map");
                ns_check_mappings(v, "gidMappings", v->f->gid_map, "gid_map");
        }
}

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
                vreport(v, "verify", ACTION_DENY, "status",
                        "%s has %s, which process.capabilities.%s does not grant", sets[i].line, names, sets[i].set);
        }
}

/* runc 1.1.5 loads the filter before create returns, with or without
 * no-new-privileges (just before it closes its sync pipe); crun 1.8 loads
 * it at start when no-new-privileges is set. The filters the container has
 * beyond runc-harden's own (inherited from whoever started it) are its
 * own. */
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
        if (!v->f->runc_init && st->nnp == 1)
                return; /* loaded at start: judged in the spec (docs/verify.md) */
        vreport(v, "verify", ACTION_DENY, "status",
                "the spec has a seccomp profile (linux.seccomp) and the runtime has loaded none (Seccomp: %d)",
                st->seccomp);
}

static void verify_ids(struct vctx *v, const struct jv *proc)
{
        const struct jv *user = jv_get(proc, "user");
        const struct verify_status *st = &v->f->status;
        uint64_t uid = 0, gid = 0;

        (void)jv_uint64(jv_get(user, "uid"), &uid);
        (void)jv_uint64(jv_get(user, "gid"), &gid);
        int64_t huid = map_id(v->f->uid_map, uid), hgid = map_id(v->f->gid_map, gid);
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
        int64_t root_group = map_id(v->f->gid_map, 0);
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

static void verify_process(struct vctx *v)
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

static void verify_rlimits(struct vctx *v)
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

/* A process other than the init in the container's cgroup (pids, else the
 * unified hierarchy), 0 when none. At create the init is alone there:
 * another one means the container was put in a cgroup that is not its own. */
static long cgroup_other_process(const struct verify_facts *f, const struct verify_probe *probe)
{
        _cleanup_free_ char *procs = NULL;
        if (probe->cgroup_read(probe->data, "pids", "cgroup.procs", &procs) < 0 &&
            probe->cgroup_read(probe->data, "", "cgroup.procs", &procs) < 0)
                return 0; /* no pids and no unified hierarchy: nothing to read */
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

static void verify_cgroup_procs(struct vctx *v)
{
        long pid = cgroup_other_process(v->f, v->probe);
        if (pid)
                vreport(v, "kernel-mounts", ACTION_DENY, "cgroup",
                        "the container's cgroup also holds process %ld: it is another's cgroup", pid);
}

bool verify_cgroup_is_shared(const struct verify_facts *f, const struct verify_probe *probe)
{
        for (size_t i = 0; i < f->cgroups.n; i++) {
                if (STREQ(f->cgroups.v[i].path, "/"))
                        return true;
                for (size_t k = 0; k < f->self_cgroups.n; k++)
                        if (STREQ(f->self_cgroups.v[k].controllers, f->cgroups.v[i].controllers) &&
                            STREQ(f->self_cgroups.v[k].path, f->cgroups.v[i].path))
                                return true;
        }
        return cgroup_other_process(f, probe) != 0;
}

/* The text of a cgroup file without its newline; v1 first, then v2. */
static int cgroup_value(struct vctx *v, const char *v1, const char *file1, const char *file2, char **ret,
                        bool *ret_v2)
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
                cgroup_expect(v, "linux.resources.memory.limit", "memory", "memory.limit_in_bytes", a, "memory.max",
                              a);
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

/* --- the whole ------------------------------------------------------------- */

/* The root file system is the spec's root.path (from the bundle when
 * relative) and read-only when the spec says so. */
static void verify_root(struct vctx *v)
{
        const struct jv *root = jv_get(v->root, "root");
        const struct jv *ro = jv_get(root, "readonly");
        struct stat st;

        if (!v->s)
                return;
        if (!v->rootfs) {
                vreport(v, "verify", ACTION_DENY, "root", "the spec names no root.path to compare the root with");
                return;
        }
        if (stat(v->rootfs, &st) < 0)
                vreport(v, "verify", ACTION_DENY, "root",
                        "root.path %s cannot be examined now (%m): what the container's root is cannot be confirmed",
                        v->rootfs);
        else if (!v->f->root.have || st.st_dev != v->f->root.dev || st.st_ino != v->f->root.ino)
                vreport(v, "verify", ACTION_DENY, "root", "the container's root directory is not root.path %s",
                        v->rootfs);
        const struct mount_entry *m = mount_table_find(&v->f->mounts, "/");
        if (jv_is(ro, JV_BOOL) && ro->u.b && m && STREQ(m->point, "/") && !m->readonly)
                vreport(v, "verify", ACTION_DENY, "mountinfo",
                        "the spec makes the root file system read-only (root.readonly); the container's is writable");
}

int verify_judge(const struct policy *p, struct spec *s, const struct verify_facts *f,
                 const struct verify_probe *probe, struct eval *ev, rh_error_t *err)
{
        struct vctx v = {.p = p, .s = s, .root = s ? s->root : NULL, .f = f, .probe = probe, .ev = ev};
        const char *rp = vstr(jv_get(v.root, "root"), "path");
        _cleanup_free_ char *rootfs = rp ? vbundle_path(&v, rp) : NULL;

        v.rootfs = rootfs;
        verify_namespaces(&v);
        verify_root(&v);
        if (verify_mounts(&v) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");
        verify_process(&v);
        verify_rlimits(&v);
        verify_cgroup_membership(&v);
        verify_cgroup_procs(&v);
        verify_cgroup_limits(&v);
        return ev->oom ? rh_error_set(err, ENOMEM, "out of memory") : 0;
}

char *verify_message(const struct eval *ev, const char *id, bool dry_run)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        bool first = true;

        if (!f)
                return NULL;
        fprintf(f, "runc-harden: %scontainer %s: ", dry_run ? "dry-run: would refuse " : "", id);
        for (size_t i = 0; i < ev->n; i++) {
                const struct finding *x = &ev->findings[i];
                if (x->exempted || x->action != ACTION_DENY)
                        continue;
                fprintf(f, "%s%s: %s (%s)", first ? "" : "; ", x->pointer, x->message, x->rule);
                first = false;
        }
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}
