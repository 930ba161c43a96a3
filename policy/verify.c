/* SPDX-License-Identifier: GPL-2.0-or-later */
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
#include "rules/hostpath.h"
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
                vreport(v, "verify", ACTION_DENY, "ns",
                        "the spec joins the %s namespace at %s, which cannot be examined "
                        "now (%s); what the container joined cannot be confirmed",
                        verify_ns_oci_type(t), path, look ? strerror(errno) : "no root file system");
                return;
        }
        if (st.st_dev != v->f->ns[t].dev || st.st_ino != v->f->ns[t].ino)
                vreport(v, "verify", ACTION_DENY, "ns",
                        "the spec joins the %s namespace at %s (%s); the container is in another one",
                        verify_ns_oci_type(t), path, look);
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
                if (vmap_id(map, c) != (int64_t)h || vmap_id(map, c + n - 1) != (int64_t)(h + n - 1))
                        vreport(v, "verify", ACTION_DENY, file,
                                "linux.%s maps %" PRIu64 "-%" PRIu64 " to %" PRIu64 "; the container's map differs",
                                key, c, c + n - 1, h);
        }
        if (vmap_id(map, 0) == 0 && ns_required(v, VNS_USER))
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

/* --- the whole ------------------------------------------------------------- */

/* The root file system is the spec's root.path (from the bundle when
 * relative) as it was when the spec was judged, and read-only when the
 * spec says so. A fresh stat() of root.path would follow whatever has been
 * mounted over it since (a bind of /usr made after the check). */
static void verify_root(struct vctx *v)
{
        const struct jv *root = jv_get(v->root, "root");
        const struct jv *ro = jv_get(root, "readonly");

        if (!v->s)
                return;
        if (!v->rootfs) {
                vreport(v, "verify", ACTION_DENY, "root", "the spec names no root.path to compare the root with");
                return;
        }
        if (!v->s->root_recorded || v->s->root_err < 0)
                vreport(v, "verify", ACTION_DENY, "root",
                        "root.path %s could not be opened when the spec was judged (%s): what the container's root "
                        "is cannot be confirmed",
                        v->rootfs, v->s->root_recorded ? strerror(-v->s->root_err) : "it was not judged");
        else if (!v->f->root.have || v->s->root_dev != v->f->root.dev || v->s->root_ino != v->f->root.ino)
                vreport(v, "verify", ACTION_DENY, "root",
                        "the container's root directory is not root.path %s as it was judged (another directory "
                        "has taken its place, or been mounted over it)",
                        v->rootfs);
        const struct mount_entry *m = mount_table_find(&v->f->mounts, "/");
        if (jv_is(ro, JV_BOOL) && ro->u.b && m && STREQ(m->point, "/") && !m->readonly)
                vreport(v, "verify", ACTION_DENY, "mountinfo",
                        "the spec makes the root file system read-only (root.readonly); the container's is writable");
}

int verify_judge(const struct policy *p, struct spec *s, const struct verify_facts *f, const struct verify_probe *probe,
                 struct eval *ev, rh_error_t *err)
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
        verify_cgroups(&v);
        verify_devices(&v);
        verify_runtime_state(&v);
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
