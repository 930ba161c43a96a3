/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "util.h"
#include "verify_internal.h"

/* The devices of the container against the judged spec: the nodes under
 * its /dev and the devices cgroup (v1: devices.list). A node is a device
 * only if the cgroup lets the process open it, and the cgroup is what
 * linux.resources.devices asks for: both are compared, so a device added
 * after the judgement shows in one or the other. On cgroup v2 the rules are
 * an eBPF program, not a file, and only the nodes are compared. */

/* A device cgroup rule: type 'a', 'c' or 'b'; -1 is a wildcard. */
struct devrule {
        char type;
        int64_t major, minor;
        char access[8];
};

/* The rules runc 1.1.5 appends after the spec's (specconv's
 * AllowedDevices); crun 1.8 writes the same with c 5:1 (console) in place
 * of c 10:200 (tun). The first six are also the nodes both create. */
static const struct devrule defaults[] = {
        {'c', 1, 3, "rwm"}, {'c', 1, 5, "rwm"}, {'c', 1, 7, "rwm"}, {'c', 1, 8, "rwm"},    {'c', 1, 9, "rwm"},
        {'c', 5, 0, "rwm"}, {'c', -1, -1, "m"}, {'b', -1, -1, "m"}, {'c', 136, -1, "rwm"}, {'c', 5, 2, "rwm"},
};
#define DEFAULT_NODES 6

static bool rule_covers(const struct devrule *r, char type, int64_t major, int64_t minor, const char *access)
{
        if (r->type != 'a' &&
            (r->type != type || (r->major != -1 && r->major != major) || (r->minor != -1 && r->minor != minor)))
                return false;
        for (const char *a = access; *a; a++)
                if (!strchr(r->access, *a))
                        return false;
        return true;
}

/* One of linux.resources.devices as runc reads it: no type is "a", no
 * major or minor a wildcard, no access everything. false for a deny. */
static bool spec_rule(const struct jv *e, struct devrule *ret)
{
        const char *type = vstr(e, "type"), *access = vstr(e, "access");
        const struct jv *allow = jv_get(e, "allow");

        if (!jv_is(allow, JV_BOOL) || !allow->u.b)
                return false;
        *ret = (struct devrule){.type = type && *type ? type[0] : 'a', .major = -1, .minor = -1};
        if (jv_int64(jv_get(e, "major"), &ret->major) < 0)
                ret->major = -1;
        if (jv_int64(jv_get(e, "minor"), &ret->minor) < 0)
                ret->minor = -1;
        snprintf(ret->access, sizeof(ret->access), "%s", access && *access ? access : "rwm");
        return true;
}

static bool cgroup_allows(struct vctx *v, char type, int64_t major, int64_t minor, const char *access)
{
        const struct jv *list = jv_get(jv_get(jv_get(v->root, "linux"), "resources"), "devices");
        struct devrule r;

        for (size_t i = 0; i < ARRAY_SIZE(defaults); i++)
                if (rule_covers(&defaults[i], type, major, minor, access))
                        return true;
        if (rule_covers(&(struct devrule){'c', v->f->runc_init ? 10 : 5, v->f->runc_init ? 200 : 1, "rwm"}, type, major,
                        minor, access))
                return true;
        for (size_t i = 0; jv_is(list, JV_ARRAY) && i < list->u.arr.n; i++)
                if (spec_rule(list->u.arr.v[i], &r) && rule_covers(&r, type, major, minor, access))
                        return true;
        return false;
}

/* "c 10:183 rwm", "a *:* rwm": -1 for "*". */
static int parse_rule_line(const char *line, struct devrule *ret)
{
        char t, maj[24], min[24], acc[8];
        if (sscanf(line, "%c %23[0-9*]:%23[0-9*] %7s", &t, maj, min, acc) != 4 || !strchr("abc", t))
                return -EINVAL;
        *ret = (struct devrule){.type = t};
        ret->major = STREQ(maj, "*") ? -1 : strtoll(maj, NULL, 10);
        ret->minor = STREQ(min, "*") ? -1 : strtoll(min, NULL, 10);
        snprintf(ret->access, sizeof(ret->access), "%s", acc);
        return 0;
}

static void verify_devices_cgroup(struct vctx *v)
{
        _cleanup_free_ char *text = NULL;
        bool v1 = false;

        for (size_t i = 0; i < v->f->cgroups.n; i++)
                if (mount_list_has(v->f->cgroups.v[i].controllers, "devices", strlen("devices")))
                        v1 = true;
        if (!v1)
                return; /* v2: an eBPF program (docs/verify.md) */
        if (v->probe->cgroup_read(v->probe->data, "devices", "devices.list", &text) < 0) {
                vreport(v, "verify", ACTION_DENY, "cgroup",
                        "the container's devices cgroup has no devices.list to read: which devices it may use "
                        "cannot be confirmed");
                return;
        }
        for (char *line = text, *next; line && *line; line = next) {
                struct devrule r;
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (parse_rule_line(line, &r) < 0) {
                        vreport(v, "verify", ACTION_DENY, "cgroup", "devices.list has a line it cannot read: %.40s",
                                line);
                        continue;
                }
                if (!cgroup_allows(v, r.type, r.major, r.minor, r.access))
                        vreport(v, "verify", ACTION_DENY, "cgroup",
                                "devices.list allows %s, which neither linux.resources.devices nor the runtime's "
                                "defaults allow",
                                line);
        }
}

/* The device a bind of the spec brings in: the host source's, 0 when the
 * mount is not a bind of a device. */
static dev_t bound_device(struct vctx *v, const struct jv *m)
{
        bool bind, ro, rro;
        struct stat st;
        const char *src = vstr(m, "source");

        vmount_options(m, &bind, &ro, &rro);
        if (!bind || !src)
                return 0;
        _cleanup_free_ char *host = vbundle_path(v, src);
        if (!host || stat(host, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)))
                return 0;
        return st.st_rdev;
}

/* Whether the spec or the runtime's defaults give the container this node:
 * linux.devices (by path and number), the runtime's six default nodes, the
 * pseudo-terminals of its devpts (ptmx, and the console, a bind of one),
 * or a bind of the spec whose source is this device (judged as a mount). */
static bool node_expected(struct vctx *v, const struct verify_devnode *n, const char **ret_listed_as)
{
        const struct jv *devs = jv_get(jv_get(v->root, "linux"), "devices");
        const struct jv *mounts = jv_get(v->root, "mounts");

        *ret_listed_as = NULL;
        for (size_t i = 0; jv_is(devs, JV_ARRAY) && i < devs->u.arr.n; i++) {
                const struct jv *e = devs->u.arr.v[i];
                const char *type = vstr(e, "type"), *path = vstr(e, "path");
                int64_t major, minor;
                char t = type && (STREQ(type, "c") || STREQ(type, "u")) ? 'c' : type && STREQ(type, "b") ? 'b' : 0;
                if (!t || jv_int64(jv_get(e, "major"), &major) < 0 || jv_int64(jv_get(e, "minor"), &minor) < 0)
                        continue;
                bool same = t == n->type && major == n->major && minor == n->minor;
                if (same)
                        return true;
                if (path && STREQ(path, n->path))
                        *ret_listed_as = path;
        }
        if (*ret_listed_as)
                return false;
        for (size_t i = 0; i < DEFAULT_NODES; i++)
                if (n->type == 'c' && defaults[i].major == n->major && defaults[i].minor == n->minor)
                        return true;
        if (n->type == 'c' && (n->major == 136 || (n->major == 5 && n->minor == 2)))
                return true;
        for (size_t i = 0; jv_is(mounts, JV_ARRAY) && i < mounts->u.arr.n; i++) {
                dev_t d = bound_device(v, mounts->u.arr.v[i]);
                if (d && major(d) == n->major && minor(d) == n->minor)
                        return true;
        }
        return false;
}

static void verify_devices_nodes(struct vctx *v)
{
        _cleanup_(verify_devnodes_done) struct verify_devnodes nodes = {0};
        int r;

        if (!v->probe->dev_nodes)
                return;
        if ((r = v->probe->dev_nodes(v->probe->data, &nodes)) < 0) {
                vreport(v, "verify", ACTION_DENY, "root",
                        "the container's /dev cannot be examined (%s): which device nodes it holds cannot be confirmed",
                        strerror(-r));
                return;
        }
        if (nodes.truncated)
                vreport(v, "verify", ACTION_DENY, "root",
                        "the container's /dev holds more device nodes or levels than runc-harden examines");
        for (size_t i = 0; i < nodes.n; i++) {
                const struct verify_devnode *n = &nodes.v[i];
                const char *listed_as;
                if (node_expected(v, n, &listed_as))
                        continue;
                if (listed_as)
                        vreport(v, "verify", ACTION_DENY, "root",
                                "%s is %c %u:%u, not the device linux.devices lists at that path", n->path, n->type,
                                n->major, n->minor);
                else
                        vreport(v, "verify", ACTION_DENY, "root",
                                "%s is %c %u:%u, a device node the spec does not give the container "
                                "(linux.devices) nor the runtime by default",
                                n->path, n->type, n->major, n->minor);
        }
}

void verify_devices(struct vctx *v)
{
        if (!v->s)
                return;
        verify_devices_nodes(v);
        verify_devices_cgroup(v);
}
