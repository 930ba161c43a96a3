/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "util.h"

/* RUN-5, the runtimes around runc-harden. A guard that an engine lets its
 * users step around is no guard: Docker always offers its built-in `runc`
 * runtime (the name is reserved, so `docker run --runtime=runc` reaches it
 * whatever the default runtime is), every daemon.json runtime is one
 * `--runtime=NAME` away, a Kubernetes pod picks a containerd runtime
 * handler by its RuntimeClass, and podman runs its default runtime. Each
 * that does not resolve to runc-harden is a bypass.
 *
 * "Is runc-harden" is the same device and inode as the audit's own binary
 * (or --runc-harden), after every symlink: a name proves nothing. Paths are
 * resolved inside the root directory as the kernel would inside a chroot
 * of it, so a fake host's absolute symlinks stay in the fake host. */

static const char *const dockerd_bins[] = {"/usr/bin/dockerd", "/usr/sbin/dockerd", "/usr/local/bin/dockerd", NULL};
static const char *const containerd_bins[] = {"/usr/bin/containerd", "/usr/sbin/containerd",
                                              "/usr/local/bin/containerd", NULL};

/* --- dockerd ------------------------------------------------------------- */

static void report_daemon_runtime(const struct bypass *b, const char *name, const char *binary, const char *where,
                                  const char *how)
{
        struct rt r;
        bypass_judge(b, binary, &r);
        if (r.verdict == RT_MISSING) {
                audit_note(b->notes, "dockerd's runtime %s: %s: %s: cannot start containers, not checked", name,
                           r.named ?: binary, strerror(r.error));
        } else if (r.verdict == RT_OTHER) {
                _cleanup_free_ char *what = bypass_rt_describe(&r);
                audit_report(b->ev, "daemon-runtime-bypass", where,
                             "the runtime %s runs %s%s, not runc-harden: docker run --runtime=%s starts containers "
                             "unchecked; remove it, or make runc-harden its path",
                             name, what ?: binary, how, name);
        }
        bypass_rt_done(&r);
}

/* Docker 23's shim runtimes: {"runtimeType": "io.containerd.runc.v2",
 * "options": {"BinaryName": …}}; runc's shim without a BinaryName runs
 * runc from PATH. Any other shim runs no runc-harden. */
static void check_shim_runtime(const struct bypass *b, const char *name, const struct jv *entry)
{
        const char *type = NULL, *binary = NULL;
        const struct jv *t = audit_json_get(entry, "runtimeType");
        const struct jv *bn = audit_json_get(audit_json_get(entry, "options"), "BinaryName");
        _cleanup_free_ char *where = jv_pointer(t ?: entry);

        if (!jv_cstr(t, &type))
                return; /* neither path nor runtimeType: dockerd refuses the file */
        if (jv_cstr(bn, &binary) && *binary) {
                _cleanup_free_ char *bwhere = jv_pointer(bn);
                report_daemon_runtime(b, name, binary, bwhere ?: "", " (its BinaryName)");
                return;
        }
        if (STREQ(type, "io.containerd.runc.v2") || STREQ(type, "io.containerd.runc.v1")) {
                report_daemon_runtime(b, name, "runc", where ?: "", " (runc's shim runs runc from PATH)");
                return;
        }
        audit_report(b->ev, "daemon-runtime-bypass", where ?: "",
                     "the runtime %s is the containerd shim %s, which does not run runc-harden: docker run "
                     "--runtime=%s starts containers unchecked; remove it",
                     name, type, name);
}

static void check_daemon_runtimes(const struct bypass *b, const struct daemon *d)
{
        const struct flag_setting *s = daemon_flags_get(d->flags, "runtimes");
        for (size_t i = 0; s && i < s->n; i++) {
                const char *eq = strchr(s->values[i], '=');
                _cleanup_free_ char *name = eq ? strndup(s->values[i], (size_t)(eq - s->values[i])) : NULL;
                _cleanup_free_ char *where = NULL;
                if (!name || asprintf(&where, "--add-runtime %s (%s)", s->values[i],
                                      d->flags_origin ?: "dockerd's command line") < 0)
                        continue;
                report_daemon_runtime(b, name, eq + 1, where, "");
        }
        const struct jv *o = d->doc ? audit_json_get(d->doc->root, "runtimes") : NULL;
        for (size_t i = 0; jv_is(o, JV_OBJECT) && i < o->u.obj.n; i++) {
                const struct jv_member *m = &o->u.obj.m[i];
                const struct jv *p = audit_json_get(m->val, "path");
                const char *path;
                _cleanup_free_ char *name = strndup(m->key, m->keylen);
                if (!name || audit_key_shadowed(o, i) || !jv_is(m->val, JV_OBJECT))
                        continue;
                if (!p) {
                        check_shim_runtime(b, name, m->val);
                        continue;
                }
                _cleanup_free_ char *where = jv_pointer(p);
                if (jv_cstr(p, &path) && *path)
                        report_daemon_runtime(b, name, path, where ?: "", "");
        }
}

/* --- runc on PATH ------------------------------------------------------- */

/* dockerd's built-in runtime and containerd's runc shim (ctr run, and
 * the CRI's runc handler unless its BinaryName says otherwise) run `runc`
 * from PATH: `runc-harden setup system` makes that runc-harden. */
static void check_path_runc(const struct bypass *b, const struct daemon *d)
{
        bool docker = d->doc || d->flags_origin || bypass_installed(b->root, dockerd_bins);
        bool containerd =
                bypass_installed(b->root, containerd_bins) || audit_exists(b->root, "/etc/containerd/config.toml");
        struct rt r;

        if (!docker && !containerd)
                return;
        bypass_judge(b, "runc", &r);
        if (r.verdict == RT_MISSING) {
                audit_note(b->notes, "no runc on PATH (%s): the engines' runc runtimes cannot start containers",
                           "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        } else if (r.verdict == RT_OTHER) {
                _cleanup_free_ char *what = bypass_rt_describe(&r);
                audit_report(b->ev, "host-runtime-bypass", r.named,
                             "runc on PATH is %s, the real runc, not runc-harden: %s%s%s start containers "
                             "unchecked; make runc-harden the system's runc with runc-harden setup system",
                             what ?: r.named, docker ? "docker run --runtime=runc (dockerd's built-in runtime)" : "",
                             docker && containerd ? " and " : "",
                             containerd ? "containerd's runc shim (ctr run, the CRI runtime handler runc)" : "");
        }
        bypass_rt_done(&r);
}

bool bypass_runc_is_harden(const struct audit_input *in)
{
        struct stat st;
        struct rt r;

        if (stat(in->runc_harden ?: "/proc/self/exe", &st) < 0)
                return false;
        struct bypass b = {.root = in->root, .dev = st.st_dev, .ino = st.st_ino};
        bypass_judge(&b, "runc", &r);
        bool harden = r.verdict == RT_HARDEN;
        bypass_rt_done(&r);
        return harden;
}

void bypass_check(const struct audit_input *in, const struct daemon *d, struct eval *daemon_ev, struct eval *host_ev,
                  struct audit_notes *notes)
{
        const char *self = in->runc_harden ?: "/proc/self/exe";
        struct stat st;

        if (stat(self, &st) < 0) {
                audit_note(notes, "%s: %s: runc-harden's own binary is unknown, %s not checked", self, strerror(errno),
                           "daemon-runtime-bypass and host-runtime-bypass");
                return;
        }
        struct bypass b = {.root = in->root, .dev = st.st_dev, .ino = st.st_ino, .ev = daemon_ev, .notes = notes};
        check_daemon_runtimes(&b, d);
        b.ev = host_ev;
        check_path_runc(&b, d);
        bypass_check_containerd(&b);
        bypass_check_podman(&b);
}
