/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "verify.h"

/* Parsers of the /proc/PID files the verification reads (proc(5)). A file
 * that does not have the expected shape fails: a judgement must not rest on
 * a line that was misread. */

static const struct {
        const char *oci, *proc;
} ns_names[_VNS_MAX] = {
        [VNS_PID] = {"pid", "pid"},          [VNS_NET] = {"network", "net"}, [VNS_MNT] = {"mount", "mnt"},
        [VNS_IPC] = {"ipc", "ipc"},          [VNS_UTS] = {"uts", "uts"},     [VNS_USER] = {"user", "user"},
        [VNS_CGROUP] = {"cgroup", "cgroup"}, [VNS_TIME] = {"time", "time"},
};

const char *verify_ns_proc_name(verify_ns_t t)
{
        return t < _VNS_MAX ? ns_names[t].proc : "?";
}
const char *verify_ns_oci_type(verify_ns_t t)
{
        return t < _VNS_MAX ? ns_names[t].oci : "?";
}

void verify_cgroups_done(struct verify_cgroups *c)
{
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].controllers);
                free(c->v[i].path);
        }
        free(c->v);
        *c = (struct verify_cgroups){0};
}

void verify_facts_done(struct verify_facts *f)
{
        free(f->runtime_root);
        mount_table_done(&f->mounts);
        mount_table_done(&f->host_mounts);
        verify_cgroups_done(&f->cgroups);
        verify_cgroups_done(&f->self_cgroups);
        free(f->uid_map);
        free(f->gid_map);
        free(f->runtime_config);
        *f = (struct verify_facts){0};
}

void verify_devnodes_done(struct verify_devnodes *d)
{
        for (size_t i = 0; i < d->n; i++)
                free(d->v[i].path);
        free(d->v);
        *d = (struct verify_devnodes){0};
}

/* The value of "Name:\t..." lines; NULL when absent. */
static const char *status_value(const char *text, const char *name)
{
        size_t n = strlen(name);
        for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                if (strncmp(p, name, n) == 0 && p[n] == ':')
                        return p + n + 1;
        return NULL;
}

static int parse_hex64(const char *v, uint64_t *ret)
{
        char *end;
        if (!v)
                return -ENOENT;
        errno = 0;
        unsigned long long x = strtoull(v, &end, 16);
        if (errno || end == v || (*end && *end != '\n'))
                return -EINVAL;
        *ret = x;
        return 0;
}

static int parse_int_line(const char *v, int *ret)
{
        char *end;
        if (!v) {
                *ret = -1;
                return 0;
        }
        errno = 0;
        long x = strtol(v, &end, 10);
        if (errno || end == v || (*end && *end != '\n') || x < 0 || x > 0x7fffffff)
                return -EINVAL;
        *ret = (int)x;
        return 0;
}

/* "Uid:\t0\t0\t0\t0" */
static int parse_ids(const char *v, unsigned ret[4])
{
        char *end;
        if (!v)
                return -ENOENT;
        for (int i = 0; i < 4; i++) {
                errno = 0;
                unsigned long x = strtoul(v, &end, 10);
                if (errno || end == v || x > UINT32_MAX)
                        return -EINVAL;
                ret[i] = (unsigned)x;
                v = end;
        }
        return *v && *v != '\n' ? -EINVAL : 0;
}

int verify_parse_status(const char *text, struct verify_status *ret, rh_error_t *err)
{
        static const char *const caps[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
        struct verify_status s = {.nnp = -1, .seccomp = -1, .seccomp_filters = -1};
        uint64_t *masks[] = {&s.cap_inh, &s.cap_prm, &s.cap_eff, &s.cap_bnd, &s.cap_amb};
        unsigned uid[4], gid[4];

        for (size_t i = 0; i < ARRAY_SIZE(caps); i++)
                if (parse_hex64(status_value(text, caps[i]), masks[i]) < 0)
                        return rh_error_set(err, EINVAL, "status: the %s line is missing or malformed", caps[i]);
        s.have_caps = true;
        if (parse_int_line(status_value(text, "NoNewPrivs"), &s.nnp) < 0 ||
            parse_int_line(status_value(text, "Seccomp"), &s.seccomp) < 0 ||
            parse_int_line(status_value(text, "Seccomp_filters"), &s.seccomp_filters) < 0)
                return rh_error_set(err, EINVAL, "status: a NoNewPrivs or Seccomp line is malformed");
        if (parse_ids(status_value(text, "Uid"), uid) < 0 || parse_ids(status_value(text, "Gid"), gid) < 0)
                return rh_error_set(err, EINVAL, "status: the Uid or Gid line is missing or malformed");
        for (int i = 0; i < 4; i++) {
                s.uid[i] = uid[i];
                s.gid[i] = gid[i];
        }
        s.have_ids = true;
        const char *g = status_value(text, "Groups");
        while (g && *g && *g != '\n') {
                char *end;
                while (*g == ' ' || *g == '\t')
                        g++;
                if (!*g || *g == '\n')
                        break;
                errno = 0;
                unsigned long x = strtoul(g, &end, 10);
                if (errno || end == g || x > UINT32_MAX)
                        return rh_error_set(err, EINVAL, "status: the Groups line is malformed");
                if (s.n_groups < ARRAY_SIZE(s.groups))
                        s.groups[s.n_groups++] = (gid_t)x;
                else
                        s.groups_truncated = true;
                g = end;
        }
        *ret = s;
        return 0;
}

/* The row names of /proc/PID/limits (fs/proc/base.c), by resource. */
static const char *const limit_names[RLIM_NLIMITS] = {
        [RLIMIT_CPU] = "Max cpu time",
        [RLIMIT_FSIZE] = "Max file size",
        [RLIMIT_DATA] = "Max data size",
        [RLIMIT_STACK] = "Max stack size",
        [RLIMIT_CORE] = "Max core file size",
        [RLIMIT_RSS] = "Max resident set",
        [RLIMIT_NPROC] = "Max processes",
        [RLIMIT_NOFILE] = "Max open files",
        [RLIMIT_MEMLOCK] = "Max locked memory",
        [RLIMIT_AS] = "Max address space",
        [RLIMIT_LOCKS] = "Max file locks",
        [RLIMIT_SIGPENDING] = "Max pending signals",
        [RLIMIT_MSGQUEUE] = "Max msgqueue size",
        [RLIMIT_NICE] = "Max nice priority",
        [RLIMIT_RTPRIO] = "Max realtime priority",
        [RLIMIT_RTTIME] = "Max realtime timeout",
};

static int parse_limit_value(const char **p, uint64_t *ret)
{
        char *end;
        while (**p == ' ')
                (*p)++;
        if (strncmp(*p, "unlimited", 9) == 0) {
                *ret = RLIM_INFINITY;
                *p += 9;
                return 0;
        }
        errno = 0;
        unsigned long long x = strtoull(*p, &end, 10);
        if (errno || end == *p)
                return -EINVAL;
        *ret = x;
        *p = end;
        return 0;
}

int verify_parse_limits(const char *text, struct verify_limit ret[RLIM_NLIMITS], rh_error_t *err)
{
        for (int i = 0; i < RLIM_NLIMITS; i++)
                ret[i] = (struct verify_limit){0};
        for (const char *line = text; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
                for (int i = 0; i < RLIM_NLIMITS; i++) {
                        size_t n = limit_names[i] ? strlen(limit_names[i]) : 0;
                        if (!n || strncmp(line, limit_names[i], n) != 0 || line[n] != ' ')
                                continue;
                        const char *p = line + n;
                        if (parse_limit_value(&p, &ret[i].soft) < 0 || parse_limit_value(&p, &ret[i].hard) < 0)
                                return rh_error_set(err, EINVAL, "limits: the \"%s\" line is malformed",
                                                    limit_names[i]);
                        ret[i].have = true;
                }
        if (!ret[RLIMIT_NOFILE].have || !ret[RLIMIT_NPROC].have)
                return rh_error_set(err, EINVAL, "limits: no \"Max open files\" or \"Max processes\" line");
        return 0;
}

int verify_parse_cgroups(const char *text, struct verify_cgroups *ret, rh_error_t *err)
{
        struct verify_cgroups c = {0};

        for (const char *line = text; line && *line;) {
                const char *nl = strchrnul(line, '\n');
                const char *a = memchr(line, ':', (size_t)(nl - line));
                const char *b = a ? memchr(a + 1, ':', (size_t)(nl - a - 1)) : NULL;
                if (nl == line) {
                        line = *nl ? nl + 1 : NULL;
                        continue;
                }
                if (!b || b[1] != '/') {
                        verify_cgroups_done(&c);
                        return rh_error_set(err, EINVAL, "cgroup: a line is malformed");
                }
                struct verify_cgroup *v = realloc(c.v, (c.n + 1) * sizeof(*v));
                if (!v) {
                        verify_cgroups_done(&c);
                        return rh_error_set(err, ENOMEM, "out of memory");
                }
                c.v = v;
                v[c.n] = (struct verify_cgroup){.controllers = strndup(a + 1, (size_t)(b - a - 1)),
                                                .path = strndup(b + 1, (size_t)(nl - b - 1))};
                if (!v[c.n].controllers || !v[c.n].path) {
                        c.n++;
                        verify_cgroups_done(&c);
                        return rh_error_set(err, ENOMEM, "out of memory");
                }
                c.n++;
                line = *nl ? nl + 1 : NULL;
        }
        if (c.n == 0)
                return rh_error_set(err, EINVAL, "cgroup: the file is empty");
        *ret = c;
        return 0;
}
