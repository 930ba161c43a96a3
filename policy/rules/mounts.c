/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "host.h"
#include "rules.h"
#include "util.h"

/* runc binds when the options say bind or rbind, whatever the type; crun
 * also binds for type "bind". Either makes the mount a bind here. */
static int mount_is_bind(struct rule_ctx *ctx, const struct jv *m, bool *ret)
{
        struct jv *opts = NULL;
        const char *type = NULL;
        int r;

        *ret = false;
        if ((r = rule_get_string(ctx, m, "type", &type)) < 0)
                return r;
        if (type && strcasecmp(type, "bind") == 0)
                *ret = true;
        if ((r = rule_get_array(ctx, m, "options", &opts)) < 0)
                return r;
        for (size_t i = 0; opts && i < opts->u.arr.n; i++) {
                const char *o;
                if (!jv_cstr(opts->u.arr.v[i], &o))
                        return rule_invalid(ctx, opts->u.arr.v[i], NULL, "mount options must be strings");
                if (strcasecmp(o, "bind") == 0 || strcasecmp(o, "rbind") == 0)
                        *ret = true;
        }
        return 0;
}

/* The host path a bind's source names, as runc computes it. */
static char *bind_source(const struct rule_ctx *ctx, const char *src)
{
        char *joined = NULL;
        if (src[0] == '/' || !ctx->spec->bundle)
                return strdup(src);
        if (asprintf(&joined, "%s/%s", ctx->spec->bundle, src) < 0)
                return NULL;
        return joined;
}

/* Whether the bind of src exposes sock: the same path or a parent of it,
 * after resolving both, or the same inode as the socket or as any of its
 * ancestor directories (another name for them: a hard link, a bind mount,
 * /proc/1/root/...). */
static bool exposes(const char *src_resolved, const struct stat *src_st, const char *sock)
{
        _cleanup_free_ char *rs = path_resolve(sock);
        struct stat st;

        if (!rs)
                return true; /* cannot judge: treat as exposed */
        if (path_is_under(rs, src_resolved))
                return true;
        if (!src_st)
                return false;
        for (char *p = rs; *p;) {
                if (stat(p, &st) == 0 && st.st_dev == src_st->st_dev && st.st_ino == src_st->st_ino)
                        return true;
                char *slash = strrchr(p, '/');
                if (!slash)
                        break;
                if (slash == p) {
                        if (p[1] == '\0')
                                break;
                        p[1] = '\0';
                } else {
                        *slash = '\0';
                }
        }
        return false;
}

static int check_engine_socket(struct rule_ctx *ctx)
{
        struct jv *mounts = NULL;
        const struct jv *socks = rule_param_strings(ctx, "sockets");

        if (rule_get_array(ctx, ctx->spec->root, "mounts", &mounts) < 0 || !mounts)
                return 0;
        for (size_t i = 0; i < mounts->u.arr.n; i++) {
                const struct jv *m = mounts->u.arr.v[i];
                const char *src = NULL;
                bool bind;

                if (m->type != JV_OBJECT) {
                        rule_invalid(ctx, m, NULL, "a mount must be an object");
                        continue;
                }
                if (mount_is_bind(ctx, m, &bind) < 0 || !bind)
                        continue;
                if (rule_get_string(ctx, m, "source", &src) < 0 || !src)
                        continue;
                _cleanup_free_ char *full = bind_source(ctx, src);
                _cleanup_free_ char *resolved = full ? path_resolve(full) : NULL;
                if (!resolved)
                        return -ENOMEM;
                struct stat st;
                bool have_st = stat(full, &st) == 0;
                for (size_t k = 0; k < socks->u.arr.n; k++) {
                        const char *sock = socks->u.arr.v[k]->u.str.s;
                        if (!exposes(resolved, have_st ? &st : NULL, sock))
                                continue;
                        bool is_dir = have_st && S_ISDIR(st.st_mode);
                        rule_report_unfixable(ctx, m, "source",
                                              "binds %s, which %s the container engine socket %s: whoever reaches "
                                              "it controls the host; remove this mount",
                                              src, is_dir ? "contains" : "is", sock);
                        break;
                }
        }
        return 0;
}

static const struct param_def engine_socket_params[] = {
        {"sockets", PARAM_STRINGS,
         "[\"/var/run/docker.sock\", \"/run/docker.sock\", \"/run/containerd/containerd.sock\","
         " \"/run/containerd/containerd.sock.ttrpc\", \"/run/docker/containerd/containerd.sock\","
         " \"/run/crio/crio.sock\", \"/run/podman/podman.sock\", \"/run/buildkit/buildkitd.sock\","
         " \"/var/run/dockershim.sock\", \"/run/cri-dockerd.sock\"]",
         0, 0, "API sockets of container engines; /var/run paths are also found under /run and vice versa"},
        {0},
};

/* --- readonly-rootfs ------------------------------------------------- */

static int check_readonly_rootfs(struct rule_ctx *ctx)
{
        struct jv *root = NULL;
        bool ro = false;

        if (rule_get_object(ctx, ctx->spec->root, "root", &root) < 0)
                return 0;
        if (root && rule_get_bool(ctx, root, "readonly", &ro) < 0)
                return 0;
        if (!ro)
                rule_report(ctx, root ? root : ctx->spec->root, root ? "readonly" : "root/readonly",
                            "the root file system is writable; make it read-only (docker run --read-only) and "
                            "give the paths that need writing a tmpfs or a volume");
        return 0;
}

static bool has_mount_at(const struct jv *mounts, const char *dest)
{
        for (size_t i = 0; mounts && i < mounts->u.arr.n; i++) {
                const char *d;
                if (!jv_cstr(jv_get(mounts->u.arr.v[i], "destination"), &d))
                        continue;
                _cleanup_free_ char *a = path_normalize(d), *b = path_normalize(dest);
                if (a && b && STREQ(a, b))
                        return true;
        }
        return false;
}

static int fix_readonly_rootfs(struct rule_ctx *ctx, rh_error_t *err)
{
        struct jdoc *d = ctx->spec->doc;
        struct jv *root = jv_get(ctx->spec->root, "root");
        const struct jv *paths = rule_param_strings(ctx, "tmpfs"), *opts = rule_param_strings(ctx, "tmpfs-options");

        if (!root) {
                root = jv_new(d, JV_OBJECT);
                if (jv_obj_put(d, ctx->spec->root, "root", root) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        if (jv_obj_put(d, root, "readonly", jv_new_bool(d, true)) < 0)
                return rh_error_set(err, ENOMEM, "out of memory");

        struct jv *mounts = jv_get(ctx->spec->root, "mounts");
        for (size_t i = 0; i < paths->u.arr.n; i++) {
                const char *p = paths->u.arr.v[i]->u.str.s;
                if (has_mount_at(mounts, p))
                        continue;
                if (!mounts) {
                        mounts = jv_new(d, JV_ARRAY);
                        if (jv_obj_put(d, ctx->spec->root, "mounts", mounts) < 0)
                                return rh_error_set(err, ENOMEM, "out of memory");
                }
                struct jv *m = jv_new(d, JV_OBJECT);
                if (!m || jv_obj_put(d, m, "destination", jv_new_string(d, p)) < 0 ||
                    jv_obj_put(d, m, "type", jv_new_string(d, "tmpfs")) < 0 ||
                    jv_obj_put(d, m, "source", jv_new_string(d, "tmpfs")) < 0 ||
                    jv_obj_put(d, m, "options", jv_copy(d, opts)) < 0 || jv_arr_push(d, mounts, m) < 0)
                        return rh_error_set(err, ENOMEM, "out of memory");
        }
        return 0;
}

static const struct param_def readonly_rootfs_params[] = {
        {"tmpfs", PARAM_STRINGS, "[\"/tmp\"]", 0, 0,
         "paths that get a writable tmpfs when the fix makes the root read-only (unless already mounted)"},
        {"tmpfs-options", PARAM_STRINGS, "[\"rw\", \"nosuid\", \"nodev\", \"noexec\", \"mode=1777\", \"size=65536k\"]",
         0, 0, "mount options of those tmpfs mounts; keep a size= limit"},
        {0},
};

const struct rule rules_mounts[] = {
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
                .id = "readonly-rootfs",
                .summary = "the root file system is writable",
                .guide = "RUN-8",
                .default_action = ACTION_FIX,
                .default_exemptible = true,
                .scope = SCOPE_CONFIG,
                .params = readonly_rootfs_params,
                .check = check_readonly_rootfs,
                .fix = fix_readonly_rootfs,
        },
        {0},
};
