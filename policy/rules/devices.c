/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "hostpath.h"
#include "rules.h"
#include "util.h"

/* Host devices in the container: nodes runc creates (linux.devices) and
 * what the device cgroup lets the container open (linux.resources.devices).
 * Devices are told apart by type and numbers, never by path: a node called
 * /dev/null with numbers 1:1 is /dev/mem. */

#define ANY (-1) /* runc's wildcard major or minor */

struct devnum {
        char type; /* 'c', 'b', or 'a' for any */
        int64_t major, minor;
};

static const struct {
        const char *name;
        struct devnum n;
        const char *danger; /* why it matters, when it is notorious */
} known[] = {
        {"null", {'c', 1, 3}, NULL},
        {"zero", {'c', 1, 5}, NULL},
        {"full", {'c', 1, 7}, NULL},
        {"random", {'c', 1, 8}, NULL},
        {"urandom", {'c', 1, 9}, NULL},
        {"tty", {'c', 5, 0}, NULL},
        {"console", {'c', 5, 1}, NULL},
        {"ptmx", {'c', 5, 2}, NULL},
        {"pts", {'c', 136, ANY}, NULL},
        {"fuse", {'c', 10, 229}, NULL},
        {"tun", {'c', 10, 200}, NULL},
        {"mem", {'c', 1, 1}, "physical memory of the host"},
        {"kmem", {'c', 1, 2}, "kernel memory of the host"},
        {"port", {'c', 1, 4}, "I/O ports of the host"},
        {"kmsg", {'c', 1, 11}, "the host kernel's log"},
        {"kvm", {'c', 10, 232}, "the host's hypervisor"},
        {"cpu_dma_latency", {'c', 10, 62}, NULL},
};

static bool covers(const struct devnum *a, const struct devnum *d)
{
        return (a->type == 'a' || a->type == d->type) &&
               (a->major == ANY || (d->major != ANY && a->major == d->major)) &&
               (a->minor == ANY || (d->minor != ANY && a->minor == d->minor));
}

static bool parse_num(const char *s, size_t len, int64_t *ret)
{
        char buf[24], *end;
        if (len == 1 && s[0] == '*') {
                *ret = ANY;
                return true;
        }
        if (len == 0 || len >= sizeof(buf))
                return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (errno || *end || v < 0)
                return false;
        *ret = v;
        return true;
}

/* An allowed-list entry: a name from the table, or "TYPE MAJOR:MINOR"
 * with "*" for any number ("c 136:*"). */
static bool parse_allowed(const char *s, struct devnum *ret)
{
        for (size_t i = 0; i < ARRAY_SIZE(known); i++)
                if (STREQ(known[i].name, s)) {
                        *ret = known[i].n;
                        return true;
                }
        const char *colon = strchr(s, ':');
        if (!s[0] || !strchr("cba", s[0]) || s[1] != ' ' || !colon || colon < s + 2)
                return false;
        ret->type = s[0];
        return parse_num(s + 2, (size_t)(colon - s - 2), &ret->major) &&
               parse_num(colon + 1, strlen(colon + 1), &ret->minor);
}

static bool allowed(struct rule_ctx *ctx, const struct devnum *d)
{
        const struct jv *l = rule_param_strings(ctx, "allowed");
        for (size_t i = 0; i < l->u.arr.n; i++) {
                struct devnum a;
                if (parse_allowed(l->u.arr.v[i]->u.str.s, &a) && covers(&a, d))
                        return true;
        }
        return false;
}

static void warn_bad_params(struct rule_ctx *ctx)
{
        const struct jv *l = rule_param_strings(ctx, "allowed");
        for (size_t i = 0; i < l->u.arr.n; i++) {
                struct devnum a;
                if (!parse_allowed(l->u.arr.v[i]->u.str.s, &a))
                        rule_report_warn(ctx, NULL, "",
                                         "the policy's devices.allowed entry \"%s\" is neither a device name nor "
                                         "\"TYPE MAJOR:MINOR\"; it allows nothing",
                                         l->u.arr.v[i]->u.str.s);
        }
}

static const char *danger_of(const struct devnum *d)
{
        if (d->type == 'b')
                return "a block device: the host's disks";
        for (size_t i = 0; i < ARRAY_SIZE(known); i++)
                if (known[i].danger && covers(&known[i].n, d))
                        return known[i].danger;
        return NULL;
}

static void fmt_num(char *buf, size_t len, int64_t n)
{
        if (n == ANY)
                snprintf(buf, len, "*");
        else
                snprintf(buf, len, "%" PRId64, n);
}

/* --- linux.devices ---------------------------------------------------- */

/* Beyond this many, one finding sums up the rest (a privileged spec lists
 * every device of the host). */
#define MAX_DEVICE_FINDINGS 8

static int check_device_nodes(struct rule_ctx *ctx, const struct jv *l)
{
        struct jv *devs = NULL;
        size_t reported = 0, more = 0;

        if (rule_get_array(ctx, l, "devices", &devs) < 0 || !devs)
                return 0;
        for (size_t i = 0; i < devs->u.arr.n; i++) {
                const struct jv *e = devs->u.arr.v[i];
                const char *type = NULL, *path = NULL;
                struct devnum d;
                if (e->type != JV_OBJECT)
                        return rule_invalid(ctx, e, NULL, "a device must be an object");
                if (rule_get_string(ctx, e, "type", &type) < 0 || rule_get_string(ctx, e, "path", &path) < 0 ||
                    rule_get_int64(ctx, e, "major", &d.major) < 0 || rule_get_int64(ctx, e, "minor", &d.minor) < 0)
                        return -EINVAL;
                if (!type || strlen(type) != 1 || !strchr("cubp", type[0]))
                        return rule_invalid(ctx, e, "type", "must be c, u, b or p (runc refuses it)");
                if (type[0] == 'p')
                        continue; /* a FIFO reaches no host device */
                d.type = type[0] == 'u' ? 'c' : type[0];
                if (allowed(ctx, &d))
                        continue;
                if (reported++ >= MAX_DEVICE_FINDINGS) {
                        more++;
                        continue;
                }
                const char *danger = danger_of(&d);
                rule_report(ctx, e, NULL,
                            "adds the host device %s (%c %" PRId64 ":%" PRId64 ")%s%s, which is not in the allowed "
                            "devices; remove it (no --device, no --privileged)",
                            path ? path : "(no path)", d.type, d.major, d.minor, danger ? ": " : "",
                            danger ? danger : "");
        }
        if (more)
                rule_report(ctx, devs, NULL, "adds %zu more host devices that are not in the allowed devices", more);
        return 0;
}

/* Where runc binds the host's file at an entry's path instead of making
 * the node (hostpath_devices_mode()), the path is a bind source: the host's
 * /dev/pts/1 is a host terminal, /run/docker.sock the engine. Here it must
 * be the device the entry declares (type and numbers); what file system
 * it is on is kernel-mounts' to judge, what else it is the bind rules'.
 * Where runc makes nodes, it still binds wherever mknod fails with EPERM:
 * an existing host file that is no device node is refused there too. */
static int device_bind_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        const host_devices_t *mode = data;
        const char *type = NULL;
        int64_t maj = -1, min = -1;
        bool bind = *mode == HOST_DEVICES_BIND;

        (void)jv_cstr(jv_get(b->at, "type"), &type);
        (void)jv_int64(jv_get(b->at, "major"), &maj);
        (void)jv_int64(jv_get(b->at, "minor"), &min);
        if (!b->have_st) {
                if (bind && !ctx->spec->offline) /* lint: another host's /dev */
                        rule_report(ctx, b->at, b->key,
                                    "names %s, which is not a file on this host (or cannot be looked at): with a user "
                                    "namespace runc binds the host's file at this path instead of making the node; "
                                    "name the host's device node",
                                    b->src);
                return 0;
        }
        mode_t fmt = b->st.st_mode & S_IFMT;
        if (fmt != S_IFCHR && fmt != S_IFBLK) {
                rule_report(ctx, b->at, b->key,
                            "names %s, which is the host's %s and no device node: runc binds it, writable, into the "
                            "container %s; list device nodes only",
                            b->src, b->resolved,
                            bind ? "(it has a user namespace, so runc makes no nodes)"
                                 : "wherever mknod fails there (a file system without device nodes, no CAP_MKNOD)");
                return 0;
        }
        if (!bind || ctx->spec->offline)
                return 0; /* mknod gives the numbers the entry declares */
        mode_t want = type && STREQ(type, "b") ? S_IFBLK : type && strchr("cu", type[0]) ? S_IFCHR : S_IFIFO;
        if (fmt != want || (int64_t)major(b->st.st_rdev) != maj || (int64_t)minor(b->st.st_rdev) != min)
                rule_report(ctx, b->at, b->key,
                            "names %s, which is the host's device %c %u:%u, not the %s %" PRId64 ":%" PRId64
                            " the entry declares: with a user namespace runc binds the host's file at this path, so "
                            "the container gets that device; name the host's node of the declared device",
                            b->src, fmt == S_IFBLK ? 'b' : 'c', major(b->st.st_rdev), minor(b->st.st_rdev),
                            type ? type : "?", maj, min);
        return 0;
}

/* --- linux.resources.devices ------------------------------------------ */

enum { PERM_R = 1, PERM_W = 2, PERM_M = 4 };

struct exception {
        struct devnum d;
        unsigned perms;
        size_t rule; /* index of the rule that last granted it */
};

struct devcg {
        bool allow_all;
        size_t reset_rule; /* the rule that made allow_all, or SIZE_MAX */
        struct exception *v;
        size_t n;
};

static int parse_access(const char *s, unsigned *ret)
{
        *ret = 0;
        for (; *s; s++) {
                const char *p = strchr("rwm", *s);
                if (!p)
                        return -EINVAL;
                *ret |= 1u << (p - "rwm");
        }
        return *ret ? 0 : -EINVAL;
}

static int devcg_grant(struct devcg *cg, const struct devnum *d, unsigned perms, size_t rule)
{
        for (size_t i = 0; i < cg->n; i++)
                if (cg->v[i].d.type == d->type && cg->v[i].d.major == d->major && cg->v[i].d.minor == d->minor) {
                        cg->v[i].perms |= perms;
                        cg->v[i].rule = rule;
                        return 0;
                }
        struct exception *v = realloc(cg->v, (cg->n + 1) * sizeof(*v));
        if (!v)
                return -ENOMEM;
        cg->v = v;
        cg->v[cg->n++] = (struct exception){*d, perms, rule};
        return 0;
}

static void devcg_revoke(struct devcg *cg, const struct devnum *d, unsigned perms)
{
        for (size_t i = 0; i < cg->n; i++)
                if (cg->v[i].d.type == d->type && cg->v[i].d.major == d->major && cg->v[i].d.minor == d->minor)
                        cg->v[i].perms &= ~perms;
}

/* Applies one rule as runc 1.1.5's device emulator does (used for both
 * cgroup v1 and the v2 eBPF program): a rule of type "a" (or no type)
 * resets the whole cgroup to allow-all or deny-all, whatever its numbers
 * and access say; any other rule adds an exception to the current mode
 * or removes one. Rules apply in order, so the last reset wins. */
static int devcg_apply(struct rule_ctx *ctx, struct devcg *cg, const struct jv *e, size_t idx)
{
        const char *type = NULL, *access = NULL;
        bool allow = false;
        unsigned perms;
        struct devnum d = {'a', ANY, ANY};
        struct jv *maj = jv_get(e, "major"), *min = jv_get(e, "minor");

        if (e->type != JV_OBJECT)
                return rule_invalid(ctx, e, NULL, "a device rule must be an object");
        if (rule_get_bool(ctx, e, "allow", &allow) < 0 || rule_get_string(ctx, e, "type", &type) < 0 ||
            rule_get_string(ctx, e, "access", &access) < 0 || (maj && rule_get_int64(ctx, e, "major", &d.major) < 0) ||
            (min && rule_get_int64(ctx, e, "minor", &d.minor) < 0))
                return -EINVAL;
        if (type && *type) {
                if (strlen(type) != 1 || !strchr("abc", type[0]))
                        return rule_invalid(ctx, e, "type", "must be a, b or c (runc refuses it)");
                d.type = type[0];
        }
        if (!access || parse_access(access, &perms) < 0)
                return rule_invalid(ctx, e, "access",
                                    "must be a non-empty combination of r, w and m (runc refuses it)");
        if (d.type == 'a') {
                free(cg->v);
                *cg = (struct devcg){.allow_all = allow, .reset_rule = allow ? idx : SIZE_MAX};
                return 0;
        }
        if (allow == cg->allow_all) {
                devcg_revoke(cg, &d, perms);
                return 0;
        }
        return devcg_grant(cg, &d, perms, idx);
}

static int check_device_cgroup(struct rule_ctx *ctx, const struct jv *l)
{
        struct jv *res = NULL, *rules = NULL;
        struct devcg cg = {.reset_rule = SIZE_MAX};
        int r = 0;

        if (rule_get_object(ctx, l, "resources", &res) < 0 || rule_get_array(ctx, res, "devices", &rules) < 0 || !rules)
                return 0;
        for (size_t i = 0; i < rules->u.arr.n && r == 0; i++)
                r = devcg_apply(ctx, &cg, rules->u.arr.v[i], i);
        if (r == 0 && cg.allow_all)
                rule_report(ctx, rules->u.arr.v[cg.reset_rule], NULL,
                            "lets the container read, write and create every device of the host (an \"allow\" rule "
                            "without a type or of type \"a\" opens the whole device cgroup, as docker run "
                            "--privileged does); start from {\"allow\": false, \"access\": \"rwm\"} and allow only "
                            "the devices needed");
        for (size_t i = 0; r == 0 && !cg.allow_all && i < cg.n; i++) {
                const struct exception *x = &cg.v[i];
                char maj[24], min[24];
                if (!(x->perms & (PERM_R | PERM_W)) || allowed(ctx, &x->d))
                        continue; /* mknod alone opens nothing; runc allows it for all */
                const char *danger = danger_of(&x->d);
                fmt_num(maj, sizeof(maj), x->d.major);
                fmt_num(min, sizeof(min), x->d.minor);
                rule_report(ctx, rules->u.arr.v[x->rule], NULL,
                            "lets the container open the host devices %c %s:%s%s%s, which are not in the allowed "
                            "devices; remove this rule (no --device, --device-cgroup-rule or --privileged)",
                            x->d.type, maj, min, danger ? ": " : "", danger ? danger : "");
        }
        free(cg.v);
        return r == -ENOMEM ? r : 0;
}

static int check_devices(struct rule_ctx *ctx)
{
        struct jv *l = NULL;

        warn_bad_params(ctx);
        if (rule_get_object(ctx, ctx->spec->root, "linux", &l) < 0 || !l)
                return 0;
        int r = check_device_nodes(ctx, l);
        if (r == -ENOMEM)
                return r;
        if (r == 0 && jv_get(l, "devices")) {
                host_devices_t mode = hostpath_devices_mode(ctx);
                if (hostpath_for_each_device(ctx, device_bind_one, &mode) < 0)
                        return -ENOMEM;
        }
        return check_device_cgroup(ctx, l);
}

static const struct param_def devices_params[] = {
        {"allowed", PARAM_STRINGS,
         "[\"null\", \"zero\", \"full\", \"random\", \"urandom\", \"tty\", \"console\", \"ptmx\", \"pts\", \"fuse\"]",
         0, 0,
         "devices a container may have: names (null, zero, full, random, urandom, tty, console, ptmx, pts, fuse, "
         "tun, kvm, mem, kmem, port, kmsg, cpu_dma_latency) or \"TYPE MAJOR:MINOR\" with * for any (\"c 10:200\")"},
        {0},
};

const struct rule rules_devices[] = {
        {
                .id = "devices",
                .summary = "host devices are available in the container",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = devices_params,
                .check = check_devices,
        },
        {0},
};
