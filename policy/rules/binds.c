/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "hostpath.h"
#include "rules.h"
#include "util.h"

/* Binds of host paths into the container: engine sockets, host system
 * directories, and mounts that propagate back to the host. */

/* --- engine-socket ---------------------------------------------------- */

static int engine_socket_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        const struct host_targets *socks = data;

        for (size_t k = 0; k < socks->n; k++) {
                if (!hostpath_exposes(b, &socks->v[k]))
                        continue;
                bool is_dir = b->have_st && S_ISDIR(b->st.st_mode);
                rule_report_unfixable(ctx, b->m, "source",
                                      "binds %s, which %s the container engine socket %s: whoever reaches it "
                                      "controls the host; remove this mount",
                                      b->src, is_dir ? "contains" : "is", socks->v[k].given);
                break;
        }
        return 0;
}

static int check_engine_socket(struct rule_ctx *ctx)
{
        const struct host_targets *socks;

        if (hostpath_count_binds(ctx) == 0)
                return 0; /* nothing to find on the host */
        if (hostpath_targets_get(ctx, "sockets", true, &socks) < 0)
                return -ENOMEM;
        return hostpath_for_each_bind(ctx, true, engine_socket_one, (void *)socks);
}

static const struct param_def engine_socket_params[] = {
        {"sockets", PARAM_STRINGS,
         "[\"/var/run/docker.sock\", \"/run/docker.sock\", \"/run/user/*/docker.sock\","
         " \"/run/containerd/containerd.sock\", \"/run/containerd/containerd.sock.ttrpc\","
         " \"/run/docker/containerd/containerd.sock\", \"/run/k3s/containerd/containerd.sock\","
         " \"/run/user/*/containerd/containerd.sock\", \"/run/crio/crio.sock\", \"/var/run/crio/crio.sock\","
         " \"/run/podman/podman.sock\", \"/run/user/*/podman/podman.sock\", \"/run/buildkit/buildkitd.sock\","
         " \"/run/user/*/buildkit/buildkitd.sock\", \"/var/run/dockershim.sock\", \"/run/cri-dockerd.sock\"]",
         0, 0,
         "API sockets of container engines: absolute paths, \"*\" matches within one path component, and a "
         "trailing \"/**\" protects a whole directory"},
        {0},
};

/* --- sensitive-mount -------------------------------------------------- */

/* How a target is named in messages: without its final "**". */
static int shown_len(const char *given)
{
        size_t n = strlen(given);
        return (int)(n > 3 && STREQ(given + n - 3, "/**") ? n - 3 : n);
}

struct sensitive {
        const struct host_targets *paths, *allowed;
};

static bool sensitive_allowed(const struct sensitive *s, const char *resolved)
{
        for (size_t i = 0; i < s->allowed->n; i++)
                if (hostpath_match(s->allowed->v[i].pattern, s->allowed->v[i].below, resolved))
                        return true;
        return false;
}

static int sensitive_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        const struct sensitive *s = data;

        if (sensitive_allowed(s, b->resolved))
                return 0;
        for (size_t k = 0; k < s->paths->n; k++) {
                const char *what = s->paths->v[k].given;
                if (!hostpath_exposes(b, &s->paths->v[k]))
                        continue;
                if (b->readonly)
                        rule_report_warn(ctx, b->m, "source",
                                         "binds %s, which exposes the host's %.*s read-only: the container can "
                                         "read host configuration and secrets; bind only what it needs",
                                         b->src, shown_len(what), what);
                else
                        rule_report(ctx, b->m, "source",
                                    "binds %s, which exposes the host's %.*s read-write: the container can "
                                    "change the host; remove the mount or make it read-only (:ro, option \"ro\")",
                                    b->src, shown_len(what), what);
                break;
        }
        return 0;
}

/* runc pivots into root.path: a host system directory as the root file
 * system is the widest bind of all. Only the path itself and its parents
 * count here, since engines keep their rootfs under their state directory. */
static void check_sensitive_root(struct rule_ctx *ctx, const struct sensitive *s)
{
        const struct jv *root = jv_get(ctx->spec->root, "root");
        const char *path;
        bool ro = false;
        struct stat st;

        if (!jv_cstr(jv_get(root, "path"), &path))
                return; /* absent or wrong: runc refuses it */
        if (jv_is(jv_get(root, "readonly"), JV_BOOL))
                ro = jv_get(root, "readonly")->u.b;
        _cleanup_free_ char *full = hostpath_bundle_path(ctx, path);
        _cleanup_free_ char *res = full ? path_resolve(full) : NULL;
        if (!res)
                return;
        bool have_st = stat(res, &st) == 0;
        for (size_t k = 0; k < s->paths->n; k++) {
                const struct host_target *t = &s->paths->v[k];
                if (fnmatch(t->pattern, res, FNM_PATHNAME) != 0 && !hostpath_below_dir(t->pattern, res) &&
                    !(have_st && hostpath_ids_have(&t->anc, &st)))
                        continue;
                if (ro)
                        rule_report_warn(ctx, root, "path",
                                         "the root file system is the host's %.*s (read-only); give the "
                                         "container an image root file system",
                                         shown_len(t->given), t->given);
                else
                        rule_report(ctx, root, "path",
                                    "the root file system is the host's %.*s, writable: the container can "
                                    "change the host; give it an image root file system",
                                    shown_len(t->given), t->given);
                return;
        }
}

/* File systems whose every instance is the host's: a fresh mount of one
 * exposes host devices or kernel state whatever the options say. */
static void check_host_filesystems(struct rule_ctx *ctx)
{
        const struct jv *mounts = hostpath_mounts(ctx);
        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                const char *type;
                if (!jv_cstr(jv_get(mounts->u.arr.v[i], "type"), &type) ||
                    !rule_param_strings_contains(ctx, "filesystems", type))
                        continue;
                rule_report(ctx, mounts->u.arr.v[i], "type",
                            "mounts a %s file system, which is the host's own (its devices or kernel state); "
                            "remove this mount",
                            type);
        }
}

static int check_sensitive_mount(struct rule_ctx *ctx)
{
        struct sensitive s = {0};
        int r;

        if (hostpath_targets_get(ctx, "paths", true, &s.paths) < 0)
                return -ENOMEM;
        if (hostpath_count_binds(ctx) > 0) {
                if (hostpath_targets_get(ctx, "allowed", false, &s.allowed) < 0)
                        return -ENOMEM;
                if ((r = hostpath_for_each_bind(ctx, true, sensitive_one, &s)) < 0)
                        return r;
        }
        check_sensitive_root(ctx, &s);
        check_host_filesystems(ctx);
        return 0;
}

static const struct param_def sensitive_mount_params[] = {
        {"paths", PARAM_STRINGS,
         "[\"/\", \"/bin/**\", \"/boot/**\", \"/dev/**\", \"/etc/**\", \"/lib/**\", \"/lib32/**\", \"/lib64/**\","
         " \"/libx32/**\", \"/proc/**\", \"/root/**\", \"/run\", \"/var/run\", \"/sbin/**\", \"/sys/**\","
         " \"/usr/**\", \"/var/lib/docker/**\", \"/var/lib/containerd/**\", \"/var/lib/containers/**\","
         " \"/var/lib/kubelet\", \"/var/log\"]",
         0, 0,
         "host paths not to bind: a bind of the path or of a parent directory counts; with a trailing \"/**\" "
         "binds of anything below it count too; \"*\" matches within one component"},
        {"allowed", PARAM_STRINGS,
         "[\"/var/lib/docker/containers/*/resolv.conf\", \"/var/lib/docker/containers/*/hostname\","
         " \"/var/lib/docker/containers/*/hosts\", \"/var/lib/docker/containers/*/mounts/**\","
         " \"/var/lib/docker/volumes/*/_data/**\", \"/usr/bin/docker-init\", \"/usr/libexec/docker/docker-init\","
         " \"/var/lib/containers/storage/overlay-containers/*/userdata/**\","
         " \"/run/containers/storage/overlay-containers/*/userdata/**\", "
         "\"/var/lib/containers/storage/volumes/*/_data/**\","
         " \"/usr/libexec/podman/catatonit\","
         " \"/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/*/**\","
         " \"/var/lib/containerd/io.containerd.grpc.v1.cri/containers/*/volumes/**\"]",
         0, 0, "bind sources that are the engines' own per-container files and volumes, not findings (same syntax)"},
        {"filesystems", PARAM_STRINGS,
         "[\"devtmpfs\", \"debugfs\", \"tracefs\", \"securityfs\", \"efivarfs\", \"bpf\", \"configfs\", \"pstore\","
         " \"fusectl\", \"binfmt_misc\"]",
         0, 0, "file system types that expose the host whatever their source; any mount of one is denied"},
        {0},
};

/* --- mount-propagation ------------------------------------------------ */

static int propagation_one(struct rule_ctx *ctx, const struct host_bind *b, void *data)
{
        (void)data;
        if (b->shared)
                rule_report(ctx, b->m, "options",
                            "binds %s with shared propagation: mounts made in the container appear on the host "
                            "and the host's in the container; use rprivate or rslave",
                            b->src);
        return 0;
}

static int check_mount_propagation(struct rule_ctx *ctx)
{
        const struct jv *l = jv_get(ctx->spec->root, "linux"), *prop = jv_get(l, "rootfsPropagation");
        const char *p;

        if (prop && jv_cstr(prop, &p) && (STREQ(p, "shared") || STREQ(p, "rshared")))
                rule_report(ctx, prop, NULL,
                            "is %s: mounts made in the container propagate to the host; use rprivate or rslave "
                            "(or leave it out)",
                            p);
        return hostpath_for_each_bind(ctx, false, propagation_one, NULL);
}

const struct rule rules_binds[] = {
        {
                .id = "engine-socket",
                .summary = "a container engine's API socket is bound into the container",
                .guide = "RUN-14",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = engine_socket_params,
                .check = check_engine_socket,
        },
        {
                .id = "sensitive-mount",
                .summary = "a host system directory is bound into the container",
                .guide = "HOST-2",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .params = sensitive_mount_params,
                .check = check_sensitive_mount,
        },
        {
                .id = "mount-propagation",
                .summary = "a bind propagates mounts between the container and the host",
                .guide = "RUN-13",
                .default_action = ACTION_DENY,
                .scope = SCOPE_CONFIG,
                .check = check_mount_propagation,
        },
        {0},
};
