/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
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
                return rule_invalid(ctx, e, "type", "is not a namespace type runc knows (pid, network, mount, "
                                                    "ipc, uts, user, cgroup, time)");
        return rule_get_string(ctx, e, "path", path);
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
                if (!path || !*path)
                        continue;
                struct stat st;
                if (stat(path, &st) < 0) {
                        if (ctx->spec->offline) {
                                rule_report_warn(ctx, e, "path", "the %s namespace at %s does not exist on this "
                                                                 "host and cannot be compared with the host's", type, path);
                                continue;
                        }
                        rule_report_unfixable(ctx, e, "path", "the %s namespace at %s cannot be examined (%m); "
                                                              "refusing what cannot be checked", type, path);
                        continue;
                }
                if (host_ns_is_host(host_ns_proc_name(type), &st))
                        rule_report_unfixable(ctx, e, "path",
                                              "joins the host's %s namespace (%s); run the container in a "
                                              "namespace of its own (no --net/--pid/--ipc/--uts=host)",
                                              type, path);
        }
        const struct jv *req = rule_param_strings(ctx, "required");
        for (size_t i = 0; i < req->u.arr.n; i++) {
                const char *type = req->u.arr.v[i]->u.str.s;
                bool found = false;
                for (size_t k = 0; k < n_seen; k++)
                        if (STREQ(seen_type[k], type))
                                found = true;
                if (found)
                        continue;
                if (ns)
                        rule_report_unfixable(ctx, ns, NULL,
                                              "has no %s namespace: the container would share the host's; "
                                              "give it a private one (no --%s=host)",
                                              type, STREQ(type, "network") ? "net" : type);
                else
                        rule_report_unfixable(ctx, ctx->spec->root, "linux/namespaces",
                                              "is missing: the container would share every namespace of the host, "
                                              "%s included", type);
        }
        return 0;
}

static const struct param_def host_namespace_params[] = {
        {"required", PARAM_STRINGS, "[\"network\", \"pid\", \"ipc\", \"uts\", \"mount\"]", 0, 0,
         "namespace types that must be private (add \"cgroup\" and \"user\" where the host can give them)"},
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
        {0},
};
