/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "rootpath.h"
#include "util.h"

/* The runtimes containerd and podman name in their TOML files: read
 * narrowly (toml.c), and failing closed on a file the reader cannot
 * follow. bypass_judge.c judges each. */

/* --- containerd and podman: their TOML files ------------------------------ */

struct toml_file {
        char *path; /* as seen from the root */
        struct toml_doc doc;
};

struct toml_files {
        struct toml_file *v;
        size_t n;
};

static void toml_files_done(struct toml_files *f)
{
        for (size_t i = 0; i < f->n; i++) {
                free(f->v[i].path);
                toml_doc_done(&f->v[i].doc);
        }
        free(f->v);
        *f = (struct toml_files){0};
}

/* Reads one engine file (under root) and appends it. An absent file is
 * the engine's defaults. One that cannot be read or parsed fails closed:
 * the engine reads runtimes from it that the audit cannot see. */
static void toml_load(const struct bypass *b, const char *path, struct toml_files *f)
{
        _cleanup_free_ char *buf = NULL;
        struct toml_doc doc;
        const char *why = NULL;
        unsigned line = 0;
        size_t len;

        int r = audit_read(b->root, path, &buf, &len);
        if (r == -ENOENT || r == -ENOTDIR)
                return;
        if (r >= 0)
                r = toml_parse(buf, len, &doc, &line, &why);
        if (r < 0) {
                char at[32] = "";
                if (line)
                        snprintf(at, sizeof(at), ":%u", line);
                audit_report(b->ev, "host-runtime-bypass", path,
                             "%s%s: %s: the runtimes it names cannot be checked, so they count as bypasses; "
                             "fix the file or check its runtimes by hand",
                             path, at, why ?: strerror(-r));
                return;
        }
        struct toml_file *v = realloc(f->v, (f->n + 1) * sizeof(*v));
        char *copy = v ? strdup(path) : NULL;
        if (v)
                f->v = v;
        if (!copy) {
                toml_doc_done(&doc);
                b->ev->oom = true;
                return;
        }
        f->v[f->n++] = (struct toml_file){.path = copy, .doc = doc};
}

static bool key_is(const struct toml_entry *e, size_t from, const char *a, const char *z)
{
        return e->n_key == from + (z ? 2 : 1) && STREQ(e->key[from], a) && (!z || STREQ(e->key[from + 1], z));
}

/* --- containerd ---------------------------------------------------------- */

/* One runtime handler of containerd's CRI plugin, as its last definition
 * left it (imports are merged over the file that names them, in order). */
struct ctd_runtime {
        const char *name;
        const char *file;
        const struct toml_entry *type, *binary, *shim, *first;
};

struct ctd_runtimes {
        struct ctd_runtime *v;
        size_t n;
};

static struct ctd_runtime *ctd_runtime_get(struct ctd_runtimes *rs, const char *name, const char *file,
                                           const struct toml_entry *e)
{
        for (size_t i = 0; i < rs->n; i++)
                if (STREQ(rs->v[i].name, name)) {
                        rs->v[i].file = file;
                        return &rs->v[i];
                }
        struct ctd_runtime *v = realloc(rs->v, (rs->n + 1) * sizeof(*v));
        if (!v)
                return NULL;
        rs->v = v;
        rs->v[rs->n] = (struct ctd_runtime){.name = name, .file = file, .first = e};
        return &rs->v[rs->n++];
}

/* …containerd.runtimes.NAME.REST (every config version: plugins.cri,
 * plugins."io.containerd.grpc.v1.cri", plugins.'io.containerd.cri.v1.runtime'),
 * the old …containerd.default_runtime.REST and untrusted_workload_runtime,
 * and the v1 shim's plugins."io.containerd.runtime.v1.linux".runtime. */
static void ctd_note_entry(struct ctd_runtimes *rs, const char *file, const struct toml_entry *e, bool *oom)
{
        const char *name = NULL;
        size_t rest = 0;
        for (size_t i = 0; !name && i + 2 < e->n_key; i++) {
                if (!STREQ(e->key[i], "containerd"))
                        continue;
                if (STREQ(e->key[i + 1], "runtimes") && i + 3 < e->n_key)
                        name = e->key[i + 2], rest = i + 3;
                else if (STREQ(e->key[i + 1], "default_runtime") || STREQ(e->key[i + 1], "untrusted_workload_runtime"))
                        name = e->key[i + 1], rest = i + 2;
        }
        if (!name && e->n_key >= 2 && key_is(e, e->n_key - 2, "io.containerd.runtime.v1.linux", "runtime"))
                name = e->key[e->n_key - 2], rest = e->n_key - 1;
        if (!name)
                return;
        struct ctd_runtime *r = ctd_runtime_get(rs, name, file, e);
        if (!r) {
                *oom = true;
                return;
        }
        if (key_is(e, rest, "runtime_type", NULL))
                r->type = e;
        else if (key_is(e, rest, "runtime_path", NULL))
                r->shim = e;
        else if (key_is(e, rest, "options", "BinaryName") || key_is(e, rest, "options", "Runtime") ||
                 key_is(e, rest, "runtime_engine", NULL) || key_is(e, rest, "runtime", NULL))
                r->binary = e;
}

/* imports = ["/etc/containerd/conf.d/NAME.toml", …]: globs, relative to the file
 * that names them; a pattern that matches nothing is no error. */
static void ctd_imports(const struct bypass *b, const struct toml_file *from, struct toml_files *f)
{
        for (size_t i = 0; i < from->doc.n; i++) {
                const struct toml_entry *e = &from->doc.v[i];
                if (!key_is(e, 0, "imports", NULL) || e->kind != TOML_STRINGS)
                        continue;
                for (size_t k = 0; k < e->n_strs && f->n < 64; k++) {
                        _cleanup_free_ char *dir = strdup(from->path), *rel = NULL, *pat = NULL;
                        char *slash = dir ? strrchr(dir, '/') : NULL;
                        if (!slash)
                                continue;
                        *slash = '\0';
                        if (e->strs[k][0] != '/' && asprintf(&rel, "%s/%s", dir, e->strs[k]) < 0)
                                continue;
                        if (!(pat = root_path(b->root, rel ?: e->strs[k])))
                                continue;
                        glob_t g;
                        if (glob(pat, 0, NULL, &g) != 0)
                                continue;
                        size_t skip = strlen(pat) - strlen(rel ?: e->strs[k]);
                        for (size_t m = 0; m < g.gl_pathc && f->n < 64; m++)
                                toml_load(b, g.gl_pathv[m] + skip, f);
                        globfree(&g);
                }
        }
}

static void ctd_judge(const struct bypass *b, const struct ctd_runtime *r)
{
        const char *type =
                r->type && r->type->kind == TOML_STRING && *r->type->str ? r->type->str : "io.containerd.runc.v2";
        const struct toml_entry *at = r->binary ?: r->shim ?: r->type ?: r->first;
        _cleanup_free_ char *where = NULL;
        struct rt rt;

        if (asprintf(&where, "%s:%u", r->file, at->line) < 0)
                return;
        if (r->shim && r->shim->kind == TOML_STRING && *r->shim->str) {
                audit_report(b->ev, "host-runtime-bypass", where,
                             "containerd's runtime %s starts the shim %s (runtime_path), which the audit cannot "
                             "follow: count it as a bypass; remove runtime_path or check that shim by hand",
                             r->name, r->shim->str);
                return;
        }
        if (!STREQ(type, "io.containerd.runc.v2") && !STREQ(type, "io.containerd.runc.v1") &&
            !STREQ(type, "io.containerd.runtime.v1.linux")) {
                audit_report(b->ev, "host-runtime-bypass", where,
                             "containerd's runtime %s is the shim %s, which does not run runc-harden: pods whose "
                             "RuntimeClass names the handler %s start unchecked; remove it",
                             r->name, type, r->name);
                return;
        }
        if (!r->binary || r->binary->kind != TOML_STRING || !*r->binary->str)
                return; /* runc from PATH: check_path_runc */
        bypass_judge(b, r->binary->str, &rt);
        if (rt.verdict == RT_MISSING) {
                audit_note(b->notes, "containerd's runtime %s: %s: %s: cannot start containers, not checked", r->name,
                           rt.named ?: r->binary->str, strerror(rt.error));
        } else if (rt.verdict == RT_OTHER) {
                _cleanup_free_ char *what = bypass_rt_describe(&rt);
                audit_report(b->ev, "host-runtime-bypass", where,
                             "containerd's runtime %s runs %s (%s), not runc-harden: pods whose RuntimeClass names "
                             "the handler %s start unchecked; set it to runc-harden's path",
                             r->name, what ?: r->binary->str, r->binary->key[r->binary->n_key - 1], r->name);
        }
        bypass_rt_done(&rt);
}

void bypass_check_containerd(const struct bypass *b)
{
        _cleanup_(toml_files_done) struct toml_files f = {0};
        struct ctd_runtimes rs = {0};
        bool oom = false;

        toml_load(b, "/etc/containerd/config.toml", &f);
        for (size_t i = 0; i < f.n; i++) {     /* f grows as imports are found: breadth first, as containerd */
                struct toml_file cur = f.v[i]; /* f.v may move; what it points to does not */
                ctd_imports(b, &cur, &f);
        }
        for (size_t i = 0; i < f.n; i++)
                for (size_t k = 0; k < f.v[i].doc.n; k++)
                        ctd_note_entry(&rs, f.v[i].path, &f.v[i].doc.v[k], &oom);
        for (size_t i = 0; i < rs.n; i++)
                ctd_judge(b, &rs.v[i]);
        free(rs.v);
        if (oom)
                b->ev->oom = true;
}

/* --- podman -------------------------------------------------------------- */

static const char *const podman_bins[] = {"/usr/bin/podman", "/usr/local/bin/podman", NULL};

/* containers/common's built-in paths for the runtimes podman may default
 * to; the first that exists is used. */
static const char *const podman_runc[] = {
        "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc",           "/usr/local/sbin/runc",
        "/sbin/runc",    "/bin/runc",      "/usr/lib/cri-o-runc/sbin/runc", NULL};
static const char *const podman_crun[] = {"/usr/bin/crun",
                                          "/usr/sbin/crun",
                                          "/usr/local/bin/crun",
                                          "/usr/local/sbin/crun",
                                          "/sbin/crun",
                                          "/bin/crun",
                                          "/run/current-system/sw/bin/crun",
                                          NULL};

/* podman 4's default when containers.conf names none. */
#define PODMAN_DEFAULT_RUNTIME "crun"

static int conf_filter(const struct dirent *de)
{
        size_t n = strlen(de->d_name);
        return n > 5 && STREQ(de->d_name + n - 5, ".conf");
}

/* containers.conf, then its drop-ins in name order: later files win. */
static void podman_load(const struct bypass *b, struct toml_files *f)
{
        static const char *const bases[] = {"/usr/share/containers", "/etc/containers"};
        for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
                _cleanup_free_ char *conf = NULL, *dir = NULL, *hdir = NULL;
                struct dirent **names = NULL;
                if (asprintf(&conf, "%s/containers.conf", bases[i]) < 0 ||
                    asprintf(&dir, "%s/containers.conf.d", bases[i]) < 0 || !(hdir = root_path(b->root, dir)))
                        return;
                toml_load(b, conf, f);
                int n = scandir(hdir, &names, conf_filter, alphasort);
                for (int k = 0; k < n; k++) {
                        _cleanup_free_ char *p = NULL;
                        if (asprintf(&p, "%s/%s", dir, names[k]->d_name) >= 0)
                                toml_load(b, p, f);
                        free(names[k]);
                }
                free(names);
        }
}

/* The last [engine] runtime = "…", and where it was set. */
static const struct toml_entry *podman_last(const struct toml_files *f, const char *a, const char *z,
                                            const char **ret_file)
{
        const struct toml_entry *last = NULL;
        for (size_t i = 0; i < f->n; i++)
                for (size_t k = 0; k < f->v[i].doc.n; k++) {
                        const struct toml_entry *e = &f->v[i].doc.v[k];
                        if (e->n_key == (z ? 3 : 2) && STREQ(e->key[0], "engine") && STREQ(e->key[1], a) &&
                            (!z || STREQ(e->key[2], z))) {
                                last = e;
                                *ret_file = f->v[i].path;
                        }
                }
        return last;
}

/* podman's first existing path for runtime name. */
static bool podman_runtime_path(const struct bypass *b, const struct toml_files *f, const char *name, struct rt *r)
{
        const char *file = NULL, *const *builtin = STREQ(name, "runc")   ? podman_runc
                                                   : STREQ(name, "crun") ? podman_crun
                                                                         : NULL;
        const struct toml_entry *e = podman_last(f, "runtimes", name, &file);
        size_t n = e && e->kind == TOML_STRINGS ? e->n_strs : 0;

        if (name[0] == '/') {
                bypass_judge(b, name, r);
                return true;
        }
        for (size_t i = 0; e ? i < n : builtin && builtin[i]; i++) {
                bypass_judge(b, e ? e->strs[i] : builtin[i], r);
                if (r->verdict != RT_MISSING)
                        return true;
                bypass_rt_done(r);
        }
        return false;
}

void bypass_check_podman(const struct bypass *b)
{
        _cleanup_(toml_files_done) struct toml_files f = {0};
        const char *file = NULL, *name = PODMAN_DEFAULT_RUNTIME;
        struct rt r = {0};

        podman_load(b, &f);
        if (!f.n && !bypass_installed(b->root, podman_bins))
                return;
        const struct toml_entry *e = podman_last(&f, "runtime", NULL, &file);
        if (e && e->kind == TOML_STRING && *e->str)
                name = e->str;
        if (!podman_runtime_path(b, &f, name, &r)) {
                audit_note(b->notes,
                           "podman's default runtime %s is not installed: podman runs no container, "
                           "not checked",
                           name);
                return;
        }
        if (r.verdict == RT_OTHER) {
                _cleanup_free_ char *what = bypass_rt_describe(&r), *where = NULL;
                if (e && asprintf(&where, "%s:%u", file, e->line) < 0)
                        where = NULL;
                audit_report(b->ev, "host-runtime-bypass", where ?: "/etc/containers/containers.conf",
                             "podman's default OCI runtime %s is %s, not runc-harden: podman run starts containers "
                             "unchecked; make runc-harden the system's runc and podman's runtime \"runc\" (runc-harden "
                             "setup system does both)",
                             name, what ?: name);
        }
        bypass_rt_done(&r);
}
