/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "namespaces.h"
#include "nspath.h"
#include "rules.h"
#include "util.h"

/* Finds linux.namespaces; absent is an empty list. */
static int get_namespaces(struct rule_ctx *ctx, struct jv **ret)
{
        struct jv *l = NULL;
        int r = rule_get_object(ctx, ctx->spec->root, "linux", &l);
        *ret = NULL;
        if (r < 0)
                return r;
        return rule_get_array(ctx, l, "namespaces", ret);
}

/* A namespace entry as runc reads it: a known type and an optional path. */
static int read_entry(struct rule_ctx *ctx, const struct jv *e, const char **type, const char **path)
{
        int r;
        if (e->type != JV_OBJECT)
                return rule_invalid(ctx, e, NULL, "must be an object with a \"type\"");
        if ((r = rule_get_string(ctx, e, "type", type)) < 0)
                return r;
        if (!*type || !host_ns_proc_name(*type))
                return rule_invalid(ctx, e, "type",
                                    "is not a namespace type runc knows (pid, network, mount, "
                                    "ipc, uts, user, cgroup, time)");
        if ((r = rule_get_string(ctx, e, "path", path)) < 0)
                return r;
        /* runc 1.1 lstat()s the path from the bundle directory, then its
         * init opens it from the container's root file system directory
         * (its working directory); runc-harden would stat() it from the
         * engine's. A relative path can name three different files. */
        if (*path && **path && **path != '/')
                return rule_invalid(ctx, e, "path",
                                    "is not an absolute path (the runtime-spec requires one): runc would open it "
                                    "from the container's root file system directory, not where it was checked");
        return 0;
}

const struct jv *userns_host_zero_range(const struct jv *linux_obj, const char *which)
{
        const struct jv *maps = jv_get(linux_obj, which);

        for (size_t i = 0; jv_is(maps, JV_ARRAY) && i < maps->u.arr.n; i++) {
                uint64_t h, n;
                const struct jv *m = maps->u.arr.v[i];
                /* The kernel refuses a range that wraps past 2^32, so one
                 * that holds host id 0 starts there. */
                if (jv_uint64(jv_get(m, "hostID"), &h) == 0 && jv_uint64(jv_get(m, "size"), &n) == 0 && h == 0 && n > 0)
                        return m;
        }
        return NULL;
}

/* A new user namespace (no path) whose mappings hold host id 0 is the
 * host's in effect: reported as such when the policy requires a private
 * one (root-user judges it the same way). */
static void check_user_mappings(struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux");
        static const char *const maps[] = {"uidMappings", "gidMappings"};

        for (size_t i = 0; i < ARRAY_SIZE(maps); i++) {
                const struct jv *m = userns_host_zero_range(l, maps[i]);
                if (!m)
                        continue;
                if (rule_param_strings_contains(ctx, "required", "user"))
                        rule_report_unfixable(ctx, m, "hostID",
                                              "maps host %s 0 into the container's user namespace: whoever holds "
                                              "that id in the container (root can take it) is root on the host to "
                                              "every file it owns, so this is in effect the host's user namespace; "
                                              "map the container to an unprivileged host range (dockerd "
                                              "--userns-remap)",
                                              i == 0 ? "uid" : "gid");
                return;
        }
}

/* stat() of a namespace path failed: what that means depends on where
 * the spec is checked. Only "it does not exist" is no evidence away from
 * the host that will run it (lint); anything else, such as a path whose
 * namespace may not be read (EACCES), is said as it is and refused. */
static void report_unexaminable(struct rule_ctx *ctx, const struct jv *e, const char *type, const char *path, int error)
{
        if (ctx->spec->offline && (error == ENOENT || error == ENOTDIR)) {
                rule_report_warn(ctx, e, "path",
                                 "the %s namespace at %s does not exist on this host and cannot be compared "
                                 "with the host's",
                                 type, path);
                return;
        }
        rule_report_unfixable(ctx, e, "path",
                              "the %s namespace at %s cannot be examined (%s); refusing what cannot be checked", type,
                              path, strerror(error));
}

/* The clone flag of an OCI namespace type, as NS_GET_NSTYPE reports it. */
static int ns_clone_flag(const char *type)
{
        static const struct {
                const char *type;
                int flag;
        } flags[] = {{"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
                     {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
                     {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};

        for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
                if (STREQ(type, flags[i].type))
                        return flags[i].flag;
        return 0;
}

/* Opens an entry's path the way nspath.h describes, or reports why not
 * (a path refused for its shape is refused even offline: it names
 * different files for different processes on any host). false when
 * there is nothing more to judge. */
static bool open_entry(struct rule_ctx *ctx, const struct jv *e, const char *type, const char *path, struct nspath *ret)
{
        const char *why = NULL;
        int r = nspath_open(path, ret, &why);
        int want = ns_clone_flag(type);

        if (r < 0 && why) {
                rule_report_unfixable(ctx, e, "path", "the %s namespace path %s %s; refusing it", type, path, why);
                return false;
        }
        if (r < 0) {
                report_unexaminable(ctx, e, type, path, -r);
                return false;
        }
        if (ret->nstype && want && ret->nstype != want) {
                rule_report_unfixable(ctx, e, "path",
                                      "%s is not a %s namespace: runc would fail to join it; name the %s namespace "
                                      "(/proc/<pid>/ns/%s)",
                                      path, type, type, host_ns_proc_name(type));
                return false;
        }
        return true;
}

/* A joined user namespace is judged by the maps it has, not by the
 * spec's: runc 1.1 wants uidMappings and gidMappings in the spec but does
 * not apply them to a namespace it joins. One whose maps hold host id 0 is
 * the host's in effect; one without maps yet may still be given such a
 * map by whoever holds it, after the check: refused as well. */
static void check_joined_user(struct rule_ctx *ctx, const struct jv *e, const char *path, const struct nspath *ns)
{
        struct userns_maps m;
        int r;

        if (!rule_param_strings_contains(ctx, "required", "user"))
                return;
        if ((r = nspath_userns_maps(ns, &m)) < 0) {
                rule_report_unfixable(ctx, e, "path",
                                      "the mappings of the user namespace at %s cannot be read (%s); refusing what "
                                      "cannot be checked",
                                      path, strerror(-r));
                return;
        }
        if (m.uid_host_root || m.gid_host_root)
                rule_report_unfixable(ctx, e, "path",
                                      "joins a user namespace (%s) whose %s maps host %s 0: whoever holds that id in "
                                      "the container is root on the host to every file it owns, so this is in effect "
                                      "the host's user namespace (runc does not apply the spec's mappings to a "
                                      "namespace it joins)",
                                      path, m.uid_host_root ? "uid_map" : "gid_map", m.uid_host_root ? "uid" : "gid");
        else if (m.uid_empty || m.gid_empty)
                rule_report_unfixable(ctx, e, "path",
                                      "joins a user namespace (%s) that has no %s yet: whoever holds it may still "
                                      "write one that maps host root; refusing what cannot be checked",
                                      path, m.uid_empty ? "uid_map" : "gid_map");
}

/* The policy may name a type the way /proc/<pid>/ns does ("net", "mnt");
 * the spec may not (runc only knows the OCI names), so aliases are
 * accepted in the parameter only. NULL for a name nobody uses. */
static const char *ns_param_type(const char *name)
{
        static const struct {
                const char *alias, *oci;
        } aliases[] = {{"net", "network"}, {"mnt", "mount"}};

        for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
                if (STREQ(name, aliases[i].alias))
                        return aliases[i].oci;
        return host_ns_proc_name(name) ? name : NULL;
}

static const char *docker_flag(const char *type)
{
        return STREQ(type, "network") ? "net" : STREQ(type, "user") ? "userns" : type;
}

static void check_required(struct rule_ctx *ctx, const struct jv *ns, const char *const *seen, size_t n_seen)
{
        const struct jv *req = rule_param_strings(ctx, "required");

        for (size_t i = 0; i < req->u.arr.n; i++) {
                const char *given = req->u.arr.v[i]->u.str.s, *type = ns_param_type(given);
                bool found = false;
                if (!type) {
                        rule_report_warn(ctx, NULL, "",
                                         "the policy requires a namespace type \"%s\" that does not "
                                         "exist; fix host-namespace.required",
                                         given);
                        continue;
                }
                for (size_t k = 0; k < n_seen; k++)
                        if (STREQ(seen[k], type))
                                found = true;
                if (found)
                        continue;
                if (ns)
                        rule_report_unfixable(ctx, ns, NULL,
                                              "has no %s namespace: the container would share the host's; "
                                              "give it a private one (no --%s=host)",
                                              type, docker_flag(type));
                else
                        rule_report_unfixable(ctx, ctx->spec->root, "linux/namespaces",
                                              "is missing: the container would share every namespace of the host, "
                                              "%s included",
                                              type);
        }
}

static int check_host_namespace(struct rule_ctx *ctx)
{
        struct jv *ns = NULL;
        const char *seen_type[16] = {NULL};
        size_t n_seen = 0;
        int r;

        if ((r = get_namespaces(ctx, &ns)) < 0)
                return 0; /* already reported as spec-invalid */
        for (size_t i = 0; ns && i < ns->u.arr.n; i++) {
                const struct jv *e = ns->u.arr.v[i];
                const char *type = NULL, *path = NULL;
                if (read_entry(ctx, e, &type, &path) < 0)
                        return 0;
                for (size_t k = 0; k < n_seen; k++)
                        if (STREQ(seen_type[k], type))
                                return rule_invalid(ctx, e, "type", "the %s namespace is listed twice", type), 0;
                if (n_seen < ARRAY_SIZE(seen_type))
                        seen_type[n_seen++] = type;
                if ((!path || !*path) && STREQ(type, "user"))
                        check_user_mappings(ctx);
                if (!path || !*path)
                        continue;
                /* Compared by inode: a path names a namespace many ways. */
                _cleanup_nspath_ struct nspath nsf = {.fd = -1};
                if (!open_entry(ctx, e, type, path, &nsf))
                        continue;
                if (host_ns_is_host(host_ns_proc_name(type), &nsf.st))
                        rule_report_unfixable(ctx, e, "path",
                                              "joins the host's %s namespace (%s); run the container in a "
                                              "namespace of its own (no --%s=host)",
                                              type, path, docker_flag(type));
                else if (STREQ(type, "user"))
                        check_joined_user(ctx, e, path, &nsf);
        }
        check_required(ctx, ns, seen_type, n_seen);
        return 0;
}

static const struct param_def host_namespace_params[] = {
        {"required", PARAM_STRINGS, "[\"network\", \"pid\", \"ipc\", \"uts\", \"mount\"]", 0, 0,
         "namespace types that must be private (add \"cgroup\" and \"user\" where the host can give them)"},
        {0},
};

/* --- shared-namespace ------------------------------------------------ */

static bool is_pid(const char *name)
{
        if (!*name)
                return false;
        for (const char *p = name; *p; p++)
                if (!isdigit((unsigned char)*p))
                        return false;
        return true;
}

/* A process on the host that is in the namespace st, other than this
 * one. Engines create a namespace for a new container as an nsfs file
 * bind-mounted under /run/netns before any process enters it, so a path is
 * only a way of sharing once some process lives there. The price is one
 * stat() per process on the host, paid only for entries with a path. */
static pid_t ns_find_member(const char *proc_name, const struct stat *st, char *ret_comm, size_t comm_len)
{
        _cleanup_closedir_ DIR *d = opendir("/proc");
        char self[32], p[300];
        struct dirent *de;

        snprintf(self, sizeof(self), "%d", (int)getpid());
        while (d && (de = readdir(d))) {
                struct stat m;
                if (!is_pid(de->d_name) || STREQ(de->d_name, self))
                        continue;
                snprintf(p, sizeof(p), "/proc/%s/ns/%s", de->d_name, proc_name);
                /* A process that exits meanwhile is simply not a member. */
                if (stat(p, &m) < 0 || m.st_dev != st->st_dev || m.st_ino != st->st_ino)
                        continue;
                snprintf(p, sizeof(p), "/proc/%s/comm", de->d_name);
                _cleanup_fclose_ FILE *f = fopen(p, "re");
                if (!f || !fgets(ret_comm, (int)comm_len, f))
                        snprintf(ret_comm, comm_len, "?");
                ret_comm[strcspn(ret_comm, "\n")] = '\0';
                return (pid_t)atoi(de->d_name);
        }
        return 0;
}

/* Whether the last component of a /proc/<pid>/cgroup path is the one
 * containerd's CRI plugin gives container id: "<parent>/<id>" with the
 * cgroupfs driver, "cri-containerd-<id>.scope" with systemd's. */
static bool cgroup_leaf_is(const char *cgpath, const char *id)
{
        const char *leaf = strrchr(cgpath, '/');
        const char *prefix = "cri-containerd-", *suffix = ".scope";
        size_t n, idlen = strlen(id);

        leaf = leaf ? leaf + 1 : cgpath;
        n = strcspn(leaf, "\n");
        if (n == idlen && strncmp(leaf, id, n) == 0)
                return true;
        return n == strlen(prefix) + idlen + strlen(suffix) && strncmp(leaf, prefix, strlen(prefix)) == 0 &&
               strncmp(leaf + strlen(prefix), id, idlen) == 0 &&
               strncmp(leaf + strlen(prefix) + idlen, suffix, strlen(suffix)) == 0;
}

/* A Kubernetes pod is one unit of isolation: containerd's CRI plugin
 * starts its sandbox ("pause") container with new network, IPC and UTS
 * namespaces, and every app container of the pod joins them (and the PID
 * one with shareProcessNamespace) as /proc/<sandbox pid>/ns/<type>. That
 * is the pod's design, not one container reaching into another's, so it is
 * not reported. It is recognised only when all of these hold, anything
 * else stays a finding:
 *  - the CRI plugin annotated the spec as an app container
 *    (io.kubernetes.cri.container-type "container") of sandbox S
 *    (io.kubernetes.cri.sandbox-id, a 64-hex-digit id);
 *  - the path is /proc/<pid>/ns/<type>, and that process is still in the
 *    namespace that was examined (st);
 *  - that process lives in the cgroup the CRI plugin made for S: the
 *    namespace is the sandbox's own, not some other process's.
 * The annotations are the CRI plugin's (it writes them after any that a
 * pod passes through); an engine that lets its users set annotations
 * (podman --annotation, ctr) lets them claim a pod: the parameter
 * "pod-sharing" turns this off where that matters. Joining the host's
 * namespaces is host-namespace's finding either way. */
static bool joins_own_pod_sandbox(struct rule_ctx *ctx, const char *path, const char *proc_name, const struct stat *st)
{
        const struct jv *ann = jv_get(ctx->spec->root, "annotations");
        const char *kind = NULL, *sandbox = NULL, *digits;
        _cleanup_free_ char *line = NULL;
        char expect[64], dir[32];
        size_t n, cap = 0;
        struct stat m;
        bool found = false;

        if (!rule_param_bool(ctx, "pod-sharing"))
                return false;
        if (!jv_cstr(jv_get_exact(ann, "io.kubernetes.cri.container-type"), &kind) || !STREQ(kind, "container") ||
            !jv_cstr(jv_get_exact(ann, "io.kubernetes.cri.sandbox-id"), &sandbox) || strlen(sandbox) != 64 ||
            strspn(sandbox, "0123456789abcdef") != 64)
                return false;
        /* Exactly /proc/<pid>/ns/<type>, the pid in decimal as procfs
         * names it (no sign, no leading zero). */
        snprintf(expect, sizeof(expect), "/ns/%s", proc_name);
        if (strncmp(path, "/proc/", strlen("/proc/")) != 0)
                return false;
        digits = path + strlen("/proc/");
        n = strspn(digits, "0123456789");
        if (n == 0 || n > 10 || digits[0] == '0' || !STREQ(digits + n, expect))
                return false;
        snprintf(dir, sizeof(dir), "/proc/%.*s", (int)n, digits);

        _cleanup_close_ int pidfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (pidfd < 0 || fstatat(pidfd, expect + 1, &m, 0) < 0 || m.st_dev != st->st_dev || m.st_ino != st->st_ino)
                return false;
        _cleanup_close_ int cgfd = openat(pidfd, "cgroup", O_RDONLY | O_CLOEXEC);
        _cleanup_fclose_ FILE *f = cgfd >= 0 ? fdopen(cgfd, "re") : NULL;
        if (!f)
                return false;
        cgfd = -1; /* the FILE owns it now */
        /* "ID:controllers:path" per hierarchy (cgroup v1) or "0::path" (v2). */
        while (!found && getline(&line, &cap, f) > 0) {
                const char *p = strchr(line, ':');
                if (p && (p = strchr(p + 1, ':')))
                        found = cgroup_leaf_is(p + 1, sandbox);
        }
        return found;
}

static int check_shared_namespace(struct rule_ctx *ctx)
{
        struct jv *ns = NULL;

        if (get_namespaces(ctx, &ns) < 0 || !ns)
                return 0;
        for (size_t i = 0; i < ns->u.arr.n; i++) {
                const struct jv *e = ns->u.arr.v[i];
                const char *type = NULL, *path = NULL, *proc, *why;
                char comm[64];

                /* Malformed entries are host-namespace's to report. */
                if (!jv_cstr(jv_get(e, "type"), &type) || !(proc = host_ns_proc_name(type)))
                        continue;
                /* No path is a new namespace; a relative path, one that
                 * cannot be examined or is refused, or the host's is
                 * host-namespace's finding. */
                if (!jv_cstr(jv_get(e, "path"), &path) || path[0] != '/')
                        continue;
                _cleanup_nspath_ struct nspath nsf = {.fd = -1};
                if (nspath_open(path, &nsf, &why) < 0)
                        continue;
                if (host_ns_is_host(proc, &nsf.st) || joins_own_pod_sandbox(ctx, path, proc, &nsf.st))
                        continue;
                pid_t pid = ns_find_member(proc, &nsf.st, comm, sizeof(comm));
                if (pid > 0)
                        rule_report(ctx, e, "path",
                                    "joins the %s namespace of running process %d (%s): the container shares it "
                                    "with another container (--%s=container:, a Kubernetes pod); give it its own",
                                    type, (int)pid, comm, docker_flag(type));
        }
        return 0;
}

static const struct param_def shared_namespace_params[] = {
        {"pod-sharing", PARAM_BOOL, "true", 0, 0,
         "a Kubernetes app container joining its own pod's sandbox namespaces (containerd's CRI plugin) is the "
         "pod's design and not reported; false reports it like any other sharing"},
        {0},
};

const struct rule rules_namespaces[] = {
        {
                .id = "host-namespace",
                .summary = "the container shares a namespace with the host",
                .guide = "RUN-13",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = host_namespace_params,
                .check = check_host_namespace,
        },
        {
                .id = "shared-namespace",
                .summary = "the container joins a namespace another container is using",
                .guide = "RUN-13",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG,
                .params = shared_namespace_params,
                .check = check_shared_namespace,
        },
        {0},
};
