/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "findings.h"
#include "host.h"
#include "hostpath.h"
#include "kernel_mounts.h"
#include "util.h"

/* linux.cgroupsPath, the way the runtimes place the container. runc-harden
 * execs a path, and a path does not say which runtime is there: every
 * reading below is judged, and the first that finds a cgroup not the
 * container's own refuses it.
 *
 * runc 1.1.5's cgroupfs driver (libcontainer/cgroups/fs/paths.go,
 * specconv): the path is cleaned (utils.CleanPath, so ".." cannot climb
 * above where it starts); an absolute path is taken from the root of each
 * hierarchy, a relative one from runc's own cgroup, which is runc-harden's
 * (it execs runc) and so the engine's (its shim's). An empty or absent
 * path is the container id below runc's own cgroup. "/" is therefore the
 * host's root cgroup, and ".", ".." or "a/.." the engine's.
 *
 * crun 1.8 (make_cgroup_path, cgroup-cgroupfs.c): a relative path is taken
 * from the root of each hierarchy ("/" + path), an absent one is "/" + id,
 * and an empty one (libocispec keeps "") is "/" itself. crun does not
 * clean the path: the kernel resolves ".." from each hierarchy's directory
 * under /sys/fs/cgroup, out of the hierarchy if it climbs far enough, so a
 * ".." is refused for crun's sake.
 *
 * The systemd form "slice:prefix:name" is read so only under runc's
 * --systemd-cgroup, which the spec does not show: it is judged as the
 * cgroupfs driver would read it too. Under systemd runc starts a new unit
 * and refuses one that exists, so it cannot join another's cgroup.
 *
 * On the host (not in lint), a cgroup that exists with processes in it,
 * or with cgroups below it, in any hierarchy, is another container's or
 * the host's; so is one below a cgroup with processes, whose limits and
 * accounting the container would share. Engines always name a new leaf:
 * /docker/ID, /libpod_parent/libpod-ID, /NAMESPACE/ID (containerd),
 * /kubepods/.../podUID/ID. */

/* Where a finding about the path goes, and how the path is shown. */
struct cg_field {
        const struct jv *at;
        const char *suffix; /* "cgroupsPath" when it is absent */
        const char *shown;
};

/* utils.CleanPath */
static char *cgroup_clean(const char *p)
{
        char *n = path_normalize(p); /* a relative path is taken from "/" */
        if (!n || p[0] == '/')
                return n;
        char *r = strdup(STREQ(n, "/") ? "." : n + 1);
        free(n);
        return r;
}

/* The line of /proc/self/cgroup ("ID:CONTROLLERS:PATH") that is mount e's
 * hierarchy: cgroup2 is hierarchy 0; a v1 hierarchy's controllers (or
 * name=) are among its super block options. */
static bool line_is_hierarchy(const char *line, const struct mount_entry *e)
{
        const char *c = strchr(line, ':');
        if (!c)
                return false;
        const char *ctl = c + 1, *end = strchr(ctl, ':');
        if (!end)
                return false;
        if (STREQ(e->fstype, "cgroup2"))
                return strncmp(line, "0:", 2) == 0 && end == ctl;
        if (end == ctl)
                return false;
        for (const char *p = ctl; p < end;) {
                size_t n = strcspn(p, ",:");
                if (!mount_list_has(e->super, p, n))
                        return false;
                p += n + (p[n] == ',');
        }
        return true;
}

/* This process's cgroup in e's hierarchy ("/" when at the root), or NULL
 * when /proc/self/cgroup does not name it. malloc'd. */
static char *own_cgroup(const struct mount_entry *e)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;
        ssize_t n;

        while (f && (n = getline(&line, &cap, f)) > 0) {
                if (line[n - 1] == '\n')
                        line[n - 1] = '\0';
                if (line_is_hierarchy(line, e))
                        return strdup(strchr(strchr(line, ':') + 1, ':') + 1);
        }
        return NULL;
}

/* How many processes the cgroup at dir holds, and the first; -errno when
 * it cannot be read (-ENOENT: there is no such cgroup). */
static int cgroup_procs(const char *dir, size_t *ret_n, long *ret_first)
{
        _cleanup_free_ char *p = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        char line[32];

        *ret_n = 0;
        *ret_first = 0;
        if (asprintf(&p, "%s/cgroup.procs", dir) < 0)
                return -ENOMEM;
        if (!(f = fopen(p, "re")))
                return -errno;
        while (fgets(line, sizeof(line), f))
                if ((*ret_n)++ == 0)
                        *ret_first = strtol(line, NULL, 10);
        return 0;
}

static bool cgroup_has_children(const char *dir)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        bool any = false;

        while (d && !any && (de = readdir(d)))
                any = de->d_type == DT_DIR && !STREQ(de->d_name, ".") && !STREQ(de->d_name, "..");
        if (d)
                closedir(d);
        return any;
}

/* Reports when target (below start, the hierarchy's root or our own
 * cgroup) is taken or nests under a cgroup that is; true when it did. who:
 * the runtime whose reading target is. */
static bool judge_target(struct rule_ctx *ctx, const struct cg_field *fd, const char *who, const char *start,
                         const char *target)
{
        size_t n;
        long pid;

        int r = cgroup_procs(target, &n, &pid);
        if (r == 0 && n > 0) {
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, which %s reads as %s, a cgroup that %zu process%s already use%s (pid %ld): the "
                            "container would join another container's or the host's cgroup, and %s would set its "
                            "limits on them; give it a cgroup of its own",
                            fd->shown, who, target, n, n == 1 ? "" : "es", n == 1 ? "s" : "", pid, who);
                return true;
        }
        if (r == 0 && cgroup_has_children(target)) {
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, which %s reads as %s, the parent of other cgroups: %s would set this "
                            "container's limits on every one below it; give it a cgroup of its own",
                            fd->shown, who, target, who);
                return true;
        }
        /* Engines always name a new leaf: one that exists, empty, is an
         * operator's or a stale one, whose limits the runtime would
         * overwrite and whose later processes would share the
         * container's (and die with it at delete). */
        if (r == 0) {
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, which %s reads as %s, a cgroup that already exists: the container would take "
                            "over another's cgroup and its limits, and whatever is put there later would share the "
                            "container's; give it a new cgroup (a stale one of a crashed container is to be removed "
                            "first)",
                            fd->shown, who, target);
                return true;
        }
        _cleanup_free_ char *p = strdup(target);
        size_t floor = strlen(start);
        for (char *slash; p && (slash = strrchr(p, '/')) && (size_t)(slash - p) > floor;) {
                *slash = '\0';
                if (cgroup_procs(p, &n, &pid) == 0 && n > 0) {
                        rule_report(ctx, fd->at, fd->suffix,
                                    "is %s, which %s reads as %s, below %s, a cgroup that %zu process%s use%s (pid "
                                    "%ld): the container would count against their limits and they against its; give "
                                    "it a cgroup of its own (no --cgroup-parent naming another container)",
                                    fd->shown, who, target, p, n, n == 1 ? "" : "es", n == 1 ? "s" : "", pid);
                        return true;
                }
        }
        return false;
}

/* Whether e is not the first mount of its hierarchy in mountinfo. */
static bool hierarchy_seen(const struct mount_table *t, const struct mount_entry *e)
{
        for (const struct mount_entry *o = t->v; o < e; o++)
                if (o->dev == e->dev && mount_fstype_kernel_class(o->fstype) &&
                    STREQ(mount_fstype_kernel_class(o->fstype), "cgroup"))
                        return true;
        return false;
}

/* clean: absolute, from the root of each hierarchy, or relative, from
 * our own cgroup there. True when it reported. */
static bool judge_on_host(struct rule_ctx *ctx, const struct cg_field *fd, const char *who, const char *clean)
{
        const struct mount_table *t;

        if (hostpath_mount_table(&t) < 0) {
                rule_report_unfixable(ctx, fd->at, fd->suffix,
                                      "is %s, and where %s would put the container cannot be judged: "
                                      "/proc/self/mountinfo cannot be read",
                                      fd->shown, who);
                return true;
        }
        for (size_t i = 0; i < t->n; i++) {
                const struct mount_entry *e = &t->v[i];
                const char *class = mount_fstype_kernel_class(e->fstype);
                _cleanup_free_ char *own = NULL, *start = NULL, *target = NULL;

                /* Every mount of every hierarchy is a view the runtime may
                 * take: runc 1.1.5 takes the first below /sys/fs/cgroup
                 * for an absolute path, the first of all for a relative
                 * one, crun /sys/fs/cgroup/CONTROLLER; in a Docker-in-
                 * Docker container or a kind node each is a bind of the
                 * node's cgroup, and a bind of a sub-cgroup may come
                 * first. A cgroup found taken in any of them refuses. */
                if (!class || !STREQ(class, "cgroup"))
                        continue;
                if (clean[0] == '/') {
                        /* runc joins an absolute path to the mount point,
                         * whatever the mount's root */
                        start = strdup(e->point);
                } else {
                        if (!(own = own_cgroup(e)))
                                continue; /* runc cannot place it there either */
                        /* and a relative one to its own cgroup, as seen
                         * below the mount's root */
                        _cleanup_free_ char *mine = path_normalize(own), *root = path_normalize(e->root);
                        if (!mine || !root)
                                return false;
                        if (!path_is_under(mine, root)) {
                                if (hierarchy_seen(t, e))
                                        continue; /* a bind of another cgroup: not runc's view */
                                rule_report_unfixable(ctx, fd->at, fd->suffix,
                                                      "is %s, and where %s would put the container cannot be "
                                                      "judged: runc-harden's own cgroup %s is outside what the "
                                                      "cgroup mount at %s shows (%s)",
                                                      fd->shown, who, mine, e->point, root);
                                return true;
                        }
                        const char *below = mine + (STREQ(root, "/") ? 0 : strlen(root));
                        if (asprintf(&start, "%s%s", e->point, STREQ(below, "/") ? "" : below) < 0)
                                return false;
                }
                if (!start || asprintf(&target, "%s%s%s", start, clean[0] == '/' ? "" : "/", clean) < 0)
                        return false;
                if (judge_target(ctx, fd, who, start, target))
                        return true;
        }
        return false;
}

/* A ".." between any two of "/", ":" and ",": in the controller list, in
 * the path, and in crun's reading of the whole value as one path. */
static bool has_dotdot(const char *v)
{
        for (const char *p = v;;) {
                size_t n = strcspn(p, "/:,");
                if (n == 2 && p[0] == '.' && p[1] == '.')
                        return true;
                if (!p[n])
                        return false;
                p += n + 1;
        }
}

/* runc's reading: the cleaned path (relative: from its own cgroup), or
 * the container id when the path is empty; NULL when no id is known. */
static char *runc_reading(const char *cp, const char *id)
{
        const char *p = *cp ? cp : id;
        return p ? cgroup_clean(p) : NULL;
}

/* crun's reading, from the root of each hierarchy; cp NULL: absent. */
static char *crun_reading(const char *cp, const char *id)
{
        char *raw = NULL;
        if (!cp && !id)
                return NULL;
        if (asprintf(&raw, "%s%s", cp && cp[0] == '/' ? "" : "/", cp ?: id) < 0)
                return NULL;
        char *n = path_normalize(raw);
        free(raw);
        return n;
}

/* Root and own cgroup, known without the host; true when it reported. */
static bool judge_lexically(struct rule_ctx *ctx, const struct cg_field *fd, const char *cp, const char *runc,
                            const char *crun)
{
        bool own = runc && STREQ(runc, ".");
        const char *root_who = runc && STREQ(runc, "/") ? "runc" : !own && crun && STREQ(crun, "/") ? "crun" : NULL;

        if (root_who)
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, which %s reads as the root cgroup of every hierarchy: no limit applies there, "
                            "and %s would set this container's limits on the whole host; leave the path to the "
                            "engine",
                            fd->shown, root_who, root_who);
        else if (own)
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, which runc reads as its own cgroup, the engine's: the container would share it "
                            "and runc would set its limits on the engine; leave the path to the engine",
                            fd->shown);
        else if (cp && has_dotdot(cp))
                rule_report(ctx, fd->at, fd->suffix,
                            "is %s, with a \"..\" component: crun does not clean the path, and the kernel resolves "
                            "\"..\" from each hierarchy's directory, out of the hierarchy if it climbs far enough; "
                            "name the cgroup without \"..\"",
                            fd->shown);
        else
                return false;
        return true;
}

static char *last_clean; /* the last path (and id) judged clean on the host */

void kernel_check_cgroups_path(struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *v = jv_get(l, "cgroupsPath");
        const char *cp = NULL, *id = ctx->spec->id;
        struct cg_field fd = {.at = v, .shown = NULL};
        _cleanup_free_ char *shown = NULL, *key = NULL;

        if (!jv_is(l, JV_OBJECT))
                return;
        if (v && v->type != JV_NULL && !jv_cstr(v, &cp)) {
                hostpath_invalid_once(ctx, v, NULL, "must be a string without NUL bytes (runc refuses it)");
                return;
        }
        if (!cp) {
                fd = (struct cg_field){.at = l, .suffix = "cgroupsPath"};
                if (id && asprintf(&shown, "absent (the runtime takes the container id, %s)", id) < 0)
                        return;
        } else if (!*cp) {
                if (asprintf(&shown, "empty (runc takes the container id, %s; crun the root)", id ?: "unknown") < 0)
                        return;
        }
        fd.shown = shown ?: cp;
        _cleanup_free_ char *runc = runc_reading(cp ?: "", id), *crun = crun_reading(cp, id);
        if (!fd.shown || judge_lexically(ctx, &fd, cp, runc, crun) || ctx->spec->offline)
                return;
        /* the same spec is evaluated again once fixed: a path found clean
         * a moment ago is not walked again */
        if (asprintf(&key, "%s%c%s", cp ?: "", 0x1f, cp && *cp ? "" : id ?: "") < 0 ||
            (last_clean && STREQ(last_clean, key)))
                return;
        if ((runc && judge_on_host(ctx, &fd, "runc", runc)) ||
            (crun && !(runc && STREQ(runc, crun)) && judge_on_host(ctx, &fd, "crun", crun)))
                return;
        free(last_clean);
        last_clean = TAKE_PTR(key);
}

/* exec --cgroup [CTRL[,CTRL...]:]PATH. runc 1.1.5 (exec.go
 * getSubCgroupPaths, libcontainer newSetnsProcess) joins PATH to the
 * container's cgroup in each hierarchy with path.Join, which cleans "..",
 * and takes the result when the container's path is a string prefix of it,
 * with no "/" boundary: with the container at /c1, "../c1-host" is the
 * sibling /c1-host, with none of the container's limits or device rules.
 * crun 1.8 appends the whole value to the container's path, checks
 * nothing ("../.." is the root cgroup), reads no controller list (to it
 * "pids:sub" is a directory of that name), and in every hierarchy where
 * the directory is missing when it joins, late, leaves the process in its
 * own cgroup, the caller's: a race no check before the hand-off closes.
 * So any ".." is refused, and so is a controller list; a sub-cgroup is
 * handed to runc only (which fails where one is missing), and must exist
 * below the container's cgroup in every hierarchy its init process is
 * in. */
static bool runtime_is_runc(const char *runtime)
{
        const char *base = runtime ? strrchr(runtime, '/') : NULL;
        return runtime && STREQ(base ? base + 1 : runtime, "runc");
}

static void judge_exec_cgroup(struct rule_ctx *ctx, const char *v)
{
        const struct spec *c = ctx->spec->container;
        const struct mount_table *t;
        _cleanup_free_ char *path = NULL, *line = NULL, *rooted = NULL, *sub = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t cap = 0;
        ssize_t n;

        /* the process judged alone, before its container is known: the
         * full judgement follows with the container */
        if (!c)
                return;
        if (asprintf(&rooted, "/%s", v) < 0 || !(sub = path_normalize(rooted)))
                return;
        if (!STREQ(sub, "/") && !runtime_is_runc(ctx->spec->runtime)) {
                rule_report(ctx, NULL, "--cgroup",
                            "%s names a sub-cgroup, and the runtime is %s, not runc: crun leaves the process in its "
                            "own cgroup (the caller's) in every hierarchy where the directory is missing at the "
                            "moment it joins, which no check before can rule out; exec without --cgroup, or "
                            "through runc",
                            v, ctx->spec->runtime ?: "unknown");
                return;
        }
        if (c->pid <= 0 || asprintf(&path, "/proc/%d/cgroup", (int)c->pid) < 0 || !(f = fopen(path, "re")) ||
            hostpath_mount_table(&t) < 0) {
                rule_report_unfixable(ctx, NULL, "--cgroup",
                                      "%s cannot be judged: the container's cgroups cannot be read (%s), so "
                                      "whether %s exists below them cannot be told; refusing what cannot be judged",
                                      v, c->pid > 0 ? "its /proc/PID/cgroup" : "its state names no running process", v);
                return;
        }
        while ((n = getline(&line, &cap, f)) > 0) {
                if (line[n - 1] == '\n')
                        line[n - 1] = '\0';
                const char *cg = strchr(line, ':');
                cg = cg ? strchr(cg + 1, ':') : NULL;
                if (!cg)
                        continue;
                bool found = false;
                for (size_t i = 0; i < t->n && !found; i++) {
                        const struct mount_entry *e = &t->v[i];
                        const char *class = mount_fstype_kernel_class(e->fstype);
                        if (!class || !STREQ(class, "cgroup") || !STREQ(e->root, "/") || !line_is_hierarchy(line, e))
                                continue;
                        _cleanup_free_ char *joined = NULL, *dir = NULL;
                        struct stat st;
                        if (asprintf(&joined, "%s/%s/%s", e->point, cg + 1, v) < 0 || !(dir = path_normalize(joined)))
                                return;
                        if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
                                rule_report(ctx, NULL, "--cgroup",
                                            "%s names %s, which does not exist: the process would not be below the "
                                            "container's cgroup there; create the cgroup below the container's in "
                                            "every hierarchy first",
                                            v, dir);
                                return;
                        }
                        found = true;
                }
                /* a v1 hierarchy no mount shows here cannot be checked
                 * (and crun skips it); a host with no cgroup2 mount uses
                 * none */
                if (!found && strncmp(line, "0::", 3) != 0) {
                        rule_report_unfixable(ctx, NULL, "--cgroup",
                                              "%s cannot be judged: no cgroup mount here shows the container's "
                                              "hierarchy %.*s; refusing what cannot be judged",
                                              v, (int)(cg - line), line);
                        return;
                }
        }
}

void kernel_check_exec_cgroups(struct rule_ctx *ctx)
{
        for (size_t i = 0; i < ctx->spec->n_exec_cgroups; i++) {
                const char *v = ctx->spec->exec_cgroups[i];
                if (has_dotdot(v))
                        rule_report(ctx, NULL, "--cgroup",
                                    "%s has a \"..\" component: runc 1.1.5 accepts any cgroup whose path starts with "
                                    "the container's (a sibling such as /c1-host of /c1) and crun checks nothing, so "
                                    "the process would run outside the container's limits and device rules; name a "
                                    "cgroup below the container's, without \"..\"",
                                    v);
                else if (strpbrk(v, ":,"))
                        rule_report(ctx, NULL, "--cgroup",
                                    "%s names controllers: crun reads no controller list and takes the whole value "
                                    "as a directory, which does not exist, and then leaves the process in its own "
                                    "cgroup (the caller's); name the sub-cgroup alone (--cgroup PATH)",
                                    v);
                else if (!ctx->spec->offline)
                        judge_exec_cgroup(ctx, v);
        }
}
