/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "rules.h"
#include "util.h"

/* What the spec asks of the host kernel: sysctls written on its behalf and
 * hooks run as root in the host's namespaces. */

/* --- sysctls ---------------------------------------------------------- */

/* "net/ipv4/ip_forward" is "net.ipv4.ip_forward" to runc: when the first
 * separator is a slash, slashes and dots swap (convertSysctlVariableToDotsSeparator). */
static char *sysctl_dotted(const char *key)
{
        char *s = strdup(key);
        size_t first = strcspn(key, "./");

        if (!s || key[first] != '/')
                return s;
        for (char *p = s; *p; p++)
                *p = *p == '/' ? '.' : *p == '.' ? '/' : *p;
        return s;
}

/* The namespace that isolates a sysctl, NULL when the kernel has one
 * value for the whole host. */
static const char *sysctl_namespace(const char *k)
{
        static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
                                          "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
        for (size_t i = 0; i < ARRAY_SIZE(ipc); i++)
                if (STREQ(k, ipc[i]))
                        return "ipc";
        if (strncmp(k, "fs.mqueue.", 10) == 0)
                return "ipc";
        if (strncmp(k, "net.", 4) == 0)
                return "network";
        if (STREQ(k, "kernel.hostname") || STREQ(k, "kernel.domainname"))
                return "uts";
        return NULL;
}

/* The container has a namespace of this type that is not the host's. A
 * path that does not exist on a linting host cannot be judged and counts
 * as private there (host-namespace warns about it). */
static bool ns_private(const struct rule_ctx *ctx, const char *type)
{
        const struct jv *ns = jv_get(jv_get(ctx->spec->root, "linux"), "namespaces");
        const char *t, *path;
        struct stat st;

        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++) {
                const struct jv *e = ns->u.arr.v[i];
                if (!jv_cstr(jv_get(e, "type"), &t) || !STREQ(t, type))
                        continue;
                if (!jv_cstr(jv_get(e, "path"), &path) || !*path)
                        return true;
                if (stat(path, &st) < 0)
                        return ctx->spec->offline;
                return !host_ns_is_host(host_ns_proc_name(type), &st);
        }
        return false;
}

static bool matches_any(const struct jv *patterns, const char *s)
{
        for (size_t i = 0; i < patterns->u.arr.n; i++)
                if (fnmatch(patterns->u.arr.v[i]->u.str.s, s, 0) == 0)
                        return true;
        return false;
}

static int check_sysctls(struct rule_ctx *ctx)
{
        struct jv *l = NULL, *sysctl = NULL;
        const struct jv *allowed = rule_param_strings(ctx, "allowed"), *denied = rule_param_strings(ctx, "denied");
        const struct jv *only = rule_param_strings(ctx, "only");

        if (rule_get_object(ctx, ctx->spec->root, "linux", &l) < 0 || rule_get_object(ctx, l, "sysctl", &sysctl) < 0 ||
            !sysctl)
                return 0;
        for (size_t i = 0; i < sysctl->u.obj.n; i++) {
                const struct jv_member *m = &sysctl->u.obj.m[i];
                if (strlen(m->key) != m->keylen || !jv_is(m->val, JV_STRING)) {
                        rule_invalid(ctx, m->val, NULL,
                                     "must be a string, under a name without NUL bytes "
                                     "(runc refuses it)");
                        continue;
                }
                /* judged by the name runc reads; echoed as written, with
                 * the kernel's dotted name when it differs */
                _cleanup_free_ char *k = sysctl_dotted(m->key), *shown = NULL;
                if (!k)
                        return -ENOMEM;
                const char *knob = k + strspn(k, ".");
                if (STREQ(knob, m->key) ? !(shown = strdup(m->key)) : asprintf(&shown, "%s (%s)", m->key, knob) < 0)
                        return -ENOMEM;
                if (matches_any(denied, k)) {
                        rule_report(ctx, m->val, NULL,
                                    "sets %s, which the policy denies (sysctls.denied); "
                                    "remove it (docker run --sysctl)",
                                    shown);
                        continue;
                }
                if (only->u.arr.n && !matches_any(only, k)) {
                        rule_report(ctx, m->val, NULL,
                                    "sets %s, which is not one of the sysctls the policy allows (sysctls.only); "
                                    "remove it (docker run --sysctl)",
                                    k);
                        continue;
                }
                if (matches_any(allowed, k))
                        continue;
                const char *ns = sysctl_namespace(k);
                if (!ns)
                        rule_report(ctx, m->val, NULL,
                                    "sets %s, which no namespace isolates: it would change the "
                                    "host's kernel; remove it (docker run --sysctl)",
                                    shown);
                else if (!ns_private(ctx, ns))
                        rule_report(ctx, m->val, NULL,
                                    "sets %s, which belongs to the %s namespace, but the "
                                    "container shares the host's: it would change the host; "
                                    "give the container its own %s namespace or remove it",
                                    shown, ns, ns);
        }
        return 0;
}

static const struct param_def sysctls_params[] = {
        {"allowed", PARAM_STRINGS, "[]", 0, 0,
         "sysctls allowed even though no private namespace isolates them (fnmatch patterns: \"kernel.shm*\")"},
        {"denied", PARAM_STRINGS, "[]", 0, 0,
         "sysctls denied even when namespaced (fnmatch patterns: \"net.ipv4.conf.*.forwarding\"); wins over allowed"},
        {"only", PARAM_STRINGS, "[]", 0, 0,
         "when not empty, the only sysctls a container may set (fnmatch patterns); the others are denied, "
         "namespaced or not"},
        {0},
};

/* --- hooks -------------------------------------------------------------- */

static const char *const hook_kinds[] = {"prestart",       "createRuntime", "createContainer",
                                         "startContainer", "poststart",     "poststop"};

/* "/proc/<pid>/exe": Docker's own prestart hook is dockerd re-executed
 * through the link of its running process. */
static bool is_proc_exe(const char *path)
{
        _cleanup_free_ char *n = path_normalize(path);
        const char *p = n ? n : path;
        if (strncmp(p, "/proc/", 6) != 0 || !isdigit((unsigned char)p[6]))
                return false;
        p += 6;
        while (isdigit((unsigned char)*p))
                p++;
        return STREQ(p, "/exe");
}

/* The hook's program is one of the trusted ones: by resolved path or
 * glob, or as the same file (device and inode; a /proc/<pid>/exe link
 * reaches the running binary even when its name changed). */
static bool hook_trusted(const struct rule_ctx *ctx, const char *resolved, const struct stat *st)
{
        const struct jv *l = rule_param_strings(ctx, "trusted");
        struct stat t;

        for (size_t i = 0; i < l->u.arr.n; i++) {
                const char *e = l->u.arr.v[i]->u.str.s;
                if (strpbrk(e, "*?[")) {
                        if (fnmatch(e, resolved, FNM_PATHNAME) == 0)
                                return true;
                        continue;
                }
                _cleanup_free_ char *r = path_resolve(e);
                if (r && STREQ(r, resolved))
                        return true;
                if (st && stat(e, &t) == 0 && t.st_dev == st->st_dev && t.st_ino == st->st_ino)
                        return true;
        }
        return false;
}

static void check_hook(struct rule_ctx *ctx, const char *kind, const struct jv *h)
{
        const char *path = NULL;
        struct stat st;

        if (h->type != JV_OBJECT) {
                rule_invalid(ctx, h, NULL, "a hook must be an object");
                return;
        }
        if (rule_get_string(ctx, h, "path", &path) < 0)
                return;
        if (!path || !*path) {
                rule_invalid(ctx, h, "path", "is missing (runc refuses it)");
                return;
        }
        /* runc runs prestart, createRuntime and poststart hooks from the
         * bundle directory and poststop ones from the caller of delete:
         * a relative path is not the program judged here. */
        if (path[0] != '/') {
                rule_invalid(ctx, h, "path",
                             "is not an absolute path (the runtime-spec requires one): runc runs it from the bundle "
                             "directory, or at delete from its caller's, not from where it was checked");
                return;
        }
        /* In lint the process behind /proc/<pid>/exe is on another host
         * (or is something else here): nothing can be said about it. */
        if (ctx->spec->offline && is_proc_exe(path))
                return;
        /* Through a /proc link of the process that resolves it (its cwd,
         * root, fd/N), a path names another program to runc than to
         * runc-harden. Docker's /proc/<pid>/exe names one process. */
        if (!is_proc_exe(path)) {
                /* by name too, for lint: before "..", which the kernel
                 * takes after the link */
                const char *p = path + strspn(path, "/");
                bool by_name = strncmp(p, "proc", 4) == 0 && (p[4] == '/' || p[4] == '\0');
                _cleanup_close_ int fd = ctx->spec->offline ? -1 : host_open_no_magiclinks(path, O_PATH);
                if (by_name || fd == -ELOOP) {
                        _cleanup_close_ int plain = fd == -ELOOP ? open(path, O_PATH | O_CLOEXEC) : -1;
                        if (fd != -ELOOP || plain >= 0) { /* not a link loop, which runc cannot run either */
                                rule_invalid(ctx, h, "path",
                                             "reaches its program through /proc (a process's cwd, root or fd): "
                                             "runc, which runs it, is another process than runc-harden, which "
                                             "checked it; only /proc/PID/exe is judged, as the running binary");
                                return;
                        }
                }
        }
        _cleanup_free_ char *resolved = path_resolve(path);
        if (!resolved)
                return;
        bool have_st = stat(path, &st) == 0;
        if (hook_trusted(ctx, resolved, have_st ? &st : NULL))
                return;
        rule_report(ctx, h, "path",
                    "runs %s%s%s on the host as root (%s hook), which is not a trusted hook program; check what "
                    "it is and add it to hooks.trusted, or remove the hook",
                    path, STREQ(path, resolved) ? "" : " = ", STREQ(path, resolved) ? "" : resolved, kind);
}

static int check_hooks(struct rule_ctx *ctx)
{
        struct jv *hooks = NULL;

        if (rule_get_object(ctx, ctx->spec->root, "hooks", &hooks) < 0 || !hooks)
                return 0;
        for (size_t k = 0; k < ARRAY_SIZE(hook_kinds); k++) {
                struct jv *list = NULL;
                if (rule_get_array(ctx, hooks, hook_kinds[k], &list) < 0 || !list)
                        continue;
                for (size_t i = 0; i < list->u.arr.n; i++)
                        check_hook(ctx, hook_kinds[k], list->u.arr.v[i]);
        }
        return 0;
}

static const struct param_def hooks_params[] = {
        {"trusted", PARAM_STRINGS,
         "[\"/usr/bin/dockerd\", \"/usr/sbin/dockerd\", \"/usr/local/bin/dockerd\", \"/usr/bin/podman\","
         " \"/usr/libexec/podman/*\"]",
         0, 0,
         "hook programs that may run: absolute paths (compared after resolving symlinks and /proc/<pid>/exe, and "
         "by inode) or globs"},
        {0},
};

const struct rule rules_kernel[] = {
        {
                .id = "sysctls",
                .summary = "a sysctl would change the host's kernel",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = sysctls_params,
                .check = check_sysctls,
        },
        {
                .id = "hooks",
                .summary = "a hook runs an untrusted program on the host as root",
                .guide = "RUN-5",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG,
                .params = hooks_params,
                .check = check_hooks,
        },
        {0},
};
