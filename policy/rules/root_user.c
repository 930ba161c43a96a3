/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capabilities.h"
#include "host.h"
#include "identity.h"
#include "namespaces.h"
#include "nspath.h"
#include "rules.h"
#include "util.h"

/* root-user: the process runs as root or with group root, or can make
 * itself root, while root of the container is root of the host. */

/* Whether root of the container is someone else on the host: false
 * without a user namespace, in the host's own, and in a new one whose
 * uidMappings or gidMappings include host id 0 (container root can take
 * that id: in effect the host's user namespace). A joined user namespace
 * is judged by the maps it has (runc 1.1 wants mappings in the spec but
 * does not apply them to a namespace it joins): remapped unless they hold
 * host id 0 or are not written yet, or the path cannot be judged
 * (host-namespace says why); offline, a path that is not here is given
 * the benefit of the doubt. */
static bool root_is_remapped(const struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *ns = jv_get(l, "namespaces");
        const char *t, *path, *why;
        bool userns = false;

        for (size_t i = 0; jv_is(ns, JV_ARRAY) && i < ns->u.arr.n; i++) {
                if (!jv_cstr(jv_get(ns->u.arr.v[i], "type"), &t) || !STREQ(t, "user"))
                        continue;
                userns = true;
                if (!jv_cstr(jv_get(ns->u.arr.v[i], "path"), &path) || !*path)
                        continue;
                if (path[0] != '/')
                        return false;
                _cleanup_nspath_ struct nspath nsf = {.fd = -1};
                struct userns_maps m;
                int r = nspath_open(path, &nsf, &why);
                if (r < 0)
                        return !why && ctx->spec->offline && (r == -ENOENT || r == -ENOTDIR);
                if (host_ns_is_host("user", &nsf.st) || nspath_userns_maps(&nsf, &m) < 0)
                        return false;
                return !m.uid_host_root && !m.gid_host_root && !m.uid_empty && !m.gid_empty;
        }
        if (!userns)
                return false;
        return !userns_host_zero_range(l, "uidMappings") && !userns_host_zero_range(l, "gidMappings");
}

/* What gives a process that is not root group root or root, in words
 * for the findings ("unless ..." for an exec process, whose container's
 * user namespace is not in its file). */
struct root_path {
        const struct jv *at;
        const char *suffix;
        char what[512];
};

static void root_path_set(struct root_path *rp, const struct jv *at, const char *suffix, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
static void root_path_set(struct root_path *rp, const struct jv *at, const char *suffix, const char *fmt, ...)
{
        va_list ap;

        rp->at = at;
        rp->suffix = suffix;
        va_start(ap, fmt);
        vsnprintf(rp->what, sizeof(rp->what), fmt, ap);
        va_end(ap);
}

/* The process's additionalGids as runc hands them on; false when a wrong
 * type was reported (spec-invalid: runc refuses it). */
static bool read_additional_gids(struct rule_ctx *ctx, const struct jv *groups, uint32_t **ret, size_t *ret_n)
{
        *ret = NULL;
        *ret_n = 0;
        if (!groups || !groups->u.arr.n)
                return true;
        if (!(*ret = calloc(groups->u.arr.n, sizeof(**ret))))
                return false;
        for (size_t i = 0; i < groups->u.arr.n; i++) {
                int64_t g;
                if (jv_int64(groups->u.arr.v[i], &g) < 0 || g < 0 || g > UINT32_MAX) {
                        rule_invalid(ctx, groups->u.arr.v[i], NULL,
                                     "must be a group id from 0 to 4294967295 (runc refuses it)");
                        free(TAKE_PTR(*ret));
                        return false;
                }
                (*ret)[i] = (uint32_t)g;
        }
        *ret_n = groups->u.arr.n;
        return true;
}

/* Group root: the gid, an additional gid of 0, or one that runc resolves
 * to group 0 through the group file it reads (runc matches additionalGids
 * against group names as well as gids: a group named "1000" whose gid is 0
 * turns additionalGids [1000] into group root). Group root that cannot be
 * ruled out (the file cannot be read, a mount replaces it) counts as
 * found: fail closed. false when a wrong type was reported. */
static bool find_root_group(struct rule_ctx *ctx, const struct jv *user, struct root_path *rp)
{
        struct jv *groups = NULL;
        _cleanup_free_ uint32_t *ags = NULL;
        _cleanup_group_judgement_ struct group_judgement gj = {.root_at = -1};
        const struct spec *config = ctx->kind == CHECK_EXEC ? ctx->spec->container : ctx->spec;
        int64_t gid = 0;
        size_t n = 0;

        if (rule_get_int64(ctx, user, "gid", &gid) < 0)
                return false;
        /* An absent gid is Go's zero value: group root. */
        if (gid == 0)
                return root_path_set(rp, user, "gid", "runs with group root (gid 0)"), true;
        if (rule_get_array(ctx, user, "additionalGids", &groups) < 0 || !read_additional_gids(ctx, groups, &ags, &n))
                return false;
        for (size_t i = 0; i < n; i++)
                if (ags[i] == 0)
                        return root_path_set(rp, groups->u.arr.v[i], NULL, "runs with group root (gid 0)"), true;
        if (identity_judge_groups(config, ctx->spec->offline, ags, n, &gj) < 0)
                return root_path_set(rp, groups, NULL, "cannot be resolved (out of memory)"), true;
        if (gj.unknown)
                root_path_set(rp, groups, NULL,
                              "may give group root: runc resolves additionalGids through /etc/group as it finds "
                              "it after the spec's mounts, matching group names as well as gids, and %s; refusing "
                              "what cannot be checked",
                              gj.unknown);
        else if (gj.root_at >= 0)
                root_path_set(rp, groups->u.arr.v[gj.root_at], NULL,
                              "runs with group root (gid 0): runc resolves %u through %s, where a group whose name "
                              "or gid is \"%u\" has gid 0 (runc matches group names as well as gids, and hands "
                              "setgroups 32 bits of the gid)",
                              ags[gj.root_at], gj.file, ags[gj.root_at]);
        return true;
}

/* Capabilities that make a process that is not root, root: CAP_SETUID
 * (setuid(0)) and CAP_SETGID (setgid(0), setgroups). Only those that
 * survive runc's execve of the program count (identity.h). */
static void find_root_caps(const struct jv *proc, struct root_path *rp)
{
        static const char *const sets[] = {"ambient", "permitted", "inheritable", "bounding"};
        const struct jv *caps = jv_get(proc, "capabilities");
        uint64_t mask[ARRAY_SIZE(sets)] = {0};

        for (size_t s = 0; s < ARRAY_SIZE(sets); s++) {
                const struct jv *set = jv_get(caps, sets[s]);
                const char *name;
                for (size_t i = 0; jv_is(set, JV_ARRAY) && i < set->u.arr.n; i++) {
                        int c = jv_cstr(set->u.arr.v[i], &name) ? capability_from_name(name) : -1;
                        if (c >= 0)
                                mask[s] |= UINT64_C(1) << c;
                }
        }
        uint64_t kept = identity_caps_kept(mask[0], mask[1], mask[2], mask[3]);
        bool setuid = kept & (UINT64_C(1) << CAP_SETUID), setgid = kept & (UINT64_C(1) << CAP_SETGID);
        if (!setuid && !setgid)
                return;
        bool ambient = mask[0] & ((setuid ? UINT64_C(1) << CAP_SETUID : 0) | (setgid ? UINT64_C(1) << CAP_SETGID : 0));
        root_path_set(rp, caps, ambient ? "ambient" : "permitted",
                      "does not run as root but keeps %s%s%s across execve (%s): one %s call makes it %s",
                      setuid ? "CAP_SETUID" : "", setuid && setgid ? " and " : "", setgid ? "CAP_SETGID" : "",
                      ambient ? "the ambient set, which execve keeps"
                              : "the permitted set, which a program of the image with that file capability "
                                "regains, no_new_privs or not",
                      setuid ? "setuid(0)" : "setgid(0)", setuid ? "root (uid 0)" : "group root (gid 0)");
}

/* What follows each finding: for a container, whose user namespace is
 * known, and for an exec process, whose is not. */
struct root_advice {
        const char *uid, *groups, *caps;
};

static const struct root_advice config_advice = {
        " and no user namespace maps it to an unprivileged host user: whoever escapes the container is root on the "
        "host; run as another user (docker run --user 1000:1000) or enable user namespaces (dockerd "
        "--userns-remap)",
        " and no user namespace maps it to an unprivileged host group: files and devices of group root on the host "
        "are open to it; run with another group (docker run --user 1000:1000, no --group-add 0) or enable user "
        "namespaces (dockerd --userns-remap)",
        ", and no user namespace maps that to an unprivileged host user; drop the capability from the ambient and "
        "permitted sets (podman run --cap-drop, no --cap-add for a user that is not root) or enable user namespaces",
};

static const struct root_advice exec_advice = {
        "; unless the container has a user namespace, that is the host's root once out of the container; exec as "
        "another user (docker exec --user)",
        "; unless the container has a user namespace, that is the host's root group; exec with another group "
        "(docker exec --user UID:GID)",
        "; unless the container has a user namespace, that is the host's; drop them from the ambient and permitted "
        "sets",
};

static int check_root_user(struct rule_ctx *ctx)
{
        struct jv *proc = NULL, *user = NULL;
        struct root_path groups = {0}, caps = {0};
        int64_t uid = 0;

        if (rule_get_object(ctx, ctx->spec->root, "process", &proc) < 0 || !proc ||
            rule_get_object(ctx, proc, "user", &user) < 0 || rule_get_int64(ctx, user, "uid", &uid) < 0)
                return 0;
        /* With uid 0 one finding says it all; group root alone is its own:
         * the host's files and devices of group root (0660 disks under
         * some layouts, root-group-writable state) are open to it. */
        if (uid != 0) {
                if (!find_root_group(ctx, user, &groups))
                        return 0;
                find_root_caps(proc, &caps);
                if (!groups.at && !caps.at)
                        return 0;
        }
        /* The container's user namespace is not in a process file. */
        const struct root_advice *adv = ctx->kind == CHECK_EXEC ? &exec_advice : &config_advice;
        if (ctx->kind != CHECK_EXEC && root_is_remapped(ctx))
                return 0;
        if (uid == 0)
                rule_report(ctx, user ? user : proc, user ? "uid" : "user", "runs as root (uid 0)%s", adv->uid);
        if (groups.at)
                rule_report(ctx, groups.at, groups.suffix, "%s%s", groups.what, adv->groups);
        if (caps.at)
                rule_report(ctx, caps.at, caps.suffix, "%s%s", caps.what, adv->caps);
        return 0;
}

const struct rule rules_root_user[] = {
        {
                .id = "root-user",
                .summary = "the process runs as root or with group root, or can make itself root, without a user "
                           "namespace",
                .guide = "DAEMON-5",
                .default_action = ACTION_WARN,
                .scope = SCOPE_CONFIG | SCOPE_EXEC,
                .check = check_root_user,
        },
        {0},
};
